import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { foldProfileChanges } from '@event-pipeline/profile-rules';
import { PUBLIC_PROFILE_COLUMNS, sourceFileUri } from '@event-pipeline/schema';
import { SqliteWarehouse } from '../src/lib/sqlite/sqlite.warehouse';
import {
  eventsOutOfStepWithProfiles,
  readTable,
  readUnifiedEvents,
  tempWarehousePath,
} from '../src/testing/fixtures';
import {
  allProfileChanges,
  ERROR_BATCHES,
  EVENT_BATCHES,
  EVENTS_PER_BATCH,
  FILES,
  MESSAGES_PER_MICRO_BATCH,
  PROFILE_MICRO_BATCHES,
  Role,
  ROLES,
} from './concurrent-workload';
import type { WriterReport } from './writer.process';

const WORKSPACE_ROOT = join(__dirname, '../../..');

interface Writer {
  role: Role;
  child: ChildProcess;
  reports: WriterReport[];
  exited: Promise<number | null>;
}

/** Starts a writer process running TypeScript through @swc-node/register. */
const startWriter = (path: string, role: Role): Writer => {
  const child = fork(join(__dirname, 'writer.process.ts'), [path, role], {
    execArgv: ['-r', require.resolve('@swc-node/register')],
    env: {
      ...process.env,
      SWC_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
    },
  });
  const reports: WriterReport[] = [];
  child.on('message', (report) => reports.push(report as WriterReport));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', resolve),
  );
  return { role, child, reports, exited };
};

const nextReport = (writer: Writer): Promise<WriterReport> =>
  new Promise((resolve, reject) => {
    writer.child.once('message', (report) => resolve(report as WriterReport));
    writer.child.once('exit', (code) =>
      reject(
        new Error(`${writer.role} writer exited with ${code} before reporting`),
      ),
    );
  });

describe('several writer processes on one warehouse file', () => {
  let target: ReturnType<typeof tempWarehousePath>;
  let writers: Writer[] = [];

  beforeEach(() => {
    target = tempWarehousePath();
  });

  afterEach(() => {
    for (const { child } of writers) if (child.exitCode === null) child.kill();
    writers = [];
    target.remove();
  });

  it('loses no batch, never fails busy, and leaves consistent tables', async () => {
    // Every writer opens the fresh file at the same moment, then all start writing together.
    writers = ROLES.map((role) => startWriter(target.path, role));
    const ready = await Promise.all(writers.map(nextReport));
    expect(ready).toEqual(writers.map(() => ({ type: 'ready' })));
    const finished = writers.map(nextReport);
    for (const { child } of writers) child.send('go');
    const reports = await Promise.all(finished);
    const codes = await Promise.all(writers.map((w) => w.exited));

    expect(reports.filter((r) => r.type === 'failed')).toEqual([]);
    expect(codes).toEqual(writers.map(() => 0));

    // The event and profile writers really overlapped: each started before the others ended.
    const spans = reports.flatMap((r, i) =>
      r.type === 'done' && writers[i].role !== 'errors-and-manifests'
        ? [r]
        : [],
    );
    expect(spans).toHaveLength(3);
    const latestStart = Math.max(...spans.map((s) => s.startedAt));
    const earliestEnd = Math.min(...spans.map((s) => s.endedAt));
    expect(latestStart).toBeLessThan(earliestEnd);

    const batches = readTable<{ source_file: string; stream: string }>(
      target.path,
      'file_batches',
      'source_file, stream, batch_index',
    );
    const count = (file: number, stream: string) =>
      batches.filter(
        (b) =>
          b.source_file === sourceFileUri(FILES[file]) && b.stream === stream,
      ).length;
    expect(count(0, 'unified-events')).toBe(EVENT_BATCHES);
    expect(count(1, 'unified-events')).toBe(EVENT_BATCHES);
    expect(count(0, 'profile-changes')).toBe(
      PROFILE_MICRO_BATCHES * MESSAGES_PER_MICRO_BATCH,
    );
    expect(count(0, 'ingest-errors')).toBe(ERROR_BATCHES);

    const perFile = EVENT_BATCHES * EVENTS_PER_BATCH;
    expect(readUnifiedEvents(target.path)).toHaveLength(perFile * 1.5);
    expect(eventsOutOfStepWithProfiles(target.path)).toEqual([]);

    const warehouse = new SqliteWarehouse({ path: target.path });
    try {
      const accounting = await warehouse.listFileAccounting();
      expect(accounting.map((a) => a.status)).toEqual(['done', 'done']);
      for (const row of accounting) {
        expect(row.rows_read).toBe(
          row.rows_loaded + row.duplicates + (row.row_errors ?? 0),
        );
      }
      expect(accounting.reduce((sum, a) => sum + a.rows_loaded, 0)).toBe(
        perFile * 1.5,
      );
      expect(accounting.reduce((sum, a) => sum + a.duplicates, 0)).toBe(
        perFile * 0.5,
      );

      // Profiles equal one fold of every change, in any order.
      const changes = allProfileChanges();
      const expected = new Map<string, Record<string, unknown>>();
      for (const userId of new Set(changes.map((c) => c.user_id))) {
        const { profile } = foldProfileChanges(
          null,
          changes.filter((c) => c.user_id === userId),
          'ignored',
        );
        expected.set(userId, profile);
      }
      const stored = await warehouse.getProfiles([...expected.keys()]);
      expect(stored).toHaveLength(expected.size);
      const publicColumns = PUBLIC_PROFILE_COLUMNS.filter(
        (c) => c !== 'updated_at',
      );
      for (const profile of stored) {
        for (const column of publicColumns) {
          expect([profile.user_id, column, profile[column]]).toEqual([
            profile.user_id,
            column,
            expected.get(profile.user_id)?.[column],
          ]);
        }
      }
    } finally {
      await warehouse.close();
    }
  }, 120_000);
});
