import {
  checkUnifiedEvent,
  ErrorRecord,
  errorRecord,
  UnifiedEvent,
} from '@event-pipeline/schema';

export interface CheckedEvents {
  accepted: UnifiedEvent[];
  /** One ROW_REJECTED error record per refused row. */
  rejected: ErrorRecord[];
}

// A row that cannot be serialised must still become a record, not a crash.
const rawText = (value: unknown): string | null => {
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return String(value);
  }
};

/**
 * Splits a batch into rows the warehouse can store and rows it refuses, so
 * that one bad row costs one error record instead of the whole batch.
 */
export const checkEventBatch = (
  sourceFile: string,
  batchIndex: number,
  events: readonly unknown[],
): CheckedEvents => {
  const accepted: UnifiedEvent[] = [];
  const rejected: ErrorRecord[] = [];
  events.forEach((event, index) => {
    const problem = checkUnifiedEvent(event);
    if (problem === null) {
      accepted.push(event as UnifiedEvent);
      return;
    }
    rejected.push(
      errorRecord({
        source_file: sourceFile,
        code: 'ROW_REJECTED',
        location: {},
        message: `Row ${index} of unified-events batch ${batchIndex} was not loaded: ${problem}`,
        raw: rawText(event),
      }),
    );
  });
  return { accepted, rejected };
};
