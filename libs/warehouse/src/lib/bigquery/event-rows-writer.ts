import { UnifiedEventRow } from '@event-pipeline/schema';

/** A row to write, with its place in the message's batch for error records. */
export interface EventRowToWrite {
  index: number;
  row: UnifiedEventRow;
}

/** A row BigQuery refused for good, and why. */
export interface RefusedEventRow {
  index: number;
  problem: string;
}

export interface EventRowsWritten {
  loaded: number;
  refused: RefusedEventRow[];
}

/** Where a batch's rows come from, for job ids, object names and messages. */
export interface EventBatchTarget {
  sourceFile: string;
  generation: string;
  batchIndex: number;
}

/** How new unified_events rows reach BigQuery: streamed, or loaded from Cloud Storage. */
export interface EventRowsWriter {
  write(
    target: EventBatchTarget,
    rows: readonly EventRowToWrite[],
  ): Promise<EventRowsWritten>;
}
