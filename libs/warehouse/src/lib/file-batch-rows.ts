import { FileBatchRow, OutputStream } from '@event-pipeline/schema';
import { DeadLetteredBatch } from './warehouse.port';

/**
 * The commit of a batch whose every item is stored: profile changes and
 * error records have no duplicates and none rejected.
 */
export const fullyLoadedBatchRow = (
  sourceFile: string,
  stream: OutputStream,
  batchIndex: number,
  rows: number,
  committedAt: string,
): FileBatchRow => ({
  source_file: sourceFile,
  stream,
  batch_index: batchIndex,
  rows,
  loaded: rows,
  duplicates: 0,
  rejected: 0,
  committed_at: committedAt,
});

/**
 * The commit of a batch given up to the dead-letter topic: nothing of it is
 * loaded, and its events count as rejected rows of the file (changes and
 * error records are not rows of the file).
 */
export const deadLetteredBatchRow = (
  sourceFile: string,
  { stream, batchIndex, rows }: DeadLetteredBatch,
  committedAt: string,
): FileBatchRow => ({
  ...fullyLoadedBatchRow(sourceFile, stream, batchIndex, rows, committedAt),
  loaded: 0,
  rejected: stream === 'unified-events' ? rows : 0,
});

/** What writing one unified-events batch came to, in rows. */
export interface EventBatchWrite {
  /** Rows of the message, accepted or not. */
  rows: number;
  /** Rows that passed the check. */
  accepted: number;
  /** Rows newly stored. */
  loaded: number;
  /** Accepted rows the store refused. */
  refused: number;
}

/**
 * The commit of a written unified-events batch: accepted rows neither
 * loaded nor refused were duplicates; rows the check or the store refused
 * are rejected.
 */
export const eventBatchRow = (
  sourceFile: string,
  batchIndex: number,
  { rows, accepted, loaded, refused }: EventBatchWrite,
  committedAt: string,
): FileBatchRow => ({
  source_file: sourceFile,
  stream: 'unified-events',
  batch_index: batchIndex,
  rows,
  loaded,
  duplicates: accepted - loaded - refused,
  rejected: rows - accepted + refused,
  committed_at: committedAt,
});
