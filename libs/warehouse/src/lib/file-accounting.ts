import {
  FILE_ACCOUNTING_COLUMNS,
  FileAccountingRow,
  FileManifestDto,
} from '@event-pipeline/schema';

/** What the committed batches of one file add up to. */
export interface CommittedBatches {
  rowsLoaded: number;
  duplicates: number;
  rowsRejected: number;
  /** Committed batches among those the finished manifest announces, per stream. */
  eventBatches: number;
  profileChangeBatches: number;
  errorBatches: number;
}

export const newFileAccounting = (
  sourceFile: string,
  now: string,
): FileAccountingRow => ({
  source_file: sourceFile,
  kind: null,
  status: 'processing',
  rows_read: null,
  rows_loaded: 0,
  duplicates: 0,
  rows_rejected: 0,
  row_errors: null,
  file_errors: null,
  profile_changes: null,
  event_batches: null,
  profile_change_batches: null,
  error_batches: null,
  failed_as_whole: null,
  started_at: null,
  parsed_at: null,
  finished_at: null,
  updated_at: now,
});

/** The totals and end time a finished manifest must carry. */
export const finishedManifestParts = (
  sourceFile: string,
  manifest: FileManifestDto,
): Required<Pick<FileManifestDto, 'totals' | 'finishedAt'>> => {
  const { totals, finishedAt } = manifest;
  if (!totals || !finishedAt) {
    throw new Error(
      `The finished manifest of ${sourceFile} lacks ${totals ? 'finishedAt' : 'totals'}`,
    );
  }
  return { totals, finishedAt };
};

/**
 * Takes a manifest into the accounting row. Pub/Sub may deliver `started`
 * after `finished`, so `started` only fills what is still unknown. The first
 * finished manifest stays: another one of the same generation (the file read
 * again before its notification was acknowledged) would only move
 * `parsed_at` past `finished_at`, and the committed batches were counted
 * against the first.
 */
export const applyFileManifest = (
  row: FileAccountingRow,
  manifest: FileManifestDto,
): FileAccountingRow => {
  const started: FileAccountingRow = {
    ...row,
    kind: row.kind ?? manifest.kind ?? null,
    started_at: row.started_at ?? manifest.startedAt,
  };
  if (manifest.phase === 'started' || row.parsed_at !== null) return started;
  const { totals, finishedAt } = finishedManifestParts(
    row.source_file,
    manifest,
  );
  return {
    ...started,
    kind: manifest.kind ?? started.kind,
    rows_read: totals.rowsRead,
    row_errors: totals.rowErrors + row.rows_rejected,
    file_errors: totals.fileErrors,
    profile_changes: totals.profileChanges,
    event_batches: totals.eventBatches,
    profile_change_batches: totals.profileChangeBatches,
    error_batches: totals.errorBatches,
    failed_as_whole: manifest.failed ?? false,
    parsed_at: finishedAt,
  };
};

/** The finished manifest is recorded and every batch it announces is committed. */
export const isFileComplete = (
  row: FileAccountingRow,
  committed: CommittedBatches,
): boolean =>
  row.event_batches !== null &&
  committed.eventBatches === row.event_batches &&
  committed.profileChangeBatches === row.profile_change_batches &&
  committed.errorBatches === row.error_batches;

/**
 * Recomputes the derived columns from the committed batches. Called in the
 * transaction of every commit and manifest, so the status never depends on
 * the order batches and manifest arrive in, nor on a timer.
 */
export const settleFileAccounting = (
  row: FileAccountingRow,
  committed: CommittedBatches,
  now: string,
): FileAccountingRow => {
  const complete = isFileComplete(row, committed);
  return {
    ...row,
    rows_loaded: committed.rowsLoaded,
    duplicates: committed.duplicates,
    rows_rejected: committed.rowsRejected,
    // row_errors is the manifest's count plus rows_rejected: keep that sum
    // when rows_rejected moves (the manifest's share is not stored apart).
    row_errors:
      row.row_errors === null
        ? null
        : row.row_errors - row.rows_rejected + committed.rowsRejected,
    status: complete ? (row.failed_as_whole ? 'failed' : 'done') : 'processing',
    finished_at: complete ? (row.finished_at ?? now) : null,
  };
};

/** Equal in every column but updated_at, which moves only on a real change. */
export const sameFileAccounting = (
  a: FileAccountingRow,
  b: FileAccountingRow,
): boolean =>
  FILE_ACCOUNTING_COLUMNS.every(
    ({ name }) => name === 'updated_at' || a[name] === b[name],
  );
