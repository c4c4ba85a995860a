import { column, RowOf, TableSpec } from './columns';

export const FILE_STATUSES = ['processing', 'done', 'failed'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** The streams a file's output is split into; each batch is counted once. */
export const OUTPUT_STREAMS = [
  'unified-events',
  'profile-changes',
  'ingest-errors',
] as const;
export type OutputStream = (typeof OUTPUT_STREAMS)[number];

export const FILE_KINDS = ['ga4', 'adapty'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/**
 * One row per source file generation. The manifest columns come from the
 * file-ingestor once it has read the whole file; loaded and duplicates are
 * sums over the committed batches; status is `done` only once every batch
 * the manifest announces is committed.
 */
export const FILE_ACCOUNTING_COLUMNS = [
  column('source_file', 'STRING', 'REQUIRED', 'gs://bucket/object#generation.'),
  column('kind', 'STRING', 'NULLABLE', 'ga4 or adapty, once detected.'),
  column('status', 'STRING', 'REQUIRED', 'processing, done or failed.'),
  column(
    'rows_read',
    'INT64',
    'NULLABLE',
    'CSV data rows or JSON elements read (from the manifest).',
  ),
  column('rows_loaded', 'INT64', 'REQUIRED', 'Rows written to unified_events.'),
  column(
    'duplicates',
    'INT64',
    'REQUIRED',
    'Rows dropped because their event_id was already loaded.',
  ),
  column(
    'rows_rejected',
    'INT64',
    'REQUIRED',
    'Rows the warehouse refused, each an error record; included in row_errors.',
  ),
  column(
    'row_errors',
    'INT64',
    'NULLABLE',
    'Row error records (from the manifest plus rows the warehouse rejected).',
  ),
  column(
    'file_errors',
    'INT64',
    'NULLABLE',
    'File and entry error records (from the manifest).',
  ),
  column(
    'profile_changes',
    'INT64',
    'NULLABLE',
    'first_open events plus profile-changing Adapty events.',
  ),
  column(
    'event_batches',
    'INT64',
    'NULLABLE',
    'unified-events batches announced by the manifest.',
  ),
  column(
    'profile_change_batches',
    'INT64',
    'NULLABLE',
    'profile-changes batches announced by the manifest.',
  ),
  column(
    'error_batches',
    'INT64',
    'NULLABLE',
    'ingest-errors batches announced by the manifest.',
  ),
  column(
    'failed_as_whole',
    'BOOL',
    'NULLABLE',
    'From the finished manifest: the file failed as a whole; status turns failed once its batches are committed.',
  ),
  column(
    'started_at',
    'TIMESTAMP',
    'NULLABLE',
    'When the file-ingestor started reading the file.',
  ),
  column(
    'parsed_at',
    'TIMESTAMP',
    'NULLABLE',
    'When the file-ingestor finished reading the file.',
  ),
  column(
    'finished_at',
    'TIMESTAMP',
    'NULLABLE',
    'When the last announced batch was committed.',
  ),
  column('updated_at', 'TIMESTAMP', 'REQUIRED', 'When the row last changed.'),
] as const;

export type FileAccountingRow = RowOf<typeof FILE_ACCOUNTING_COLUMNS>;

/**
 * The file's finished manifest is recorded: every message of the file was
 * accepted by Pub/Sub, whether or not its batches are all committed yet.
 */
export const finishedManifestRecorded = (row: FileAccountingRow): boolean =>
  row.event_batches !== null;

export const FILE_ACCOUNTING_TABLE = {
  name: 'file_accounting',
  description: 'Per source file: what was read, loaded, dropped and rejected.',
  columns: FILE_ACCOUNTING_COLUMNS,
  primaryKey: ['source_file'],
} as const satisfies TableSpec<typeof FILE_ACCOUNTING_COLUMNS>;

/**
 * One row per committed output batch, written in the same transaction as the
 * batch itself, so that accounting is derived from what was really committed.
 */
export const FILE_BATCH_COLUMNS = [
  column('source_file', 'STRING', 'REQUIRED', 'gs://bucket/object#generation.'),
  column(
    'stream',
    'STRING',
    'REQUIRED',
    'unified-events, profile-changes or ingest-errors.',
  ),
  column(
    'batch_index',
    'INT64',
    'REQUIRED',
    '0-based index of the batch within its stream.',
  ),
  column('rows', 'INT64', 'REQUIRED', 'Items in the batch.'),
  column('loaded', 'INT64', 'REQUIRED', 'Items newly written.'),
  column('duplicates', 'INT64', 'REQUIRED', 'Items already present.'),
  column(
    'rejected',
    'INT64',
    'REQUIRED',
    'Items the warehouse refused (each became an error record).',
  ),
  column(
    'committed_at',
    'TIMESTAMP',
    'REQUIRED',
    'When the batch was committed.',
  ),
] as const;

export type FileBatchRow = RowOf<typeof FILE_BATCH_COLUMNS>;

export const FILE_BATCHES_TABLE = {
  name: 'file_batches',
  description: 'Committed output batches, one row each.',
  columns: FILE_BATCH_COLUMNS,
  primaryKey: ['source_file', 'stream', 'batch_index'],
} as const satisfies TableSpec<typeof FILE_BATCH_COLUMNS>;
