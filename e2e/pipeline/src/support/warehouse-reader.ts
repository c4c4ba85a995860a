import Database from 'better-sqlite3';
import {
  FileAccountingRow,
  OutputStream,
  ProfileRow,
  UnifiedEventRow,
} from '@event-pipeline/schema';

type Raw = Record<string, unknown>;

const decodeEvent = (raw: Raw): UnifiedEventRow =>
  ({
    ...raw,
    event_parameters:
      raw['event_parameters'] === null
        ? null
        : JSON.parse(String(raw['event_parameters'])),
  }) as UnifiedEventRow;

const decodeAccounting = (raw: Raw): FileAccountingRow =>
  ({
    ...raw,
    failed_as_whole:
      raw['failed_as_whole'] === null ? null : raw['failed_as_whole'] === 1,
  }) as FileAccountingRow;

export type CommittedBatchCounts = Record<OutputStream, number>;

/**
 * Reads the warehouse file the services write, through its own read-only
 * connection: in WAL mode a reader sees the last commit and never blocks a
 * writer.
 */
export class WarehouseReader {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
  }

  /** Every row, or the rows of one source file. */
  events(sourceFile?: string): UnifiedEventRow[] {
    const rows = sourceFile
      ? this.db
          .prepare('SELECT * FROM unified_events WHERE source_file = ?')
          .all(sourceFile)
      : this.db.prepare('SELECT * FROM unified_events').all();
    return (rows as Raw[]).map(decodeEvent);
  }

  count(table: 'unified_events' | 'profiles' | 'file_accounting'): number {
    return (
      this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as {
        n: number;
      }
    ).n;
  }

  profiles(): ProfileRow[] {
    return this.db.prepare('SELECT * FROM profiles').all() as ProfileRow[];
  }

  accounting(sourceFile: string): FileAccountingRow | undefined {
    const raw = this.db
      .prepare('SELECT * FROM file_accounting WHERE source_file = ?')
      .get(sourceFile) as Raw | undefined;
    return raw && decodeAccounting(raw);
  }

  /** The accounting rows of every generation of one object. */
  accountingOfObject(bucket: string, name: string): FileAccountingRow[] {
    const prefix = `gs://${bucket}/${name}#`;
    return (
      this.db
        .prepare(
          'SELECT * FROM file_accounting WHERE substr(source_file, 1, length(?)) = ? ORDER BY source_file',
        )
        .all(prefix, prefix) as Raw[]
    ).map(decodeAccounting);
  }

  allAccounting(): FileAccountingRow[] {
    return (
      this.db
        .prepare('SELECT * FROM file_accounting ORDER BY source_file')
        .all() as Raw[]
    ).map(decodeAccounting);
  }

  /** Committed batches of a file, per output stream. */
  committedBatches(sourceFile: string): CommittedBatchCounts {
    const counts: CommittedBatchCounts = {
      'unified-events': 0,
      'profile-changes': 0,
      'ingest-errors': 0,
    };
    const rows = this.db
      .prepare(
        'SELECT stream, count(*) AS n FROM file_batches WHERE source_file = ? GROUP BY stream',
      )
      .all(sourceFile) as { stream: OutputStream; n: number }[];
    for (const { stream, n } of rows) counts[stream] = n;
    return counts;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
