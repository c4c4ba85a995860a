import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputStream } from '@event-pipeline/schema';
import { profileView } from '@event-pipeline/schema/testing';
import {
  AccountingTableRow,
  ingestFiles,
  ServiceName,
} from '@event-pipeline/stack';
import { adaptyExportCsv } from './support/adapty-export';
import { parsedEventView, profileColumnMismatches } from './support/canonical';
import { readErrorLogs } from './support/error-logs';
import { ga4ExportZip } from './support/ga4-export';
import { writeInput } from './support/input-files';
import { waitFor } from './support/poll';
import { referenceOf } from './support/reference';
import { diffByKey, NO_DIFFERENCE } from './support/table-diff';
import { startTestStack, TestStack } from './support/test-stack';

interface KillCase {
  service: ServiceName;
  /** The stream whose commits show the service at work on the file. */
  stream: OutputStream;
  input: { name: string; content: () => Promise<string | Buffer> };
}

/** Which announced batch count of the accounting belongs to a stream. */
const ANNOUNCED = {
  'unified-events': 'event_batches',
  'profile-changes': 'profile_change_batches',
  'ingest-errors': 'error_batches',
} as const;

// Each file has users of its own, so that each file's profiles can be
// checked on their own in the shared stack.
const CASES: KillCase[] = [
  {
    service: 'file-ingestor',
    stream: 'unified-events',
    input: {
      name: 'kill-ingestor.zip',
      content: () =>
        ga4ExportZip({
          seed: 11,
          events: 40_000,
          userPrefix: 'ki',
          users: 3000,
        }),
    },
  },
  {
    service: 'event-streamer',
    stream: 'unified-events',
    input: {
      name: 'kill-streamer.csv',
      content: async () =>
        adaptyExportCsv({
          seed: 12,
          rows: 40_000,
          userPrefix: 'ks',
          users: 3000,
          badEvery: 97,
        }),
    },
  },
  {
    service: 'profile-updater',
    stream: 'profile-changes',
    input: {
      name: 'kill-updater.csv',
      content: async () =>
        adaptyExportCsv({
          seed: 13,
          rows: 40_000,
          userPrefix: 'ku',
          users: 3000,
        }),
    },
  },
  {
    service: 'error-archiver',
    stream: 'ingest-errors',
    input: {
      name: 'kill-archiver.csv',
      content: async () =>
        adaptyExportCsv({
          seed: 14,
          rows: 40_000,
          userPrefix: 'ka',
          users: 3000,
          badEvery: 3,
        }),
    },
  },
];

/** The file-ingestor logs `<gs uri>: <n> rows read, ...` each time it has read and published a whole file. */
const completionLines = async (logFile: string, objectName: string) =>
  (await readFile(logFile, 'utf8'))
    .split('\n')
    .filter(
      (line) =>
        line.includes(`/${objectName}#`) && line.includes(' rows read,'),
    ).length;

describe('a service killed with SIGKILL in the middle of a large file, then restarted', () => {
  let env: TestStack;
  let profilesSoFar = 0;

  beforeAll(async () => {
    env = await startTestStack('redelivery');
  });

  afterAll(() => env?.stop());

  it.each(CASES)(
    '$service: the file ends done, balanced, with exactly the events and profiles of a clean run',
    async ({ service, stream, input }) => {
      const path = await writeInput(
        join(env.dataDir, 'inputs'),
        input.name,
        await input.content(),
      );
      const reference = await referenceOf([path]);
      const warehouse = env.warehouse();
      const inbox = env.stack.topology.buckets.inbox;

      const ingestion = ingestFiles([path], {
        stack: env.stack,
        timeoutMs: 240_000,
      });
      // In progress: the service has committed some of its work on the
      // file, and the file-ingestor has not finished reading it, so more
      // of that work is still to come.
      const sourceFile = await waitFor(
        `${input.name} to be in progress`,
        () => {
          const [row] = warehouse.accountingOfObject(inbox, input.name);
          return row &&
            row.status === 'processing' &&
            row.parsed_at === null &&
            warehouse.committedBatches(row.source_file)[stream] > 0
            ? row.source_file
            : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      const victim = env.service(service);
      victim.kill('SIGKILL');
      await expect(victim.waitForExit()).resolves.toEqual({
        code: null,
        signal: 'SIGKILL',
      });
      const atKill = warehouse.committedBatches(sourceFile)[stream];
      const readAtKill = await completionLines(
        env.service('file-ingestor').logFile,
        input.name,
      );
      await victim.restart();

      const [row]: AccountingTableRow[] = await ingestion;
      expect(row).toMatchObject({ sourceFile, status: 'done', balanced: true });
      const accounting = warehouse.accounting(sourceFile);
      // The kill came before the service had committed all of its batches.
      expect(atKill).toBeLessThan(Number(accounting?.[ANNOUNCED[stream]]));
      if (service === 'file-ingestor') {
        // ...and before the file-ingestor had read the whole file: it read
        // it again from the start once the notification came back.
        expect(readAtKill).toBe(0);
        await expect(completionLines(victim.logFile, input.name)).resolves.toBe(
          1,
        );
      }

      const { totals } = reference;
      expect(accounting).toMatchObject({
        status: 'done',
        rows_read: totals.rowsRead,
        rows_loaded: reference.events.size,
        duplicates: 0,
        row_errors: totals.rowErrors,
        file_errors: 0,
      });

      const events = warehouse.events(sourceFile);
      expect(
        diffByKey(
          events.map((e) => parsedEventView({ ...e })),
          [...reference.events.values()].map((e) => parsedEventView({ ...e })),
          'event_id',
        ),
      ).toEqual(NO_DIFFERENCE);

      const profiles = warehouse.profiles();
      const ours = profiles.filter((p) => reference.profiles.has(p.user_id));
      expect(
        diffByKey(
          ours.map((p) => profileView({ ...p })),
          [...reference.profiles.values()].map((p) => profileView({ ...p })),
          'user_id',
        ),
      ).toEqual(NO_DIFFERENCE);
      profilesSoFar += reference.profiles.size;
      expect(profiles).toHaveLength(profilesSoFar);
      expect(profileColumnMismatches(events, profiles)).toEqual([]);

      // Every row error archived once, at its line: none lost, none twice.
      const archived = await readErrorLogs(env.stack, sourceFile);
      const lines = (
        records: { code: string; location: { line?: number } }[],
      ) => records.map((r) => `${r.location.line} ${r.code}`).sort();
      expect(lines(archived)).toEqual(lines(reference.errors));

      expect(env.unexpectedExits).toEqual([]);
    },
  );
});
