import {
  checkUnifiedEvent,
  ErrorRecord,
  errorRecord,
  UnifiedEvent,
} from '@event-pipeline/schema';

/** An event of a batch, with its place in the batch for error records. */
export interface IndexedEvent {
  index: number;
  event: UnifiedEvent;
}

export interface CheckedEvents {
  accepted: IndexedEvent[];
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

/** The error record of a row the warehouse did not store, and why. */
export const rejectedRowRecord = (
  sourceFile: string,
  batchIndex: number,
  index: number,
  problem: string,
  row: unknown,
): ErrorRecord =>
  errorRecord({
    source_file: sourceFile,
    code: 'ROW_REJECTED',
    location: {},
    message: `Row ${index} of unified-events batch ${batchIndex} was not loaded: ${problem}`,
    raw: rawText(row),
  });

/**
 * Splits a batch into rows the warehouse can store and rows it refuses, so
 * that one bad row costs one error record instead of the whole batch.
 */
export const checkEventBatch = (
  sourceFile: string,
  batchIndex: number,
  events: readonly unknown[],
): CheckedEvents => {
  const accepted: IndexedEvent[] = [];
  const rejected: ErrorRecord[] = [];
  events.forEach((event, index) => {
    const problem = checkUnifiedEvent(event);
    if (problem === null) {
      accepted.push({ index, event: event as UnifiedEvent });
    } else {
      rejected.push(
        rejectedRowRecord(sourceFile, batchIndex, index, problem, event),
      );
    }
  });
  return { accepted, rejected };
};
