/**
 * The warehouse's share of a file, measured alone: one process, nothing
 * else running, the SQLite adapter writing the file's profile changes and
 * then its events in the largest groups the services give it; then the same
 * events as bare INSERTs in one transaction, into a fresh warehouse file.
 * Parsing is done here too but not timed. Prints one JSON line
 * (`WarehouseAloneRun`). Started by warehouse-alone.ts, one process per run.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ParsedChunk,
  parseJsonTexts,
  parseSourceFile,
} from '@event-pipeline/parsers';
import {
  ProfileChange,
  SourceFileRef,
  UnifiedEvent,
} from '@event-pipeline/schema';
import {
  openSqliteDatabase,
  ProfileChangeBatch,
  SqliteUnifiedEvents,
  SqliteWarehouse,
  UnifiedEventBatch,
} from '@event-pipeline/warehouse';
import type { WarehouseAloneRun } from './warehouse-alone';

const FILE: SourceFileRef = { bucket: 'bench', name: 'input', generation: '1' };
/** The file-ingestor's default number of events per batch. */
const EVENTS_PER_BATCH = 500;
/** The most event batches the SQLite adapter commits in one transaction. */
const EVENT_BATCHES_PER_TRANSACTION = 16;
/** Profile-change batches per call: 20,000 changes, the file-ingestor's window. */
const PROFILE_BATCHES_PER_CALL = 20;

const secondsSince = (started: bigint): number =>
  Number(process.hrtime.bigint() - started) / 1e9;

const chunksOf = (path: string): AsyncIterable<ParsedChunk> =>
  parseSourceFile(createReadStream(path, { highWaterMark: 1 << 20 }), {
    file: FILE,
    size: statSync(path).size,
  });

/**
 * Hands items to `write` in groups of `size` and returns the seconds spent
 * in `write` alone, so the parsing between groups is not counted.
 */
class TimedGroups<T> {
  seconds = 0;
  private group: T[] = [];

  constructor(
    private readonly size: number,
    private readonly write: (group: T[]) => Promise<unknown>,
  ) {}

  async add(item: T): Promise<void> {
    this.group.push(item);
    if (this.group.length >= this.size) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.group.length === 0) return;
    const started = process.hrtime.bigint();
    await this.write(this.group);
    this.seconds += secondsSince(started);
    this.group = [];
  }
}

const writeProfileChanges = async (
  warehouse: SqliteWarehouse,
  path: string,
) => {
  let changes = 0;
  let batchIndex = 0;
  const groups = new TimedGroups<ProfileChangeBatch>(
    PROFILE_BATCHES_PER_CALL,
    (batches) => warehouse.applyProfileChanges(batches),
  );
  for await (const chunk of chunksOf(path)) {
    const batch = parseJsonTexts<ProfileChange>(chunk.profileChanges);
    if (batch.length === 0) continue;
    changes += batch.length;
    await groups.add({ file: FILE, batchIndex: batchIndex++, changes: batch });
  }
  await groups.flush();
  return { changes, seconds: groups.seconds };
};

// Submitted together, the batches of a group share one transaction.
const writeEvents = async (warehouse: SqliteWarehouse, path: string) => {
  let events = 0;
  let batchIndex = 0;
  const groups = new TimedGroups<UnifiedEventBatch>(
    EVENT_BATCHES_PER_TRANSACTION,
    (batches) =>
      Promise.all(batches.map((batch) => warehouse.insertEventBatch(batch))),
  );
  for await (const chunk of chunksOf(path)) {
    const rows = parseJsonTexts<UnifiedEvent>(chunk.events);
    events += rows.length;
    for (let at = 0; at < rows.length; at += EVENTS_PER_BATCH) {
      await groups.add({
        file: FILE,
        batchIndex: batchIndex++,
        events: rows.slice(at, at + EVENTS_PER_BATCH),
      });
    }
  }
  await groups.flush();
  return { events, seconds: groups.seconds };
};

const NO_PROFILES = new Map<string, never>();

/**
 * The events as plain INSERTs (the adapter's own statement), every one in a
 * single transaction, into a warehouse file of their own (its tables,
 * indexes and settings): no profile lookup, no accounting, no commit per
 * batch. What SQLite itself needs to store these rows here, which no
 * streaming writer can undercut.
 */
const insertBare = async (path: string, databasePath: string) => {
  const db = openSqliteDatabase(databasePath);
  try {
    const rows = new SqliteUnifiedEvents(db);
    const ingestedAt = new Date().toISOString();
    let seconds = 0;
    const timed = (work: () => void) => {
      const started = process.hrtime.bigint();
      work();
      seconds += secondsSince(started);
    };
    timed(() => db.exec('BEGIN'));
    for await (const chunk of chunksOf(path)) {
      const events = parseJsonTexts<UnifiedEvent>(chunk.events);
      timed(() => rows.insert(events, NO_PROFILES, ingestedAt));
    }
    timed(() => db.exec('COMMIT'));
    return seconds;
  } finally {
    db.close();
  }
};

const main = async () => {
  const [path] = process.argv.slice(2);
  if (!path) throw new Error('usage: warehouse-alone.process <input>');
  const dir = mkdtempSync(join(tmpdir(), 'warehouse-alone-'));
  const warehouse = new SqliteWarehouse({
    path: join(dir, 'warehouse.sqlite'),
  });
  try {
    // Profiles first: events written after them take their values at insert
    // and leave the change-data-capture update nothing to rewrite.
    const profileChanges = await writeProfileChanges(warehouse, path);
    const events = await writeEvents(warehouse, path);
    const run: WarehouseAloneRun = {
      events: events.events,
      eventSeconds: events.seconds,
      profileChanges: profileChanges.changes,
      profileChangeSeconds: profileChanges.seconds,
      bareInsertSeconds: await insertBare(path, join(dir, 'bare.sqlite')),
    };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  } finally {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
