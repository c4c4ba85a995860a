import { join } from 'node:path';
import { parseSourceFileUri, UnifiedEventRow } from '@event-pipeline/schema';
import { profileView } from '@event-pipeline/schema/testing';
import { AccountingTableRow, ingestFiles } from '@event-pipeline/stack';
import { adaptyExportCsv } from './support/adapty-export';
import { profileColumnMismatches } from './support/canonical';
import { ga4ExportZip } from './support/ga4-export';
import { writeInput } from './support/input-files';
import { SAMPLE_FILES, samplePath } from './support/paths';
import { diffByKey, NO_DIFFERENCE } from './support/table-diff';
import { startTestStack, TestStack } from './support/test-stack';

/** Uploads the files one at a time, each once the one before is finished. */
const ingestInOrder = async (
  env: TestStack,
  paths: readonly string[],
): Promise<AccountingTableRow[]> => {
  const rows: AccountingTableRow[] = [];
  for (const path of paths) {
    rows.push(
      ...(await ingestFiles([path], { stack: env.stack, timeoutMs: 120_000 })),
    );
  }
  return rows;
};

/** A row as both stacks must hold it: the object it came from rather than its generation, and no write time. */
const orderFreeView = (event: UnifiedEventRow): Record<string, unknown> => {
  const view: Record<string, unknown> = {
    ...event,
    source_file: parseSourceFileUri(event.source_file).name,
  };
  delete view['ingested_at'];
  return view;
};

describe('re-uploads and upload order', () => {
  let forward: TestStack;
  let backward: TestStack;
  let paths: string[];

  beforeAll(async () => {
    // One after the other: stacks started together could be given the same
    // free port, and a stack that failed to start beside a running one
    // would leave that one unstopped.
    forward = await startTestStack('order-forward');
    backward = await startTestStack('order-backward');
    // The same users across files of each kind, with overlapping times,
    // so the latest first_open, the earliest install and the latest state
    // depend on events spread over several files.
    const dir = join(forward.dataDir, 'inputs');
    paths = [
      ...SAMPLE_FILES.map(samplePath),
      await writeInput(
        dir,
        'order-ga4-a.zip',
        await ga4ExportZip({
          seed: 1,
          events: 5000,
          userPrefix: 'o',
          users: 300,
        }),
      ),
      await writeInput(
        dir,
        'order-ga4-b.zip',
        await ga4ExportZip({
          seed: 2,
          events: 5000,
          userPrefix: 'o',
          users: 300,
        }),
      ),
      await writeInput(
        dir,
        'order-adapty-a.csv',
        adaptyExportCsv({ seed: 1, rows: 5000, userPrefix: 'o', users: 300 }),
      ),
      await writeInput(
        dir,
        'order-adapty-b.csv',
        adaptyExportCsv({ seed: 2, rows: 5000, userPrefix: 'o', users: 300 }),
      ),
    ];
    const [rowsForward, rowsBackward] = await Promise.all([
      ingestInOrder(forward, paths),
      ingestInOrder(backward, [...paths].reverse()),
    ]);
    for (const row of [...rowsForward, ...rowsBackward]) {
      expect(row).toMatchObject({ status: 'done', balanced: true });
    }
  });

  afterAll(() => Promise.all([forward?.stop(), backward?.stop()]));

  it('files in the opposite order give the same events table', () => {
    const ours = forward.warehouse().events().map(orderFreeView);
    expect(ours.length).toBeGreaterThan(20_000);
    expect(
      diffByKey(
        backward.warehouse().events().map(orderFreeView),
        ours,
        'event_id',
      ),
    ).toEqual(NO_DIFFERENCE);
  });

  it('files in the opposite order give the same profiles', () => {
    const view = (env: TestStack) =>
      env
        .warehouse()
        .profiles()
        .map((p) => profileView({ ...p }));
    expect(view(forward).length).toBeGreaterThan(300);
    expect(diffByKey(view(backward), view(forward), 'user_id')).toEqual(
      NO_DIFFERENCE,
    );
    for (const env of [forward, backward]) {
      const warehouse = env.warehouse();
      expect(
        profileColumnMismatches(warehouse.events(), warehouse.profiles()),
      ).toEqual([]);
    }
  });

  it('uploading the same files again adds no row and changes no profile: every row a duplicate', async () => {
    const warehouse = forward.warehouse();
    const eventsBefore = warehouse.events();
    const profilesBefore = warehouse.profiles();

    const again = await ingestFiles(paths, {
      stack: forward.stack,
      timeoutMs: 120_000,
    });
    for (const row of again) {
      expect(row).toMatchObject({
        status: 'done',
        loaded: 0,
        duplicates: Number(row.rowsRead) - Number(row.rowErrors),
        balanced: true,
      });
      expect(row.rowsRead).toBeGreaterThan(0);
    }
    // The very same rows, down to when they were written and from which upload.
    expect(diffByKey(warehouse.events(), eventsBefore, 'event_id')).toEqual(
      NO_DIFFERENCE,
    );
    expect(diffByKey(warehouse.profiles(), profilesBefore, 'user_id')).toEqual(
      NO_DIFFERENCE,
    );
  });

  it('keeps every service running', () => {
    expect([...forward.unexpectedExits, ...backward.unexpectedExits]).toEqual(
      [],
    );
  });
});
