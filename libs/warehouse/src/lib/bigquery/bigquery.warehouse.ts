import { BigQuery, BigQueryOptions } from '@google-cloud/bigquery';
import { Storage } from '@google-cloud/storage';
import {
  ErrorRecord,
  FILE_ACCOUNTING_TABLE,
  FILE_BATCH_COLUMNS,
  FILE_BATCHES_TABLE,
  FileAccountingRow,
  FileBatchRow,
  FileManifestDto,
  PROFILE_COLUMNS,
  PROFILES_TABLE,
  ProfileRow,
  SourceFileRef,
  sourceFileUri,
  UNIFIED_EVENTS_TABLE,
  UnifiedEvent,
} from '@event-pipeline/schema';
import {
  deadLetteredBatchRow,
  eventBatchRow,
  fullyLoadedBatchRow,
} from '../file-batch-rows';
import { MicroBatcher } from '../micro-batcher';
import { unifiedEventRow } from '../profile-values-on-events';
import {
  checkEventBatch,
  IndexedEvent,
  rejectedRowRecord,
} from '../unified-event-check';
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
import { BigQueryAccounting, StoredCommit } from './bigquery-accounting';
import {
  BigQueryStatements,
  DatasetRef,
  tablePath,
} from './bigquery-statements';
import {
  BigQueryTables,
  PROFILE_RECONCILE_RUNS_TABLE,
} from './bigquery-tables';
import { decodeRow } from './bigquery-values';
import {
  decodeEventBatchLookup,
  eventBatchLookupStatement,
} from './event-batch-lookup.sql';
import { StreamingEventInserts } from './event-inserts';
import {
  EventRowsWriter,
  EventRowsWritten,
  EventRowToWrite,
} from './event-rows-writer';
import {
  CloudStorageStaging,
  LoadJobEventWrites,
  StagingStore,
} from './load-jobs';
import { profileChangesStatement } from './profile-merge.sql';
import {
  DEFAULT_RECONCILE_TIMING,
  profileReconcileJobId,
  profileReconcileStatement,
  ProfileReconcileTiming,
} from './profile-reconcile.sql';
import { DEFAULT_RETRY, RetryPolicy } from './retry';
import { UNIFIED_EVENTS_DEDUP_VIEW } from './unified-events-dedup.sql';

/** How new unified_events rows reach BigQuery. */
export type EventWriteMode =
  | { mode: 'streaming' }
  | {
      mode: 'load';
      /** The bucket where each batch is staged as NDJSON before its load job. */
      stagingBucket: string;
    };

export interface BigQueryWarehouseOptions {
  /** The Google Cloud project: the dataset's, and the one jobs run and bill in. */
  projectId: string;
  dataset: string;
  /** The dataset's location (EU, US, a region); jobs run there. */
  location?: string;
  /** Another BigQuery API endpoint (a proxy, a test server). */
  apiEndpoint?: string;
  eventWrites: EventWriteMode;
  /**
   * The reconcile of profile columns runs at most once per window of this
   * length, however many instances ask for it.
   */
  reconcileIntervalMinutes: number;
}

/** Seams for tests and special environments. */
export interface BigQueryWarehouseDependencies {
  /** More client options, such as credentials or the client's request retry timing. */
  client?: Omit<BigQueryOptions, 'projectId' | 'location' | 'apiEndpoint'>;
  /** The staging store of the load mode (by default the staging bucket). */
  staging?: StagingStore;
  retry?: RetryPolicy;
  reconcileTiming?: ProfileReconcileTiming;
  clock?: () => Date;
}

/** What the reconcile did, when it ran. */
export interface BigQueryProfileColumnsReconcile
  extends ProfileColumnsReconcile {
  /** Profiles changed after this were looked at (null: all of them). */
  since?: string | null;
  /** Rows written before this were looked at. */
  cutoff?: string;
  /** Users whose rows were out of date. */
  users?: number;
}

interface CheckedEventBatch {
  file: SourceFileRef;
  sourceFile: string;
  batchIndex: number;
  accepted: readonly IndexedEvent[];
  /** Rows of the message, accepted or not. */
  rows: number;
}

type WrittenEventBatch = Omit<UnifiedEventBatchResult, 'rejected'> & {
  /** Rows BigQuery refused, as error records. */
  refused: ErrorRecord[];
};

type EventBatchOutcome =
  | { ok: true; written: WrittenEventBatch }
  | { ok: false; error: unknown };

/** A batch commit to record, or only a file to settle. */
interface Commit {
  sourceFile: string;
  batch?: FileBatchRow;
}

/**
 * Event batches gathered into one lookup query and one accounting script;
 * 20 batches of 1,000 events keep the lookup's parameters near 1.5 MB.
 */
const EVENT_BATCHES_PER_GROUP = 20;
const COMMITS_PER_SCRIPT = 500;

const batchKey = (sourceFile: string, stream: string, index: number) =>
  JSON.stringify([sourceFile, stream, index]);

const sameCommit = (a: FileBatchRow, b: FileBatchRow) =>
  FILE_BATCH_COLUMNS.every(({ name }) => a[name] === b[name]);

/**
 * Whether the proposed commit is the one stored: not recorded before the
 * commit ran, and not beaten by a concurrent delivery of the same batch.
 */
const isOwnCommit = (stored: StoredCommit, proposal: FileBatchRow) =>
  !stored.recordedBefore && sameCommit(stored.batch, proposal);

const REFUSED_EARLIER =
  'BigQuery refused it when the batch was first written (its reason was not kept)';

/**
 * The rows a committed batch had BigQuery refuse, told again when the batch
 * comes back: the process may have ended between the commit and publishing
 * their records. They are its accepted rows the table lacks. More of those
 * than the commit counts means rows streamed moments ago are not visible
 * yet: nothing is told then, rather than rows that did load.
 */
const refusedEarlier = (
  batch: CheckedEventBatch,
  stored: FileBatchRow,
  loadedEventIds: ReadonlySet<string>,
): ErrorRecord[] => {
  const refused = stored.rejected - (batch.rows - batch.accepted.length);
  if (refused <= 0) return [];
  const missing = batch.accepted.filter(
    ({ event }) => !loadedEventIds.has(event.event_id),
  );
  if (missing.length > refused) return [];
  return missing.map(({ index, event }) =>
    rejectedRowRecord(
      batch.sourceFile,
      batch.batchIndex,
      index,
      REFUSED_EARLIER,
      event,
    ),
  );
};

const EVENT_TABLES = [
  UNIFIED_EVENTS_TABLE.name,
  UNIFIED_EVENTS_DEDUP_VIEW,
  PROFILES_TABLE.name,
  FILE_BATCHES_TABLE.name,
  FILE_ACCOUNTING_TABLE.name,
] as const;

/**
 * The production warehouse, on BigQuery: events streamed with insertAll
 * (insertId = event_id) or loaded from Cloud Storage, profiles folded by one
 * MERGE per micro-batch, accounting by one DML statement per table per
 * commit, and the profile columns on events brought up to date by a
 * periodic reconcile.
 */
export class BigQueryWarehouse implements Warehouse {
  private readonly client: BigQuery;
  private readonly dataset: DatasetRef;
  private readonly tables: BigQueryTables;
  private readonly statements: BigQueryStatements;
  private readonly accounting: BigQueryAccounting;
  private readonly eventRows: EventRowsWriter;
  private readonly eventWrites: MicroBatcher<
    CheckedEventBatch,
    EventBatchOutcome
  >;
  private readonly commits: MicroBatcher<Commit, StoredCommit | undefined>;
  private readonly clock: () => Date;
  private readonly reconcileTiming: ProfileReconcileTiming;

  constructor(
    private readonly options: BigQueryWarehouseOptions,
    dependencies: BigQueryWarehouseDependencies = {},
  ) {
    const { projectId, dataset, location, apiEndpoint } = options;
    this.client = new BigQuery({
      ...dependencies.client,
      projectId,
      location,
      ...(apiEndpoint === undefined ? {} : { apiEndpoint }),
    });
    const datasetHandle = this.client.dataset(dataset, { location });
    const retry = dependencies.retry ?? DEFAULT_RETRY;
    this.dataset = { projectId, datasetId: dataset };
    this.tables = new BigQueryTables(datasetHandle);
    this.statements = new BigQueryStatements(this.client, location, retry);
    this.accounting = new BigQueryAccounting(
      this.statements,
      this.tables,
      this.dataset,
    );
    this.eventRows =
      options.eventWrites.mode === 'streaming'
        ? new StreamingEventInserts(
            datasetHandle.table(UNIFIED_EVENTS_TABLE.name),
            retry,
          )
        : new LoadJobEventWrites(
            this.client,
            this.dataset,
            location,
            dependencies.staging ??
              new CloudStorageStaging(
                new Storage({ projectId }).bucket(
                  options.eventWrites.stagingBucket,
                ),
              ),
          );
    this.clock = dependencies.clock ?? (() => new Date());
    this.reconcileTiming =
      dependencies.reconcileTiming ?? DEFAULT_RECONCILE_TIMING;
    // Both write in the background of concurrent calls: what arrives while
    // a statement runs goes into the next one.
    this.eventWrites = new MicroBatcher(
      (batches) => this.writeEventBatches(batches),
      { maxItems: EVENT_BATCHES_PER_GROUP, maxWaitMs: 0 },
    );
    this.commits = new MicroBatcher((commits) => this.writeCommits(commits), {
      maxItems: COMMITS_PER_SCRIPT,
      maxWaitMs: 0,
    });
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
    const outcome = await this.eventWrites.submit({
      file: batch.file,
      sourceFile,
      batchIndex: batch.batchIndex,
      accepted,
      rows: batch.events.length,
    });
    if (!outcome.ok) throw outcome.error;
    const { refused, ...written } = outcome.written;
    return { ...written, rejected: [...rejected, ...refused] };
  }

  async applyProfileChanges(
    batches: readonly ProfileChangeBatch[],
  ): Promise<ProfileChangesResult> {
    const unique = new Map<string, ProfileChangeBatch>();
    for (const batch of batches) {
      const key = batchKey(
        sourceFileUri(batch.file),
        'profile-changes',
        batch.batchIndex,
      );
      if (!unique.has(key)) unique.set(key, batch);
    }
    if (unique.size === 0) {
      return { committed: 0, redelivered: 0, profilesChanged: 0 };
    }
    await this.tables.ensure(
      PROFILES_TABLE.name,
      FILE_BATCHES_TABLE.name,
      FILE_ACCOUNTING_TABLE.name,
    );
    const now = this.now();
    const [row] = await this.statements.rows(
      profileChangesStatement(this.dataset, {
        batches: [...unique.values()].map((batch) =>
          fullyLoadedBatchRow(
            sourceFileUri(batch.file),
            'profile-changes',
            batch.batchIndex,
            batch.changes.length,
            now,
          ),
        ),
        changes: [...unique.values()].flatMap((batch) => batch.changes),
        now,
      }),
    );
    const committed = row['batches_committed'] as number;
    return {
      committed,
      redelivered: batches.length - committed,
      profilesChanged: row['profiles_changed'] as number,
    };
  }

  async reconcileProfileColumns(): Promise<BigQueryProfileColumnsReconcile> {
    await this.tables.ensure(
      UNIFIED_EVENTS_TABLE.name,
      PROFILES_TABLE.name,
      PROFILE_RECONCILE_RUNS_TABLE.name,
    );
    const now = this.clock();
    const jobId = profileReconcileJobId(
      this.dataset,
      now,
      this.options.reconcileIntervalMinutes,
    );
    const rows = await this.statements.rowsOnce(
      profileReconcileStatement(
        this.dataset,
        jobId,
        now.toISOString(),
        this.reconcileTiming,
      ),
      jobId,
    );
    if (rows === null) return { ran: false, rowsUpdated: 0 };
    const run = decodeRow<{
      since: string | null;
      cutoff: string;
      users: number;
      rows_updated: number;
    }>(PROFILE_RECONCILE_RUNS_TABLE.columns, rows[0]);
    return {
      ran: true,
      rowsUpdated: run.rows_updated,
      since: run.since,
      cutoff: run.cutoff,
      users: run.users,
    };
  }

  async getProfiles(userIds: readonly string[]): Promise<ProfileRow[]> {
    if (userIds.length === 0) return [];
    await this.tables.ensure(PROFILES_TABLE.name);
    const rows = await this.statements.rows({
      name: 'profiles-read',
      sql: `SELECT * FROM ${tablePath(this.dataset, PROFILES_TABLE.name)} WHERE user_id IN UNNEST(@user_ids)`,
      params: { user_ids: [...new Set(userIds)] },
      types: { user_ids: ['STRING'] },
    });
    return rows.map((raw) => decodeRow<ProfileRow>(PROFILE_COLUMNS, raw));
  }

  async recordErrorBatch(
    batch: ErrorRecordBatch,
  ): Promise<ErrorRecordBatchResult> {
    const { stored, redelivered } = await this.commitBatch(
      fullyLoadedBatchRow(
        sourceFileUri(batch.file),
        'ingest-errors',
        batch.batchIndex,
        batch.records.length,
        this.now(),
      ),
    );
    return { records: stored.rows, redelivered };
  }

  async recordDeadLetteredBatch(
    batch: DeadLetteredBatch,
  ): Promise<{ redelivered: boolean }> {
    const { redelivered } = await this.commitBatch(
      deadLetteredBatchRow(sourceFileUri(batch.file), batch, this.now()),
    );
    return { redelivered };
  }

  recordFileManifest(manifest: FileManifestDto): Promise<FileAccountingRow> {
    return this.accounting.recordManifest(manifest, this.now());
  }

  getFileAccounting(sourceFile: string): Promise<FileAccountingRow | null> {
    return this.accounting.get(sourceFile);
  }

  listFileAccounting(): Promise<FileAccountingRow[]> {
    return this.accounting.list();
  }

  async close(): Promise<void> {
    await this.eventWrites.flush();
    await this.commits.flush();
  }

  private now(): string {
    return this.clock().toISOString();
  }

  /** Records one batch commit; redelivered when an earlier delivery's commit is the stored one. */
  private async commitBatch(
    batch: FileBatchRow,
  ): Promise<{ stored: FileBatchRow; redelivered: boolean }> {
    const stored = await this.commits.submit({
      sourceFile: batch.source_file,
      batch,
    });
    if (!stored) {
      throw new Error(
        `The commit of ${batch.stream} batch ${batch.batch_index} of ${batch.source_file} was not stored`,
      );
    }
    return { stored: stored.batch, redelivered: !isOwnCommit(stored, batch) };
  }

  private async writeCommits(
    commits: readonly Commit[],
  ): Promise<(StoredCommit | undefined)[]> {
    const batches = commits.flatMap(({ batch }) => (batch ? [batch] : []));
    const files = [...new Set(commits.map(({ sourceFile }) => sourceFile))];
    const stored = await this.accounting.commit(batches, files, this.now());
    const byKey = new Map(
      stored.map((commit) => [
        batchKey(
          commit.batch.source_file,
          commit.batch.stream,
          commit.batch.batch_index,
        ),
        commit,
      ]),
    );
    return commits.map(({ batch }) =>
      batch
        ? byKey.get(
            batchKey(batch.source_file, batch.stream, batch.batch_index),
          )
        : undefined,
    );
  }

  /**
   * One group of concurrent event batches: one lookup (committed batches,
   * loaded event ids, profile values), the rows of each new batch written
   * (independently: one batch failing fails only its own message), then one
   * accounting script for them all. A redelivered batch writes nothing but
   * still settles its file, which heals a commit whose settle had failed.
   */
  private async writeEventBatches(
    batches: readonly CheckedEventBatch[],
  ): Promise<EventBatchOutcome[]> {
    await this.tables.ensure(...EVENT_TABLES);
    const now = this.now();
    const [lookupRow] = await this.statements.rows(
      eventBatchLookupStatement(
        this.dataset,
        batches.map(({ sourceFile, batchIndex }) => ({
          source_file: sourceFile,
          batch_index: batchIndex,
        })),
        batches.flatMap(({ accepted }) => accepted.map(({ event }) => event)),
      ),
    );
    const lookup = decodeEventBatchLookup(lookupRow);
    const committed = new Map(
      lookup.committed.map((row) => [
        batchKey(row.source_file, row.stream, row.batch_index),
        row,
      ]),
    );
    // Within the group, as in one transaction: the first batch to hold an
    // event loads it, later ones count it as a duplicate.
    const taken = new Set(lookup.loadedEventIds);
    const firstOfKey = new Map<string, number>();
    const plans = batches.map((batch, position) => {
      const key = batchKey(
        batch.sourceFile,
        'unified-events',
        batch.batchIndex,
      );
      const stored = committed.get(key);
      if (stored) return { kind: 'committed' as const, stored };
      const first = firstOfKey.get(key);
      if (first !== undefined) return { kind: 'repeat' as const, first };
      firstOfKey.set(key, position);
      const rows: EventRowToWrite[] = [];
      for (const { index, event } of batch.accepted) {
        if (taken.has(event.event_id)) continue;
        taken.add(event.event_id);
        rows.push({
          index,
          row: unifiedEventRow(event, lookup.profiles.get(event.user_id), now),
        });
      }
      return { kind: 'new' as const, rows };
    });

    const written = await Promise.allSettled(
      plans.map((plan, position) =>
        plan.kind === 'new'
          ? this.eventRows.write(
              {
                sourceFile: batches[position].sourceFile,
                generation: batches[position].file.generation,
                batchIndex: batches[position].batchIndex,
              },
              plan.rows,
            )
          : Promise.resolve(undefined),
      ),
    );
    const proposals = plans.map((plan, position): FileBatchRow | undefined => {
      const result = written[position];
      if (plan.kind !== 'new' || result.status !== 'fulfilled')
        return undefined;
      const batch = batches[position];
      const { loaded, refused } = result.value as EventRowsWritten;
      return eventBatchRow(
        batch.sourceFile,
        batch.batchIndex,
        {
          rows: batch.rows,
          accepted: batch.accepted.length,
          // The writer's loaded count is authoritative (a load job retried
          // from an earlier attempt loaded that attempt's rows).
          loaded,
          refused: refused.length,
        },
        now,
      );
    });
    const stored = await Promise.all(
      batches.map((batch, position) =>
        written[position].status === 'fulfilled'
          ? this.commits.submit({
              sourceFile: batch.sourceFile,
              batch: proposals[position],
            })
          : Promise.resolve(undefined),
      ),
    );

    const outcomes: EventBatchOutcome[] = [];
    plans.forEach((plan, position) => {
      const result = written[position];
      if (result.status === 'rejected') {
        outcomes.push({ ok: false, error: result.reason });
        return;
      }
      if (plan.kind === 'repeat') {
        const first = outcomes[plan.first];
        outcomes.push(
          first.ok
            ? { ok: true, written: { ...first.written, redelivered: true } }
            : first,
        );
        return;
      }
      const commit =
        plan.kind === 'committed'
          ? { batch: plan.stored, recordedBefore: true }
          : stored[position];
      if (!commit) {
        outcomes.push({
          ok: false,
          error: new Error(
            `The commit of unified-events batch ${batches[position].batchIndex} of ${batches[position].sourceFile} was not stored`,
          ),
        });
        return;
      }
      const proposal = proposals[position];
      const ours = proposal !== undefined && isOwnCommit(commit, proposal);
      outcomes.push({
        ok: true,
        written: {
          loaded: commit.batch.loaded,
          duplicates: commit.batch.duplicates,
          redelivered: !ours,
          refused: ours
            ? this.refusedRecords(
                batches[position],
                (result.value as EventRowsWritten).refused,
              )
            : plan.kind === 'committed'
              ? refusedEarlier(
                  batches[position],
                  plan.stored,
                  lookup.loadedEventIds,
                )
              : [],
        },
      });
    });
    return outcomes;
  }

  private refusedRecords(
    batch: CheckedEventBatch,
    refused: EventRowsWritten['refused'],
  ): ErrorRecord[] {
    const events = new Map<number, UnifiedEvent>(
      batch.accepted.map(({ index, event }) => [index, event]),
    );
    return refused.map(({ index, problem }) =>
      rejectedRowRecord(
        batch.sourceFile,
        batch.batchIndex,
        index,
        problem,
        events.get(index),
      ),
    );
  }
}
