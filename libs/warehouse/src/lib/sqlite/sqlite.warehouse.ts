import Database from 'better-sqlite3';
import { foldProfileChanges } from '@event-pipeline/profile-rules';
import {
  FileAccountingRow,
  FileManifestDto,
  ProfileChange,
  ProfileRow,
  sourceFileUri,
  UnifiedEvent,
} from '@event-pipeline/schema';
import {
  deadLetteredBatchRow,
  eventBatchRow,
  fullyLoadedBatchRow,
} from '../file-batch-rows';
import { MicroBatcher } from '../micro-batcher';
import { sameProfileValuesOnEvents } from '../profile-values-on-events';
import { checkEventBatch } from '../unified-event-check';
import {
  DeadLetteredBatch,
  ErrorRecordBatch,
  ErrorRecordBatchResult,
  ProfileChangeBatch,
  ProfileChangesResult,
  ProfileColumnsReconcile,
  UnifiedEventBatch,
  UnifiedEventBatchResult,
  Warehouse,
} from '../warehouse.port';
import { SqliteAccounting } from './sqlite-accounting';
import { retryWhileBusy } from './sqlite-busy';
import { openSqliteDatabase } from './sqlite-database';
import { SqliteProfiles } from './sqlite-profiles';
import { SqliteUnifiedEvents } from './sqlite-unified-events';

export interface SqliteWarehouseOptions {
  /** The database file; its folder is created when missing. */
  path: string;
}

interface PendingBatch {
  sourceFile: string;
  batch: ProfileChangeBatch;
}

interface CheckedEventBatch {
  sourceFile: string;
  batchIndex: number;
  accepted: readonly UnifiedEvent[];
  /** Rows of the message, accepted or not. */
  rows: number;
}

type WrittenEventBatch = Omit<UnifiedEventBatchResult, 'rejected'>;

/**
 * Event batches handled together share one transaction: with random event
 * ids most of a transaction's cost is the index pages it dirties, and
 * batches written together dirty many of the same pages.
 */
const EVENT_BATCHES_PER_TRANSACTION = 16;

const now = () => new Date().toISOString();

/**
 * The embedded warehouse: one SQLite file shared by every local process.
 * Each write is one BEGIN IMMEDIATE transaction, so writers from several
 * processes take turns and every transaction sees the others' commits; a
 * call that meets another process's lock waits for it without blocking the
 * event loop.
 */
export class SqliteWarehouse implements Warehouse {
  private readonly db: Database.Database;
  private readonly events: SqliteUnifiedEvents;
  private readonly profiles: SqliteProfiles;
  private readonly accounting: SqliteAccounting;

  private readonly eventWrites: MicroBatcher<
    CheckedEventBatch,
    WrittenEventBatch
  >;
  private readonly commitProfileChanges;
  private readonly commitErrorBatch;
  private readonly commitDeadLetteredBatch;
  private readonly commitManifest;

  constructor(options: SqliteWarehouseOptions) {
    this.db = openSqliteDatabase(options.path);
    this.events = new SqliteUnifiedEvents(this.db);
    this.profiles = new SqliteProfiles(this.db);
    this.accounting = new SqliteAccounting(this.db);
    const commitEventBatches = this.immediate(this.writeEventBatches);
    this.eventWrites = new MicroBatcher(
      async (batches) => commitEventBatches(batches),
      {
        maxItems: EVENT_BATCHES_PER_TRANSACTION,
        maxWaitMs: 0,
      },
    );
    this.commitProfileChanges = this.immediate(this.writeProfileChanges);
    this.commitErrorBatch = this.immediate(this.writeErrorBatch);
    this.commitDeadLetteredBatch = this.immediate(this.writeDeadLetteredBatch);
    this.commitManifest = this.immediate((manifest: FileManifestDto) =>
      this.accounting.recordManifest(manifest, now()),
    );
  }

  async insertEventBatch(
    batch: UnifiedEventBatch,
  ): Promise<UnifiedEventBatchResult> {
    const sourceFile = sourceFileUri(batch.file);
    const { accepted, rejected } = checkEventBatch(
      sourceFile,
      batch.batchIndex,
      batch.events,
    );
    const written = await this.eventWrites.submit({
      sourceFile,
      batchIndex: batch.batchIndex,
      accepted: accepted.map(({ event }) => event),
      rows: batch.events.length,
    });
    return { ...written, rejected };
  }

  async applyProfileChanges(
    batches: readonly ProfileChangeBatch[],
  ): Promise<ProfileChangesResult> {
    return this.commitProfileChanges(batches);
  }

  /** Every profile change updates its user's rows in its own transaction. */
  async reconcileProfileColumns(): Promise<ProfileColumnsReconcile> {
    return { ran: false, rowsUpdated: 0 };
  }

  async getProfiles(userIds: readonly string[]): Promise<ProfileRow[]> {
    return retryWhileBusy(() => [...this.profiles.read(userIds).values()]);
  }

  async recordErrorBatch(
    batch: ErrorRecordBatch,
  ): Promise<ErrorRecordBatchResult> {
    return this.commitErrorBatch(
      sourceFileUri(batch.file),
      batch.batchIndex,
      batch.records.length,
    );
  }

  async recordDeadLetteredBatch(
    batch: DeadLetteredBatch,
  ): Promise<{ redelivered: boolean }> {
    return this.commitDeadLetteredBatch(batch);
  }

  async recordFileManifest(
    manifest: FileManifestDto,
  ): Promise<FileAccountingRow> {
    return this.commitManifest(manifest);
  }

  async getFileAccounting(
    sourceFile: string,
  ): Promise<FileAccountingRow | null> {
    return retryWhileBusy(() => this.accounting.get(sourceFile));
  }

  async listFileAccounting(): Promise<FileAccountingRow[]> {
    return retryWhileBusy(() => this.accounting.list());
  }

  async close(): Promise<void> {
    await this.eventWrites.flush();
    if (this.db.open) this.db.close();
  }

  /** Runs `write` as one BEGIN IMMEDIATE transaction: the write lock is taken (or waited for) up front. */
  private immediate<Args extends unknown[], Result>(
    write: (...args: Args) => Result,
  ): (...args: Args) => Promise<Result> {
    const transaction = this.db.transaction(write.bind(this));
    return (...args) => retryWhileBusy(() => transaction.immediate(...args));
  }

  private writeEventBatches(
    batches: readonly CheckedEventBatch[],
  ): WrittenEventBatch[] {
    const at = now();
    const written = batches.map((batch) => this.writeEventBatch(batch, at));
    for (const sourceFile of new Set(batches.map((b) => b.sourceFile))) {
      this.accounting.settle(sourceFile, at);
    }
    return written;
  }

  private writeEventBatch(
    { sourceFile, batchIndex, accepted, rows }: CheckedEventBatch,
    at: string,
  ): WrittenEventBatch {
    const committed = this.accounting.findBatch(
      sourceFile,
      'unified-events',
      batchIndex,
    );
    if (committed) {
      const { loaded, duplicates } = committed;
      return { loaded, duplicates, redelivered: true };
    }
    const profiles = this.profiles.readValuesOnEvents(
      new Set(accepted.map((event) => event.user_id)),
    );
    const loaded = this.events.insert(accepted, profiles, at);
    const commit = eventBatchRow(
      sourceFile,
      batchIndex,
      { rows, accepted: accepted.length, loaded, refused: 0 },
      at,
    );
    this.accounting.recordBatch(commit);
    return { loaded, duplicates: commit.duplicates, redelivered: false };
  }

  private writeProfileChanges(
    batches: readonly ProfileChangeBatch[],
  ): ProfileChangesResult {
    const at = now();
    const pending = new Map<string, PendingBatch>();
    let redelivered = 0;
    for (const batch of batches) {
      const sourceFile = sourceFileUri(batch.file);
      const key = JSON.stringify([sourceFile, batch.batchIndex]);
      if (
        pending.has(key) ||
        this.accounting.findBatch(
          sourceFile,
          'profile-changes',
          batch.batchIndex,
        )
      ) {
        redelivered++;
        continue;
      }
      pending.set(key, { sourceFile, batch });
    }

    const changesByUser = new Map<string, ProfileChange[]>();
    for (const { batch } of pending.values()) {
      for (const change of batch.changes) {
        const changes = changesByUser.get(change.user_id);
        if (changes) changes.push(change);
        else changesByUser.set(change.user_id, [change]);
      }
    }
    const current = this.profiles.read(changesByUser.keys());
    let profilesChanged = 0;
    for (const [userId, changes] of changesByUser) {
      const before = current.get(userId) ?? null;
      const { profile, changed } = foldProfileChanges(before, changes, at);
      if (!changed) continue;
      profilesChanged++;
      this.profiles.write(profile);
      if (!sameProfileValuesOnEvents(before, profile)) {
        this.events.refreshProfileColumns(userId, profile);
      }
    }

    for (const { sourceFile, batch } of pending.values()) {
      this.accounting.recordBatch(
        fullyLoadedBatchRow(
          sourceFile,
          'profile-changes',
          batch.batchIndex,
          batch.changes.length,
          at,
        ),
      );
    }
    const files = new Set([...pending.values()].map((p) => p.sourceFile));
    for (const sourceFile of files) this.accounting.settle(sourceFile, at);
    return { committed: pending.size, redelivered, profilesChanged };
  }

  private writeErrorBatch(
    sourceFile: string,
    batchIndex: number,
    records: number,
  ): ErrorRecordBatchResult {
    const committed = this.accounting.findBatch(
      sourceFile,
      'ingest-errors',
      batchIndex,
    );
    if (committed) return { records: committed.rows, redelivered: true };
    const at = now();
    this.accounting.recordBatch(
      fullyLoadedBatchRow(sourceFile, 'ingest-errors', batchIndex, records, at),
    );
    this.accounting.settle(sourceFile, at);
    return { records, redelivered: false };
  }

  private writeDeadLetteredBatch(batch: DeadLetteredBatch): {
    redelivered: boolean;
  } {
    const sourceFile = sourceFileUri(batch.file);
    if (this.accounting.findBatch(sourceFile, batch.stream, batch.batchIndex)) {
      return { redelivered: true };
    }
    const at = now();
    this.accounting.recordBatch(deadLetteredBatchRow(sourceFile, batch, at));
    this.accounting.settle(sourceFile, at);
    return { redelivered: false };
  }
}
