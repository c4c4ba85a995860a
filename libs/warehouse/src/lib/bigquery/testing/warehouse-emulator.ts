import { foldProfileChanges } from '@event-pipeline/profile-rules';
import {
  ColumnSpec,
  FILE_ACCOUNTING_COLUMNS,
  FILE_BATCH_COLUMNS,
  FileAccountingRow,
  FileBatchRow,
  FileManifestDto,
  parseSourceFileUri,
  PROFILE_COLUMNS,
  PROFILE_VALUES_ON_EVENTS,
  ProfileChange,
  ProfileRow,
  SubscriptionState,
  UNIFIED_EVENTS_TABLE,
  UnifiedEvent,
} from '@event-pipeline/schema';
import {
  applyFileManifest,
  CommittedBatches,
  newFileAccounting,
  sameFileAccounting,
  settleFileAccounting,
} from '../../file-accounting';
import { unifiedEventColumnValue } from '../../profile-values-on-events';
import { STATEMENT_LABEL } from '../bigquery-statements';
import { PROFILE_RECONCILE_RUNS_TABLE } from '../bigquery-tables';
import {
  FakeBigQueryServer,
  QueryAnswer,
  QueryJob,
  ResultField,
} from './fake-bigquery.server';

const fields = (columns: readonly ColumnSpec[]): ResultField[] =>
  columns.map(({ name, type, mode }) => ({ name, type, mode }));

const count = (name: string): ResultField => ({ name, type: 'INT64' });

const batchKey = (row: {
  source_file: string;
  stream: string;
  batch_index: number;
}) => JSON.stringify([row.source_file, row.stream, row.batch_index]);

const PROFILE_VALUE_COLUMNS = PROFILE_COLUMNS.filter(
  ({ name }) =>
    name === 'user_id' ||
    (PROFILE_VALUES_ON_EVENTS as readonly string[]).includes(name),
);

type Param = Record<string, unknown>;

/** A profile change back from its `@changes` element. */
const profileChange = (p: Param): ProfileChange => ({
  user_id: p['user_id'] as string,
  event_id: p['event_id'] as string,
  event_datetime: p['event_datetime'] as number,
  ...(p['has_attributes']
    ? {
        attributes: {
          city: p['city'] as string | null,
          region: p['region'] as string | null,
          country: p['country'] as string | null,
          os: p['os'] as string | null,
          app_version: p['app_version'] as string | null,
          device: p['device'] as string | null,
          os_version: p['os_version'] as string | null,
        },
      }
    : {}),
  ...(p['install_date'] === null
    ? {}
    : { install_date: p['install_date'] as number }),
  ...(p['state'] === null
    ? {}
    : {
        subscription: {
          state: p['state'] as SubscriptionState,
          product_id: p['product_id'] as string | null,
          cancellation_reason: p['cancellation_reason'] as string | null,
        },
      }),
  ...(p['revenue'] === null ? {} : { revenue: p['revenue'] as string }),
});

/**
 * The effect of each of the adapter's statements on an in-memory warehouse,
 * worked out from the statement's name (its job label) and parameters with
 * the pure rules (foldProfileChanges, file-accounting.ts), so that the
 * adapter's flow (lookups, writes, commits, redeliveries) can be tested
 * end to end through the official client. The SQL itself is checked by the
 * specs of its builders; BigQuery SQL cannot run here.
 */
export class WarehouseEmulator {
  readonly batches: FileBatchRow[] = [];
  readonly accounting = new Map<string, FileAccountingRow>();
  readonly profiles = new Map<string, ProfileRow>();
  readonly reconcileRuns: { cutoff: string }[] = [];
  /** Every statement run, in order. */
  readonly statements: QueryJob[] = [];

  constructor(private readonly server: FakeBigQueryServer) {
    server.onQuery((job) => {
      this.statements.push(job);
      return this.answer(job);
    });
  }

  statementNames(): string[] {
    return this.statements.map((job) => job.labels[STATEMENT_LABEL]);
  }

  /** The stored unified_events rows, as the insertAll requests carried them. */
  events(): Record<string, unknown>[] {
    return this.server
      .tableRows(UNIFIED_EVENTS_TABLE.name)
      .map(({ json }) => json);
  }

  private answer(job: QueryJob): QueryAnswer {
    const p = job.params;
    switch (job.labels[STATEMENT_LABEL]) {
      case 'event-batch-lookup':
        return this.lookup(p);
      case 'batch-commit': {
        const before = new Set(this.batches.map(batchKey));
        this.record(p['batches'] as FileBatchRow[]);
        this.settleAll(p);
        return {
          schema: [
            ...fields(FILE_BATCH_COLUMNS),
            { name: 'recorded_before', type: 'BOOL' },
          ],
          rows: this.stored(p['batches'] as FileBatchRow[]).map((row) => ({
            ...row,
            recorded_before: before.has(batchKey(row)),
          })),
        };
      }
      case 'profile-changes':
        return this.profileChanges(p);
      case 'file-manifest-started':
        return this.manifest(p, 'started');
      case 'file-manifest-finished':
        return this.manifest(p, 'finished');
      case 'file-accounting-read':
        return this.accountingRows(
          (row) => row.source_file === p['source_file'],
        );
      case 'file-accounting-list':
        return this.accountingRows(() => true);
      case 'profiles-read':
        return {
          schema: fields(PROFILE_COLUMNS),
          rows: (p['user_ids'] as string[]).flatMap((id) => {
            const profile = this.profiles.get(id);
            return profile ? [profile] : [];
          }),
        };
      case 'profile-reconcile':
        return this.reconcile(p);
      default:
        throw new Error(`No emulation of ${JSON.stringify(job.labels)}`);
    }
  }

  private firstPerKey(): FileBatchRow[] {
    const first = new Map<string, FileBatchRow>();
    for (const row of [...this.batches].sort((a, b) =>
      a.committed_at.localeCompare(b.committed_at),
    )) {
      if (!first.has(batchKey(row))) first.set(batchKey(row), row);
    }
    return [...first.values()];
  }

  private record(batches: readonly FileBatchRow[]): number {
    const known = new Set(this.batches.map(batchKey));
    const fresh = batches.filter((batch) => !known.has(batchKey(batch)));
    this.batches.push(...fresh);
    return fresh.length;
  }

  private stored(batches: readonly FileBatchRow[]): FileBatchRow[] {
    const wanted = new Set(batches.map(batchKey));
    return this.firstPerKey().filter((row) => wanted.has(batchKey(row)));
  }

  private lookup(p: Param): QueryAnswer {
    const wanted = new Set(
      (p['batches'] as { source_file: string; batch_index: number }[]).map(
        (key) => batchKey({ ...key, stream: 'unified-events' }),
      ),
    );
    const eventIds = new Set(p['event_ids'] as string[]);
    const userIds = new Set(p['user_ids'] as string[]);
    const first = p['first_event_datetime'] as number;
    const last = p['last_event_datetime'] as number;
    return {
      schema: [
        {
          name: 'committed',
          type: 'RECORD',
          mode: 'REPEATED',
          fields: fields(FILE_BATCH_COLUMNS),
        },
        { name: 'loaded_event_ids', type: 'STRING', mode: 'REPEATED' },
        {
          name: 'profiles',
          type: 'RECORD',
          mode: 'REPEATED',
          fields: fields(PROFILE_VALUE_COLUMNS),
        },
      ],
      rows: [
        {
          committed: this.firstPerKey().filter((row) =>
            wanted.has(batchKey(row)),
          ),
          loaded_event_ids: [
            ...new Set(
              this.events()
                .filter(
                  (row) =>
                    eventIds.has(row['event_id'] as string) &&
                    userIds.has(row['user_id'] as string) &&
                    (row['event_datetime'] as number) >= first &&
                    (row['event_datetime'] as number) <= last,
                )
                .map((row) => row['event_id'] as string),
            ),
          ],
          profiles: [...userIds].flatMap((id) => {
            const profile = this.profiles.get(id);
            return profile ? [profile] : [];
          }),
        },
      ],
    };
  }

  private committed(row: FileAccountingRow): CommittedBatches {
    const mine = this.firstPerKey().filter(
      (b) => b.source_file === row.source_file,
    );
    const events = mine.filter((b) => b.stream === 'unified-events');
    const announced = (stream: string, total: number | null) =>
      mine.filter(
        (b) => b.stream === stream && total !== null && b.batch_index < total,
      ).length;
    return {
      rowsLoaded: events.reduce((sum, b) => sum + b.loaded, 0),
      duplicates: events.reduce((sum, b) => sum + b.duplicates, 0),
      rowsRejected: events.reduce((sum, b) => sum + b.rejected, 0),
      eventBatches: announced('unified-events', row.event_batches),
      profileChangeBatches: announced(
        'profile-changes',
        row.profile_change_batches,
      ),
      errorBatches: announced('ingest-errors', row.error_batches),
    };
  }

  private settle(
    sourceFile: string,
    now: string,
    change: (row: FileAccountingRow) => FileAccountingRow = (row) => row,
  ): FileAccountingRow {
    const stored = this.accounting.get(sourceFile);
    const changed = change(stored ?? newFileAccounting(sourceFile, now));
    const next = settleFileAccounting(changed, this.committed(changed), now);
    if (stored && sameFileAccounting(stored, next)) return stored;
    const row = { ...next, updated_at: now };
    this.accounting.set(sourceFile, row);
    return row;
  }

  private settleAll(p: Param): void {
    for (const file of p['files'] as string[])
      this.settle(file, p['now'] as string);
  }

  private profileChanges(p: Param): QueryAnswer {
    const now = p['now'] as string;
    const byUser = new Map<string, ProfileChange[]>();
    for (const change of (p['changes'] as Param[]).map(profileChange)) {
      byUser.set(change.user_id, [
        ...(byUser.get(change.user_id) ?? []),
        change,
      ]);
    }
    let changed = 0;
    for (const [userId, changes] of byUser) {
      const folded = foldProfileChanges(
        this.profiles.get(userId) ?? null,
        changes,
        now,
      );
      if (!folded.changed) continue;
      changed++;
      this.profiles.set(userId, folded.profile);
    }
    const committed = this.record(p['batches'] as FileBatchRow[]);
    this.settleAll(p);
    return {
      schema: [count('profiles_changed'), count('batches_committed')],
      rows: [{ profiles_changed: changed, batches_committed: committed }],
    };
  }

  private manifest(p: Param, phase: FileManifestDto['phase']): QueryAnswer {
    const [sourceFile] = p['files'] as string[];
    const manifest: FileManifestDto = {
      file: parseSourceFileUri(sourceFile),
      phase,
      kind: p['kind'] as FileManifestDto['kind'],
      startedAt: p['started_at'] as string,
      ...(phase === 'started'
        ? {}
        : {
            finishedAt: p['finished_at'] as string,
            failed: p['failed'] as boolean,
            totals: {
              rowsRead: p['rows_read'] as number,
              rowErrors: p['row_errors'] as number,
              fileErrors: p['file_errors'] as number,
              profileChanges: p['profile_changes'] as number,
              eventBatches: p['event_batches'] as number,
              profileChangeBatches: p['profile_change_batches'] as number,
              errorBatches: p['error_batches'] as number,
            },
          }),
    };
    const row = this.settle(sourceFile, p['now'] as string, (current) =>
      applyFileManifest(current, manifest),
    );
    return { schema: fields(FILE_ACCOUNTING_COLUMNS), rows: [row] };
  }

  private accountingRows(
    keep: (row: FileAccountingRow) => boolean,
  ): QueryAnswer {
    return {
      schema: fields(FILE_ACCOUNTING_COLUMNS),
      rows: [...this.accounting.values()]
        .filter(keep)
        .sort((a, b) => a.source_file.localeCompare(b.source_file)),
    };
  }

  private reconcile(p: Param): QueryAnswer {
    const now = Date.parse(p['now'] as string);
    const minutes = (name: string) => (p[name] as number) * 60_000;
    const cutoff = new Date(
      now - minutes('streaming_buffer_minutes'),
    ).toISOString();
    const previous = this.reconcileRuns.map((run) => Date.parse(run.cutoff));
    const since =
      previous.length === 0
        ? null
        : new Date(
            Math.max(...previous) - minutes('overlap_minutes'),
          ).toISOString();
    const changed = [...this.profiles.values()].filter(
      (profile) => since === null || profile.updated_at > since,
    );
    const byUser = new Map(
      changed.map((profile) => [profile.user_id, profile]),
    );
    const users = new Set<string>();
    let rowsUpdated = 0;
    for (const row of this.events()) {
      const profile = byUser.get(row['user_id'] as string);
      if (!profile || (row['ingested_at'] as string) >= cutoff) continue;
      const next = PROFILE_VALUES_ON_EVENTS.map(
        (name) =>
          [
            name,
            unifiedEventColumnValue(name)(
              row as unknown as UnifiedEvent,
              profile,
              '',
            ),
          ] as const,
      );
      if (next.every(([name, value]) => row[name] === value)) continue;
      for (const [name, value] of next) row[name] = value;
      users.add(profile.user_id);
      rowsUpdated++;
    }
    this.reconcileRuns.push({ cutoff });
    return {
      schema: fields(
        PROFILE_RECONCILE_RUNS_TABLE.columns.filter(({ name }) =>
          ['since', 'cutoff', 'users', 'rows_updated'].includes(name),
        ),
      ),
      rows: [{ since, cutoff, users: users.size, rows_updated: rowsUpdated }],
    };
  }
}
