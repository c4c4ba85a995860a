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

/** The accounting column holding how many batches of each stream a file announces. */
const ANNOUNCED_COLUMN = {
  'unified-events': 'event_batches',
  'profile-changes': 'profile_change_batches',
  'ingest-errors': 'error_batches',
} as const satisfies Record<OutputStream, keyof FileAccountingRow>;

const accountingTable = quoteIdentifier(FILE_ACCOUNTING_TABLE.name);
const batchesTable = quoteIdentifier(FILE_BATCHES_TABLE.name);

/**
 * Running totals of each file's committed batches, per stream, kept in the
 * transaction of every commit, so that settling a file costs the same for
 * its millionth batch as for its first. A recount over file_batches would
 * grow with the batches committed so far, quadratic over a file.
 * `announced` counts the committed batches whose index the finished
 * manifest announces, once the manifest is known.
 */
export const FILE_BATCH_TOTALS_TABLE = 'file_batch_totals';

export const FILE_BATCH_TOTALS_DDL = `CREATE TABLE IF NOT EXISTS ${FILE_BATCH_TOTALS_TABLE} (
  source_file TEXT NOT NULL,
  stream TEXT NOT NULL,
  loaded INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  announced INTEGER NOT NULL,
  PRIMARY KEY (source_file, stream)
)`;

/** Totals of a database written before the totals table existed. */
export const BACKFILL_FILE_BATCH_TOTALS_SQL = `INSERT INTO ${FILE_BATCH_TOTALS_TABLE}
SELECT b.source_file, b.stream,
  sum(CASE WHEN b.stream = '${EVENTS}' THEN b.loaded ELSE 0 END),
  sum(CASE WHEN b.stream = '${EVENTS}' THEN b.duplicates ELSE 0 END),
  sum(CASE WHEN b.stream = '${EVENTS}' THEN b.rejected ELSE 0 END),
  sum(CASE WHEN b.batch_index < CASE b.stream
      WHEN '${EVENTS}' THEN a.event_batches
      WHEN '${PROFILE_CHANGES}' THEN a.profile_change_batches
      ELSE a.error_batches END THEN 1 ELSE 0 END)
FROM ${batchesTable} AS b LEFT JOIN ${accountingTable} AS a ON a.source_file = b.source_file
GROUP BY b.source_file, b.stream`;

const ADD_TO_TOTALS_SQL = `INSERT INTO ${FILE_BATCH_TOTALS_TABLE} (source_file, stream, loaded, duplicates, rejected, announced)
VALUES (@source_file, @stream, @loaded, @duplicates, @rejected, @announced)
ON CONFLICT (source_file, stream) DO UPDATE SET
  loaded = loaded + excluded.loaded,
  duplicates = duplicates + excluded.duplicates,
  rejected = rejected + excluded.rejected,
  announced = announced + excluded.announced`;

// Once per file, when the finished manifest says which indexes count.
const RECOUNT_ANNOUNCED_SQL = `UPDATE ${FILE_BATCH_TOTALS_TABLE} SET announced = (
  SELECT count(*) FROM ${batchesTable} AS b
  WHERE b.source_file = ${FILE_BATCH_TOTALS_TABLE}.source_file AND b.stream = ${FILE_BATCH_TOTALS_TABLE}.stream
    AND b.batch_index < CASE ${FILE_BATCH_TOTALS_TABLE}.stream
      WHEN '${EVENTS}' THEN @event_batches
      WHEN '${PROFILE_CHANGES}' THEN @profile_change_batches
      ELSE @error_batches END
) WHERE source_file = @source_file`;

const COMMITTED_SQL = `SELECT
  coalesce(sum(CASE WHEN stream = '${EVENTS}' THEN loaded END), 0) AS rowsLoaded,
  coalesce(sum(CASE WHEN stream = '${EVENTS}' THEN duplicates END), 0) AS duplicates,
  coalesce(sum(CASE WHEN stream = '${EVENTS}' THEN rejected END), 0) AS rowsRejected,
  coalesce(sum(CASE WHEN stream = '${EVENTS}' THEN announced END), 0) AS eventBatches,
  coalesce(sum(CASE WHEN stream = '${PROFILE_CHANGES}' THEN announced END), 0) AS profileChangeBatches,
  coalesce(sum(CASE WHEN stream = '${ERRORS}' THEN announced END), 0) AS errorBatches
FROM ${FILE_BATCH_TOTALS_TABLE} WHERE source_file = ?`;

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
  private readonly selectCommitted: Database.Statement<[string]>;
  private readonly addToTotals: Database.Statement<[Raw]>;
  private readonly recountAnnounced: Database.Statement<[Raw]>;
  private readonly selectFile: Database.Statement<[string]>;
  private readonly selectFiles: Database.Statement<[]>;
  private readonly upsertFile: Database.Statement<[Raw]>;

  constructor(db: Database.Database) {
    this.selectBatch = db.prepare(
      `SELECT * FROM ${batchesTable} WHERE source_file = ? AND stream = ? AND batch_index = ?`,
    );
    this.insertBatch = db.prepare(insertSql(FILE_BATCHES_TABLE));
    this.selectCommitted = db.prepare(COMMITTED_SQL);
    this.addToTotals = db.prepare(ADD_TO_TOTALS_SQL);
    this.recountAnnounced = db.prepare(RECOUNT_ANNOUNCED_SQL);
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
    const stream = batch.stream as OutputStream;
    const announced =
      this.get(batch.source_file)?.[ANNOUNCED_COLUMN[stream]] ?? null;
    const isEvents = batch.stream === EVENTS;
    this.addToTotals.run({
      source_file: batch.source_file,
      stream: batch.stream,
      loaded: isEvents ? batch.loaded : 0,
      duplicates: isEvents ? batch.duplicates : 0,
      rejected: isEvents ? batch.rejected : 0,
      announced: announced !== null && batch.batch_index < announced ? 1 : 0,
    });
  }

  /** Recomputes a file's accounting from its committed batches. */
  settle(sourceFile: string, now: string): FileAccountingRow {
    return this.update(sourceFile, now, (row) => row);
  }

  recordManifest(manifest: FileManifestDto, now: string): FileAccountingRow {
    return this.update(sourceFileUri(manifest.file), now, (row) => {
      const next = applyFileManifest(row, manifest);
      if (manifest.phase === 'finished')
        this.recountAnnounced.run(this.announcedCounts(next));
      return next;
    });
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
    return this.selectCommitted.get(row.source_file) as CommittedBatches;
  }

  private announcedCounts(row: FileAccountingRow): Raw {
    return {
      source_file: row.source_file,
      event_batches: row.event_batches,
      profile_change_batches: row.profile_change_batches,
      error_batches: row.error_batches,
    };
  }
}
