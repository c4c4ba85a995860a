import Database from 'better-sqlite3';
import fc from 'fast-check';
import {
  errorRecord,
  FileAccountingRow,
  SourceFileRef,
  sourceFileUri,
  UnifiedEvent,
} from '@event-pipeline/schema';
import {
  adaptyEvent,
  finishedManifest,
  inboxFile,
  readTable,
  startedManifest,
  stateChange,
  T0,
  tempWarehousePath,
} from '../../testing/fixtures';
import { SqliteWarehouse } from './sqlite.warehouse';

const balanced = (row: FileAccountingRow | null) =>
  row !== null &&
  row.rows_read === row.rows_loaded + row.duplicates + (row.row_errors ?? 0);

describe('SqliteWarehouse file accounting', () => {
  let target: ReturnType<typeof tempWarehousePath>;
  let warehouse: SqliteWarehouse;

  beforeEach(() => {
    target = tempWarehousePath();
    warehouse = new SqliteWarehouse({ path: target.path });
  });

  afterEach(async () => {
    await warehouse.close();
    target.remove();
  });

  const accounting = (file: SourceFileRef) =>
    warehouse.getFileAccounting(sourceFileUri(file));
  const errorBatch = (file: SourceFileRef, batchIndex: number, size: number) =>
    warehouse.recordErrorBatch({
      file,
      batchIndex,
      records: Array.from({ length: size }, (_, line) =>
        errorRecord({
          source_file: sourceFileUri(file),
          code: 'INVALID_DATETIME',
          location: { line: line + 2 },
          message: 'event_datetime: expected ISO-8601, found "yesterday"',
        }),
      ),
    });

  /**
   * One file's deliveries: 3 event batches (the third repeats two events of
   * the first), 2 profile-change batches, 1 error batch of 2 row errors, and
   * both manifests: 11 rows read = 7 loaded + 2 duplicates + 2 row errors.
   */
  const deliveriesOf = (file: SourceFileRef) => {
    const event = (id: string) =>
      adaptyEvent(`${file.name}-${id}`, `${file.name}-user`);
    const eventBatches: UnifiedEvent[][] = [
      [event('1'), event('2'), event('3')],
      [event('4'), event('5')],
      [event('1'), event('2'), event('6'), event('7')],
    ];
    const user = `${file.name}-user`;
    return [
      () => warehouse.recordFileManifest(startedManifest(file)),
      () =>
        warehouse.recordFileManifest(
          finishedManifest(file, {
            rowsRead: 11,
            rowErrors: 2,
            profileChanges: 2,
            eventBatches: 3,
            profileChangeBatches: 2,
            errorBatches: 1,
          }),
        ),
      ...eventBatches.map(
        (events, batchIndex) => () =>
          warehouse.insertEventBatch({ file, batchIndex, events }),
      ),
      ...[0, 1].map(
        (batchIndex) => () =>
          warehouse.applyProfileChanges([
            {
              file,
              batchIndex,
              changes: [
                stateChange(user, `s${batchIndex}`, T0 + batchIndex, 'active'),
              ],
            },
          ]),
      ),
      () => errorBatch(file, 0, 2),
    ];
  };

  it('is done exactly when the finished manifest and every announced batch are in, in any order, however often redelivered', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(7), { maxLength: 6 }).chain((repeats) =>
          fc.shuffledSubarray([...Array(8).keys(), ...repeats], {
            minLength: 8 + repeats.length,
          }),
        ),
        async (order) => {
          const file = inboxFile(`adapty/run-${run++}.csv`);
          const deliveries = deliveriesOf(file);
          const delivered = new Set<number>();
          for (const step of order) {
            await deliveries[step]();
            delivered.add(step);
            const row = await accounting(file);
            // The started manifest alone is not needed to finish a file.
            const complete = [...Array(8).keys()].every(
              (i) => i === 0 || delivered.has(i),
            );
            expect(row?.status).toBe(complete ? 'done' : 'processing');
            expect(row?.finished_at === null).toBe(!complete);
          }
          const row = await accounting(file);
          expect(row).toMatchObject({
            status: 'done',
            rows_read: 11,
            rows_loaded: 7,
            duplicates: 2,
            rows_rejected: 0,
            row_errors: 2,
            profile_changes: 2,
            started_at: '2024-09-18T08:00:00.000Z',
            parsed_at: '2024-09-18T08:00:05.000Z',
          });
          expect(balanced(row)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('carries on with a database written before the running totals existed', async () => {
    const file = inboxFile();
    const deliveries = deliveriesOf(file);
    const lastEventBatch = 4;
    for (const [step, deliver] of deliveries.entries()) {
      if (step !== lastEventBatch) await deliver();
    }
    await warehouse.close();
    const db = new Database(target.path);
    db.exec('DROP TABLE file_batch_totals');
    db.close();

    warehouse = new SqliteWarehouse({ path: target.path });
    expect((await accounting(file))?.status).toBe('processing');
    await deliveries[lastEventBatch]();
    expect(await accounting(file)).toMatchObject({
      status: 'done',
      rows_loaded: 7,
      duplicates: 2,
    });
  });

  it('keeps finished_at and updated_at when a finished manifest or batch is redelivered after the end', async () => {
    const file = inboxFile();
    const deliveries = deliveriesOf(file);
    for (const deliver of deliveries) await deliver();
    const done = await accounting(file);
    expect(done?.status).toBe('done');
    for (const deliver of deliveries) await deliver();
    expect(await accounting(file)).toEqual(done);
  });

  it('settles a dead-lettered event batch with its rows as row errors, so the file still finishes and balances', async () => {
    const file = inboxFile();
    const deliveries = deliveriesOf(file);
    const eventBatchTwo = 4;
    for (const [step, deliver] of deliveries.entries()) {
      if (step !== eventBatchTwo) await deliver();
    }
    expect((await accounting(file))?.status).toBe('processing');

    const deadLetter = {
      file,
      stream: 'unified-events',
      batchIndex: 2,
      rows: 4,
    } as const;
    await expect(
      warehouse.recordDeadLetteredBatch(deadLetter),
    ).resolves.toEqual({
      redelivered: false,
    });
    await expect(
      warehouse.recordDeadLetteredBatch(deadLetter),
    ).resolves.toEqual({
      redelivered: true,
    });
    const row = await accounting(file);
    expect(row).toMatchObject({
      status: 'done',
      rows_read: 11,
      rows_loaded: 5,
      duplicates: 0,
      rows_rejected: 4,
      row_errors: 6,
    });
    expect(balanced(row)).toBe(true);
  });

  it('leaves a committed batch as it is when it is dead-lettered later', async () => {
    const file = inboxFile();
    for (const deliver of deliveriesOf(file)) await deliver();
    const done = await accounting(file);
    await expect(
      warehouse.recordDeadLetteredBatch({
        file,
        stream: 'unified-events',
        batchIndex: 0,
        rows: 3,
      }),
    ).resolves.toEqual({ redelivered: true });
    expect(await accounting(file)).toEqual(done);
  });

  it('marks a file that failed as a whole failed once its error batch is committed', async () => {
    const file = inboxFile('inbox/not-a-zip.bin');
    const failed = finishedManifest(
      file,
      { fileErrors: 1, errorBatches: 1 },
      true,
    );
    await warehouse.recordFileManifest(failed);
    expect(await accounting(file)).toMatchObject({
      status: 'processing',
      failed_as_whole: true,
      finished_at: null,
    });
    await errorBatch(file, 0, 1);
    expect(await accounting(file)).toMatchObject({
      status: 'failed',
      file_errors: 1,
      rows_read: 0,
      finished_at: expect.any(String),
    });
  });

  it('marks a failed file failed when its error batch came before the manifest', async () => {
    const file = inboxFile('inbox/empty.csv');
    await errorBatch(file, 0, 1);
    expect(await accounting(file)).toMatchObject({ status: 'processing' });
    await warehouse.recordFileManifest(
      finishedManifest(file, { fileErrors: 1, errorBatches: 1 }, true),
    );
    expect(await accounting(file)).toMatchObject({ status: 'failed' });
  });

  it('finishes a file that announces no batch on its finished manifest alone', async () => {
    const file = inboxFile('adapty/header-only.csv');
    const row = await warehouse.recordFileManifest(finishedManifest(file, {}));
    expect(row).toMatchObject({ status: 'done', rows_read: 0, rows_loaded: 0 });
    expect(await accounting(file)).toEqual(row);
  });

  it('keeps the finished totals and status when the started manifest arrives last', async () => {
    const file = inboxFile();
    await warehouse.recordFileManifest(finishedManifest(file, {}));
    const done = await accounting(file);
    await warehouse.recordFileManifest({
      ...startedManifest(file),
      startedAt: '2024-09-18T09:00:00.000Z',
    });
    expect(await accounting(file)).toEqual(done);
  });

  it('keeps the first finished manifest when the file was read again and finished a second time', async () => {
    const file = inboxFile();
    await warehouse.recordFileManifest(
      finishedManifest(file, { rowsRead: 2, rowErrors: 2, errorBatches: 1 }),
    );
    await errorBatch(file, 0, 2);
    const done = await accounting(file);
    expect(done).toMatchObject({ status: 'done', rows_read: 2 });
    await warehouse.recordFileManifest({
      ...finishedManifest(file, { rowsRead: 3, rowErrors: 3, errorBatches: 2 }),
      finishedAt: '2024-09-18T09:00:00.000Z',
    });
    expect(await accounting(file)).toEqual(done);
  });

  it('does not count a batch outside those the manifest announces towards completion', async () => {
    const file = inboxFile();
    await warehouse.recordFileManifest(
      finishedManifest(file, { rowsRead: 2, eventBatches: 2 }),
    );
    await warehouse.insertEventBatch({
      file,
      batchIndex: 0,
      events: [adaptyEvent('e1', 'u1')],
    });
    await warehouse.insertEventBatch({
      file,
      batchIndex: 5,
      events: [adaptyEvent('e9', 'u1')],
    });
    expect(await accounting(file)).toMatchObject({
      status: 'processing',
      rows_loaded: 2,
    });
    await warehouse.insertEventBatch({
      file,
      batchIndex: 1,
      events: [adaptyEvent('e2', 'u1')],
    });
    expect(await accounting(file)).toMatchObject({
      status: 'done',
      rows_loaded: 3,
    });
  });

  it('counts rows the warehouse refused as row errors, so that the file still balances', async () => {
    const file = inboxFile();
    const bad = { ...adaptyEvent('e3', 'u1'), proceeds_usd: '1e5' };
    await warehouse.insertEventBatch({
      file,
      batchIndex: 0,
      events: [adaptyEvent('e1', 'u1'), adaptyEvent('e1', 'u1'), bad],
    });
    expect(await accounting(file)).toMatchObject({
      rows_loaded: 1,
      duplicates: 1,
      rows_rejected: 1,
      row_errors: null,
    });
    await warehouse.recordFileManifest(
      finishedManifest(file, {
        rowsRead: 4,
        rowErrors: 1,
        eventBatches: 1,
        errorBatches: 1,
      }),
    );
    await errorBatch(file, 0, 1);
    const row = await accounting(file);
    expect(row).toMatchObject({
      status: 'done',
      rows_read: 4,
      rows_rejected: 1,
      row_errors: 2,
    });
    expect(balanced(row)).toBe(true);
  });

  it('records each batch commit once, with its stream and counts', async () => {
    const file = inboxFile();
    await errorBatch(file, 0, 3);
    expect(await errorBatch(file, 0, 3)).toEqual({
      records: 3,
      redelivered: true,
    });
    await warehouse.insertEventBatch({
      file,
      batchIndex: 0,
      events: [adaptyEvent('e1', 'u1')],
    });
    expect(
      readTable(target.path, 'file_batches', 'stream, batch_index'),
    ).toEqual([
      expect.objectContaining({
        stream: 'ingest-errors',
        batch_index: 0,
        rows: 3,
      }),
      expect.objectContaining({
        stream: 'unified-events',
        batch_index: 0,
        rows: 1,
        loaded: 1,
      }),
    ]);
  });

  it('lists the accounting of every file', async () => {
    const files = [
      inboxFile('a.csv'),
      inboxFile('b.csv'),
      inboxFile('a.csv', '2'),
    ];
    for (const file of files)
      await warehouse.recordFileManifest(startedManifest(file));
    expect(
      (await warehouse.listFileAccounting()).map((r) => r.source_file),
    ).toEqual(files.map(sourceFileUri).sort());
    expect(
      await warehouse.getFileAccounting('gs://event-inbox/none#1'),
    ).toBeNull();
  });
});
