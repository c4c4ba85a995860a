import { Table } from '@google-cloud/bigquery';
import { UNIFIED_EVENT_COLUMNS } from '@event-pipeline/schema';
import { encodeRow } from './bigquery-values';
import {
  EventBatchTarget,
  EventRowsWriter,
  EventRowsWritten,
  EventRowToWrite,
  RefusedEventRow,
} from './event-rows-writer';
import {
  backoffMs,
  isTransientBigQueryError,
  RetryPolicy,
  sleep,
  TRANSIENT_REASONS,
} from './retry';

export interface InsertLimits {
  /** Rows per tabledata.insertAll request (BigQuery recommends about 500). */
  maxRows: number;
  /** Bytes of row JSON per request, under BigQuery's 10 MB request limit. */
  maxBytes: number;
}

export const INSERT_LIMITS: InsertLimits = {
  maxRows: 500,
  maxBytes: 9 * 1024 * 1024,
};

interface InsertRow {
  insertId: string;
  json: Record<string, unknown>;
  index: number;
  bytes: number;
}

interface PartialFailure {
  name: 'PartialFailureError';
  errors: {
    row: { insertId: string };
    errors: { reason?: string; message?: string }[];
  }[];
}

interface FailedRow {
  row: InsertRow;
  problem: string;
  transient: boolean;
}

const isPartialFailure = (error: unknown): error is PartialFailure =>
  (error as { name?: unknown }).name === 'PartialFailureError';

const chunks = (rows: readonly InsertRow[], limits: InsertLimits) => {
  const result: InsertRow[][] = [];
  let chunk: InsertRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (
      chunk.length > 0 &&
      (chunk.length >= limits.maxRows || bytes + row.bytes > limits.maxBytes)
    ) {
      result.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += row.bytes;
  }
  if (chunk.length > 0) result.push(chunk);
  return result;
};

/**
 * Streams rows with tabledata.insertAll, insertId = event_id, so that a row
 * sent again (a retried request, a redelivered message) is dropped by
 * BigQuery's best-effort de-duplication. skipInvalidRows lets the valid rows
 * of a request in; of the rows that failed, only those failing for a
 * transient reason are sent again (bounded, with backoff), and those BigQuery
 * refuses for good come back as refused rows. The client's own partial
 * retries are off: they would resend refused rows too.
 */
export class StreamingEventInserts implements EventRowsWriter {
  constructor(
    private readonly table: Table,
    private readonly retry: RetryPolicy,
    private readonly limits: InsertLimits = INSERT_LIMITS,
  ) {}

  async write(
    target: EventBatchTarget,
    rows: readonly EventRowToWrite[],
  ): Promise<EventRowsWritten> {
    let pending: InsertRow[] = rows.map(({ index, row }) => {
      const json = encodeRow(UNIFIED_EVENT_COLUMNS, row, 'text');
      return {
        insertId: row.event_id,
        json,
        index,
        bytes: Buffer.byteLength(JSON.stringify(json)),
      };
    });
    const refused: RefusedEventRow[] = [];
    let lastProblem = '';
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= this.retry.attempts) {
        throw new Error(
          `${pending.length} rows of unified-events batch ${target.batchIndex} of ${target.sourceFile} ` +
            `were still not inserted after ${attempt} attempts: ${lastProblem}`,
        );
      }
      if (attempt > 0) await sleep(backoffMs(this.retry, attempt));
      const again: InsertRow[] = [];
      for (const chunk of chunks(pending, this.limits)) {
        for (const { row, problem, transient } of await this.insert(chunk)) {
          lastProblem = problem;
          if (transient) again.push(row);
          else
            refused.push({
              index: row.index,
              problem: `BigQuery refused it (${problem})`,
            });
        }
      }
      pending = again;
    }
    return { loaded: rows.length - refused.length, refused };
  }

  /** Sends one request; returns the rows that failed, and whether to send them again. */
  private async insert(chunk: readonly InsertRow[]): Promise<FailedRow[]> {
    try {
      await this.table.insert(
        chunk.map(({ insertId, json }) => ({ insertId, json })),
        { raw: true, skipInvalidRows: true, partialRetries: 0 },
      );
      return [];
    } catch (error) {
      if (isPartialFailure(error)) {
        const byInsertId = new Map(chunk.map((row) => [row.insertId, row]));
        return error.errors.flatMap(({ row, errors }) => {
          const failed = byInsertId.get(row.insertId);
          if (!failed) return [];
          return [
            {
              row: failed,
              problem: errors
                .map(({ reason, message }) => `${reason}: ${message}`)
                .join('; '),
              transient: errors.every(
                ({ reason }) =>
                  reason !== undefined && TRANSIENT_REASONS.has(reason),
              ),
            },
          ];
        });
      }
      if (!isTransientBigQueryError(error)) throw error;
      // The request failed as a whole, after the client's own retries: all
      // of its rows go again (their insertIds make that harmless).
      const problem = (error as Error).message;
      return chunk.map((row) => ({ row, problem, transient: true }));
    }
  }
}
