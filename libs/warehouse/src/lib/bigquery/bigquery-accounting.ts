import {
  ColumnSpec,
  FILE_ACCOUNTING_COLUMNS,
  FILE_ACCOUNTING_TABLE,
  FILE_BATCH_COLUMNS,
  FILE_BATCHES_TABLE,
  FileAccountingRow,
  FileBatchRow,
  FileManifestDto,
  OutputStream,
  sourceFileUri,
} from '@event-pipeline/schema';
import { finishedManifestParts, newFileAccounting } from '../file-accounting';
import { BigQueryTables } from './bigquery-tables';
import {
  BigQueryStatements,
  DatasetRef,
  ident,
  Statement,
  tablePath,
} from './bigquery-statements';
import { decodeRow, ParamType, structParamType } from './bigquery-values';

const EVENTS: OutputStream = 'unified-events';
const PROFILE_CHANGES: OutputStream = 'profile-changes';
const ERRORS: OutputStream = 'ingest-errors';

const BATCH_KEY = ['source_file', 'stream', 'batch_index'] as const;

/** Parameters of the statements below: `@batches` to record, `@files` to settle, `@now`. */
export const ACCOUNTING_PARAM_TYPES = {
  batches: [structParamType(FILE_BATCH_COLUMNS)],
  files: ['STRING'],
  now: 'TIMESTAMP',
} as const satisfies Record<string, ParamType>;

const columnList = (columns: readonly ColumnSpec[], prefix = ''): string =>
  columns.map(({ name }) => `${prefix}${ident(name)}`).join(', ');

const sameKey = (left: string, right: string): string =>
  BATCH_KEY.map(
    (name) => `${left}.${ident(name)} = ${right}.${ident(name)}`,
  ).join(' AND ');

/**
 * The committed batches of `@files`, one row per key. Two deliveries of one
 * batch that commit at the same instant can both insert (a MERGE that only
 * inserts is not checked for conflicts), so every reader takes the first.
 */
export const committedBatchesSql = (dataset: DatasetRef): string =>
  `SELECT * FROM ${tablePath(dataset, FILE_BATCHES_TABLE.name)}
WHERE source_file IN UNNEST(@files)
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY ${BATCH_KEY.map(ident).join(', ')} ORDER BY committed_at
) = 1`;

/** Indents every line after the first, to nest one statement in another. */
const nested = (sql: string, by: string) => sql.replace(/\n/g, `\n${by}`);

/** Records the batch commits of `@batches` that are not recorded yet. */
export const recordBatchesSql = (
  dataset: DatasetRef,
): string => `MERGE ${tablePath(dataset, FILE_BATCHES_TABLE.name)} AS stored
USING (SELECT * FROM UNNEST(@batches)) AS batch
ON ${sameKey('stored', 'batch')}
WHEN NOT MATCHED THEN
  INSERT (${columnList(FILE_BATCH_COLUMNS)})
  VALUES (${columnList(FILE_BATCH_COLUMNS, 'batch.')})`;

const sqlLiteral = (column: ColumnSpec, value: unknown): string => {
  if (value === null) return `CAST(NULL AS ${column.type})`;
  if (typeof value === 'string') return `'${value.replace(/'/g, "\\'")}'`;
  return String(value);
};

// A file's first commit or manifest starts from newFileAccounting's row.
const NEW_ROW = newFileAccounting('', '');
const newRowValue = (column: ColumnSpec): string => {
  if (column.name === 'source_file') return 'file';
  if (column.name === 'updated_at') return '@now';
  return sqlLiteral(column, NEW_ROW[column.name as keyof FileAccountingRow]);
};

type Manifest = FileManifestDto['phase'] | 'none';

/** A finished manifest's value, unless the row already took one in. */
const firstFinished = (value: string, kept: string, column = kept) =>
  `IF(parsed_at IS NULL, ${value}, ${kept}) AS ${column}`;

/** applyFileManifest, as REPLACE items over the accounting row. */
const MANIFEST_CHANGES: Record<Manifest, readonly string[]> = {
  none: [],
  // Pub/Sub may deliver `started` after `finished`: it fills only what is unknown.
  started: [
    'IFNULL(kind, @kind) AS kind',
    'IFNULL(started_at, @started_at) AS started_at',
  ],
  finished: [
    // As `started` does once a finished manifest is in: fills only an unknown kind.
    firstFinished('IFNULL(@kind, kind)', 'IFNULL(kind, @kind)', 'kind'),
    'IFNULL(started_at, @started_at) AS started_at',
    firstFinished('@rows_read', 'rows_read'),
    firstFinished('@row_errors + rows_rejected', 'row_errors'),
    firstFinished('@file_errors', 'file_errors'),
    firstFinished('@profile_changes', 'profile_changes'),
    firstFinished('@event_batches', 'event_batches'),
    firstFinished('@profile_change_batches', 'profile_change_batches'),
    firstFinished('@error_batches', 'error_batches'),
    firstFinished('@failed', 'failed_as_whole'),
    firstFinished('@finished_at', 'parsed_at'),
  ],
};

const MANIFEST_PARAM_TYPES = {
  kind: 'STRING',
  started_at: 'TIMESTAMP',
  rows_read: 'INT64',
  row_errors: 'INT64',
  file_errors: 'INT64',
  profile_changes: 'INT64',
  event_batches: 'INT64',
  profile_change_batches: 'INT64',
  error_batches: 'INT64',
  failed: 'BOOL',
  finished_at: 'TIMESTAMP',
} as const satisfies Record<string, ParamType>;

const DERIVED_COLUMNS = FILE_ACCOUNTING_COLUMNS.filter(
  ({ name }) => name !== 'source_file',
);
const COMPARED_COLUMNS = DERIVED_COLUMNS.filter(
  ({ name }) => name !== 'updated_at',
);
const withUpdatedAt = (prefix: string) =>
  FILE_ACCOUNTING_COLUMNS.map(({ name }) =>
    name === 'updated_at' ? '@now' : `${prefix}${ident(name)}`,
  ).join(', ');

const COMPLETE = `(m.event_batches IS NOT NULL
        AND c.event_batches = m.event_batches
        AND c.profile_change_batches = m.profile_change_batches
        AND c.error_batches = m.error_batches)`;

/**
 * One MERGE that settles the accounting of `@files` (after taking in a
 * manifest, unless `manifest` is 'none'), with the rules of
 * file-accounting.ts: sums over the committed event batches, row_errors =
 * the manifest's row errors plus rows_rejected, `done` (or `failed`) once the
 * finished manifest and every batch it announces are in, finished_at kept
 * once set, updated_at moved only by a real change. Being one statement, it
 * reads file_batches and writes file_accounting at one snapshot: concurrent
 * commits never need a read-modify-write, and the last one to commit sees
 * every batch.
 */
export const settleAccountingSql = (
  dataset: DatasetRef,
  manifest: Manifest = 'none',
): string => {
  const changes = MANIFEST_CHANGES[manifest];
  return `MERGE ${tablePath(dataset, FILE_ACCOUNTING_TABLE.name)} AS stored
USING (
  WITH
    existing AS (
      SELECT * FROM ${tablePath(dataset, FILE_ACCOUNTING_TABLE.name)}
      WHERE source_file IN UNNEST(@files)
    ),
    accounting AS (
      SELECT ${columnList(FILE_ACCOUNTING_COLUMNS)} FROM existing
      UNION ALL
      SELECT ${FILE_ACCOUNTING_COLUMNS.map(newRowValue).join(', ')}
      FROM UNNEST(@files) AS file
      WHERE file NOT IN (SELECT source_file FROM existing)
    ),
    manifested AS (
      SELECT *${changes.length > 0 ? ` REPLACE (\n        ${changes.join(',\n        ')}\n      )` : ''}
      FROM accounting
    ),
    batches AS (
      ${nested(committedBatchesSql(dataset), '      ')}
    ),
    committed AS (
      SELECT
        m.source_file,
        IFNULL(SUM(IF(b.stream = '${EVENTS}', b.loaded, 0)), 0) AS rows_loaded,
        IFNULL(SUM(IF(b.stream = '${EVENTS}', b.duplicates, 0)), 0) AS duplicates,
        IFNULL(SUM(IF(b.stream = '${EVENTS}', b.rejected, 0)), 0) AS rows_rejected,
        COUNTIF(b.stream = '${EVENTS}' AND b.batch_index < m.event_batches) AS event_batches,
        COUNTIF(b.stream = '${PROFILE_CHANGES}' AND b.batch_index < m.profile_change_batches) AS profile_change_batches,
        COUNTIF(b.stream = '${ERRORS}' AND b.batch_index < m.error_batches) AS error_batches
      FROM manifested AS m
      LEFT JOIN batches AS b ON b.source_file = m.source_file
      GROUP BY m.source_file
    )
  SELECT m.* REPLACE (
    c.rows_loaded AS rows_loaded,
    c.duplicates AS duplicates,
    c.rows_rejected AS rows_rejected,
    m.row_errors - m.rows_rejected + c.rows_rejected AS row_errors,
    IF(${COMPLETE}, IF(m.failed_as_whole, 'failed', 'done'), 'processing') AS status,
    IF(${COMPLETE}, IFNULL(m.finished_at, @now), NULL) AS finished_at
  )
  FROM manifested AS m
  JOIN committed AS c ON c.source_file = m.source_file
) AS settled
ON stored.source_file = settled.source_file
WHEN MATCHED AND NOT (
  ${COMPARED_COLUMNS.map(({ name }) => `stored.${ident(name)} IS NOT DISTINCT FROM settled.${ident(name)}`).join('\n  AND ')}
) THEN
  UPDATE SET ${DERIVED_COLUMNS.map(({ name }) => `${ident(name)} = ${name === 'updated_at' ? '@now' : `settled.${ident(name)}`}`).join(', ')}
WHEN NOT MATCHED THEN
  INSERT (${columnList(FILE_ACCOUNTING_COLUMNS)})
  VALUES (${withUpdatedAt('settled.')})`;
};

const recordedBeforeSql = (dataset: DatasetRef): string =>
  `DECLARE recorded_before ARRAY<STRUCT<source_file STRING, stream STRING, batch_index INT64>> DEFAULT (
  SELECT ARRAY_AGG(STRUCT(batch.source_file, batch.stream, batch.batch_index))
  FROM ${tablePath(dataset, FILE_BATCHES_TABLE.name)} AS batch
  JOIN UNNEST(@batches) AS wanted ON ${sameKey('batch', 'wanted')}
)`;

/**
 * The stored commit of each of `@batches` (its own, or an earlier
 * delivery's), and whether it was recorded before the script ran.
 */
const storedBatchesSql = (dataset: DatasetRef): string => `SELECT
  batch.*,
  EXISTS (
    SELECT 1 FROM UNNEST(recorded_before) AS earlier WHERE ${sameKey('earlier', 'batch')}
  ) AS recorded_before
FROM (
  ${nested(committedBatchesSql(dataset), '  ')}
) AS batch
JOIN UNNEST(@batches) AS wanted ON ${sameKey('batch', 'wanted')}`;

/**
 * One script per group of commits: one MERGE on file_batches, one on
 * file_accounting, then the stored commits.
 */
export const batchCommitStatement = (
  dataset: DatasetRef,
  batches: readonly FileBatchRow[],
  files: readonly string[],
  now: string,
): Statement => ({
  name: 'batch-commit',
  sql: [
    recordedBeforeSql(dataset),
    recordBatchesSql(dataset),
    settleAccountingSql(dataset),
    storedBatchesSql(dataset),
  ].join(';\n\n'),
  params: { batches, files, now },
  types: ACCOUNTING_PARAM_TYPES,
});

/** A batch's stored commit, as the commit script found it. */
export interface StoredCommit {
  batch: FileBatchRow;
  /** Recorded before this commit ran: this delivery is a repeat. */
  recordedBefore: boolean;
}

const decodeBatch = (raw: Record<string, unknown>) =>
  decodeRow<FileBatchRow>(FILE_BATCH_COLUMNS, raw);
const decodeAccounting = (raw: Record<string, unknown>) =>
  decodeRow<FileAccountingRow>(FILE_ACCOUNTING_COLUMNS, raw);

/**
 * file_batches and file_accounting on BigQuery. Each call is one script of
 * one DML statement per table, so that several writers stay far below the
 * DML limits of a table (2 running and 20 queued mutating statements, 25
 * statements every 10 seconds).
 */
export class BigQueryAccounting {
  constructor(
    private readonly statements: BigQueryStatements,
    private readonly tables: BigQueryTables,
    private readonly dataset: DatasetRef,
  ) {}

  /**
   * Records the batch commits not recorded yet, settles `files` (those of
   * the batches and any others), and returns the stored commit of each
   * batch: its own, or that of an earlier delivery.
   */
  async commit(
    batches: readonly FileBatchRow[],
    files: readonly string[],
    now: string,
  ): Promise<StoredCommit[]> {
    await this.tables.ensure(
      FILE_BATCHES_TABLE.name,
      FILE_ACCOUNTING_TABLE.name,
    );
    const rows = await this.statements.rows(
      batchCommitStatement(this.dataset, batches, files, now),
    );
    return rows.map((row) => ({
      batch: decodeBatch(row),
      recordedBefore: row['recorded_before'] === true,
    }));
  }

  /** Takes in a file manifest and returns the file's accounting. */
  async recordManifest(
    manifest: FileManifestDto,
    now: string,
  ): Promise<FileAccountingRow> {
    await this.tables.ensure(
      FILE_BATCHES_TABLE.name,
      FILE_ACCOUNTING_TABLE.name,
    );
    const sourceFile = sourceFileUri(manifest.file);
    const [row] = await this.statements.rows(
      manifestStatement(this.dataset, sourceFile, manifest, now),
    );
    return decodeAccounting(row);
  }

  async get(sourceFile: string): Promise<FileAccountingRow | null> {
    await this.tables.ensure(FILE_ACCOUNTING_TABLE.name);
    const [row] = await this.statements.rows({
      name: 'file-accounting-read',
      sql: `SELECT * FROM ${tablePath(this.dataset, FILE_ACCOUNTING_TABLE.name)} WHERE source_file = @source_file`,
      params: { source_file: sourceFile },
      types: { source_file: 'STRING' },
    });
    return row ? decodeAccounting(row) : null;
  }

  async list(): Promise<FileAccountingRow[]> {
    await this.tables.ensure(FILE_ACCOUNTING_TABLE.name);
    const rows = await this.statements.rows({
      name: 'file-accounting-list',
      sql: `SELECT * FROM ${tablePath(this.dataset, FILE_ACCOUNTING_TABLE.name)} ORDER BY source_file`,
      params: {},
      types: {},
    });
    return rows.map(decodeAccounting);
  }
}

/** The manifest's MERGE (applyFileManifest, then the settle), and the row it leaves. */
export const manifestStatement = (
  dataset: DatasetRef,
  sourceFile: string,
  manifest: FileManifestDto,
  now: string,
): Statement => {
  const started = {
    files: [sourceFile],
    now,
    kind: manifest.kind ?? null,
    started_at: manifest.startedAt,
  };
  const sql = `${settleAccountingSql(dataset, manifest.phase)};

SELECT * FROM ${tablePath(dataset, FILE_ACCOUNTING_TABLE.name)} WHERE source_file IN UNNEST(@files)`;
  const types = {
    files: ACCOUNTING_PARAM_TYPES.files,
    now: ACCOUNTING_PARAM_TYPES.now,
    ...MANIFEST_PARAM_TYPES,
  };
  if (manifest.phase === 'started') {
    const { kind, started_at } = types;
    return {
      name: 'file-manifest-started',
      sql,
      params: started,
      types: { files: types.files, now: types.now, kind, started_at },
    };
  }
  const { totals, finishedAt } = finishedManifestParts(sourceFile, manifest);
  return {
    name: 'file-manifest-finished',
    sql,
    params: {
      ...started,
      rows_read: totals.rowsRead,
      row_errors: totals.rowErrors,
      file_errors: totals.fileErrors,
      profile_changes: totals.profileChanges,
      event_batches: totals.eventBatches,
      profile_change_batches: totals.profileChangeBatches,
      error_batches: totals.errorBatches,
      failed: manifest.failed ?? false,
      finished_at: finishedAt,
    },
    types,
  };
};
