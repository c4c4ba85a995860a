import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { toSqliteDdl, WAREHOUSE_TABLES } from '@event-pipeline/schema';
import {
  BACKFILL_FILE_BATCH_TOTALS_SQL,
  FILE_BATCH_TOTALS_DDL,
  FILE_BATCH_TOTALS_TABLE,
} from './sqlite-accounting';
import { BUSY_TIMEOUT_MS } from './sqlite-busy';

/** Indexes the adapter's own queries need, beyond the primary keys. */
const INDEXES = [
  // The change-data-capture update of a user's events.
  'CREATE INDEX IF NOT EXISTS unified_events_by_user ON unified_events (user_id)',
];

/**
 * Opens (creating if needed) the warehouse file in WAL mode, so that readers
 * never block the writer and several processes can write in turn. Once
 * open, SQLite itself no longer waits for a lock: every later call meets
 * SQLITE_BUSY at once and waits outside SQLite (`retryWhileBusy`).
 */
export const openSqliteDatabase = (path: string): Database.Database => {
  mkdirSync(dirname(path), { recursive: true });
  // The busy timeout is set at open, before the first statement, so that even
  // the switch to WAL and the DDL wait for a process that holds the lock.
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL survives a crash of the process; only a power cut
    // may roll back the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    // Random event ids dirty a page of the primary key index per row, so a
    // checkpoint after every 1,000 pages (the default) would run after
    // nearly every batch. Letting the WAL reach 65,536 pages (256 MiB of
    // disk) first merges the repeated writes of hot pages: 16,000 pages was
    // 1.8 times faster than the default, 65,536 cut the event-streamer's
    // CPU by another fifth on a million-row file, and 131,072 gave nothing
    // more.
    db.pragma('wal_autocheckpoint = 65536');
    db.transaction(() => {
      for (const table of WAREHOUSE_TABLES) db.exec(toSqliteDdl(table));
      for (const index of INDEXES) db.exec(index);
      const hadTotals = db
        .prepare(
          `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`,
        )
        .get(FILE_BATCH_TOTALS_TABLE);
      db.exec(FILE_BATCH_TOTALS_DDL);
      if (!hadTotals) db.exec(BACKFILL_FILE_BATCH_TOTALS_SQL);
    }).immediate();
    db.pragma('busy_timeout = 0');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
};
