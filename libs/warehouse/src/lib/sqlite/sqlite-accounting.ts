import Database from 'better-sqlite3';
import {
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
import {
  applyFileManifest,
  CommittedBatches,
  newFileAccounting,
  sameFileAccounting,
  settleFileAccounting,
} from '../file-accounting';
import {
  insertSql,
  quoteIdentifier,
  rowDecoder,
  rowEncoder,
  SqliteValue,
  upsertSql,
} from './sqlite-rows';

const EVENTS: OutputStream = 'unified-events';
const PROFILE_CHANGES: OutputStream = 'profile-changes';
const ERRORS: OutputStream = 'ingest-errors';

const accountingTable = quoteIdentifier(FILE_ACCOUNTING_TABLE.name);
const batchesTable = quoteIdentifier(FILE_BATCHES_TABLE.name);

// Loaded, duplicates and rejected are sums over every committed event
// batch; completeness counts only the batch indexes the manifest announces.
const COMMITTED_SQL = `SELECT
  coalesce(sum(CASE WHEN stream = '${EVENTS}' THEN loaded END), 0) AS rowsLoaded,
  coalesce(sum(CASE WHEN stream = '${EVENTS}' THEN duplicates END), 0) AS duplicates,
  coalesce(sum(CASE WHEN stream = '${EVENTS}' THEN rejected END), 0) AS rowsRejected,
  count(CASE WHEN stream = '${EVENTS}' AND batch_index < @event_batches THEN 1 END) AS eventBatches,
  count(CASE WHEN stream = '${PROFILE_CHANGES}' AND batch_index < @profile_change_batches THEN 1 END) AS profileChangeBatches,
  count(CASE WHEN stream = '${ERRORS}' AND batch_index < @error_batches THEN 1 END) AS errorBatches
FROM ${batchesTable} WHERE source_file = @source_file`;

const decodeAccounting = rowDecoder<FileAccountingRow>(FILE_ACCOUNTING_COLUMNS);
const encodeAccounting = rowEncoder<FileAccountingRow>(FILE_ACCOUNTING_COLUMNS);
const decodeBatch = rowDecoder<FileBatchRow>(FILE_BATCH_COLUMNS);
const encodeBatch = rowEncoder<FileBatchRow>(FILE_BATCH_COLUMNS);

type Raw = Record<string, SqliteValue>;

/**
 * file_batches and file_accounting. Every method runs inside the caller's
 * transaction, the one that writes the batch itself.
 */
export class SqliteAccounting {
  private readonly selectBatch: Database.Statement<[string, string, number]>;
  private readonly insertBatch: Database.Statement<[Raw]>;
  private readonly selectCommitted: Database.Statement<[Raw]>;
  private readonly selectFile: Database.Statement<[string]>;
  private readonly selectFiles: Database.Statement<[]>;
  private readonly upsertFile: Database.Statement<[Raw]>;

  constructor(db: Database.Database) {
    this.selectBatch = db.prepare(
      `SELECT * FROM ${batchesTable} WHERE source_file = ? AND stream = ? AND batch_index = ?`,
    );
    this.insertBatch = db.prepare(insertSql(FILE_BATCHES_TABLE));
    this.selectCommitted = db.prepare(COMMITTED_SQL);
    this.selectFile = db.prepare(
      `SELECT * FROM ${accountingTable} WHERE source_file = ?`,
    );
    this.selectFiles = db.prepare(
      `SELECT * FROM ${accountingTable} ORDER BY source_file`,
    );
    this.upsertFile = db.prepare(upsertSql(FILE_ACCOUNTING_TABLE));
  }

  findBatch(
    sourceFile: string,
    stream: OutputStream,
    batchIndex: number,
  ): FileBatchRow | undefined {
    const raw = this.selectBatch.get(sourceFile, stream, batchIndex) as
      | Raw
      | undefined;
    return raw && decodeBatch(raw);
  }

  /** Records a batch commit; settle its file afterwards. */
  recordBatch(batch: FileBatchRow): void {
    this.insertBatch.run(encodeBatch(batch));
  }

  /** Recomputes a file's accounting from its committed batches. */
  settle(sourceFile: string, now: string): FileAccountingRow {
    return this.update(sourceFile, now, (row) => row);
  }

  recordManifest(manifest: FileManifestDto, now: string): FileAccountingRow {
    return this.update(sourceFileUri(manifest.file), now, (row) =>
      applyFileManifest(row, manifest),
    );
  }

  get(sourceFile: string): FileAccountingRow | null {
    const raw = this.selectFile.get(sourceFile) as Raw | undefined;
    return raw ? decodeAccounting(raw) : null;
  }

  list(): FileAccountingRow[] {
    return (this.selectFiles.all() as Raw[]).map(decodeAccounting);
  }

  private update(
    sourceFile: string,
    now: string,
    change: (row: FileAccountingRow) => FileAccountingRow,
  ): FileAccountingRow {
    const stored = this.get(sourceFile);
    const changed = change(stored ?? newFileAccounting(sourceFile, now));
    const next = settleFileAccounting(changed, this.committed(changed), now);
    if (stored && sameFileAccounting(stored, next)) return stored;
    const row = { ...next, updated_at: now };
    this.upsertFile.run(encodeAccounting(row));
    return row;
  }

  private committed(row: FileAccountingRow): CommittedBatches {
    return this.selectCommitted.get({
      source_file: row.source_file,
      event_batches: row.event_batches,
      profile_change_batches: row.profile_change_batches,
      error_batches: row.error_batches,
    }) as CommittedBatches;
  }
}
