import { createParserPool, ParserPool } from './parser-pool';
import { ParseTask } from './parse-task';
import {
  ga4Event,
  ndjson,
  parseBytes,
  ParsedFile,
  prettyArray,
  zipOf,
} from '../testing/parse-fixtures';

const withoutTimes = (file: ParsedFile) =>
  file.chunks.map((chunk) => ({
    ...chunk,
    errors: chunk.errors.map((error) => ({ ...error, occurred_at: '' })),
  }));

describe('parser pool', () => {
  let pool: ParserPool;

  beforeAll(() => {
    pool = createParserPool({ size: 2 });
  });

  afterAll(() => pool.close());

  it('gives the same chunks, in the same order, as parsing in this thread', async () => {
    const events = Array.from({ length: 700 }, (_, i) =>
      ga4Event({
        batch_event_index: String(i),
        event_name: i % 50 === 0 ? 'first_open' : 'screen_view',
        event_params:
          i % 3 === 0
            ? [
                {
                  key: 'k',
                  value: {
                    int_value: '12345678901234567890',
                    flag: true,
                    list: [1, 'a', null],
                  },
                },
              ]
            : null,
      }),
    );
    const zip = await zipOf({
      'a.json': prettyArray(events),
      'b.ndjson': `${ndjson([ga4Event({ event_name: 'first_open', user_id: 'u' })])}not json\n{"__proto__": 1}\n`,
    });
    const here = await parseBytes(zip, {
      chunkRows: 50,
      limits: { maxElementBytes: 3000 },
    });
    const there = await parseBytes(zip, {
      chunkRows: 50,
      limits: { maxElementBytes: 3000 },
      pool,
    });
    expect(there.chunks.length).toBeGreaterThan(14);
    expect(withoutTimes(there)).toEqual(withoutTimes(here));
    expect(there.totals).toEqual(here.totals);
    expect(there.totals).toMatchObject({ rowsRead: 703, rowErrors: 2 });
  });

  it('gives the same chunks for an Adapty file as parsing in this thread', async () => {
    const csv = [
      'customer_user_id,event_type,event_datetime,product_id,proceeds_usd,attributes',
      ...Array.from({ length: 700 }, (_, i) =>
        i % 97 === 0
          ? `u${i},trial_started,soon,p,,`
          : `u${i},subscription_renewed,2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,p,9.99,"{""a"": ""ü""}"`,
      ),
      'u,trial_started,2024-01-01T00:00:00Z,"p"x,,',
    ].join('\r\n');
    const here = await parseBytes(csv, { chunkRows: 50 });
    const there = await parseBytes(csv, { chunkRows: 50, pool });
    expect(there.chunks.length).toBe(15);
    expect(withoutTimes(there)).toEqual(withoutTimes(here));
    expect(there.totals).toEqual(here.totals);
    expect(there.totals).toMatchObject({ rowsRead: 701, rowErrors: 9 });
  });

  it('rejects a task that fails in a worker, and keeps working', async () => {
    const broken = {
      kind: 'ga4',
      batch: { bytes: Buffer.from('{}'), ends: [2] },
      entry: 'e',
      sourceFile: 'gs://b/o#1',
    } as unknown as ParseTask;
    await expect(pool.run(broken)).rejects.toThrow('A parse task failed');
    expect(pool.backlog).toBe(0);
    const { events } = await parseBytes(
      await zipOf({ 'a.json': prettyArray([ga4Event()]) }),
      { pool },
    );
    expect(events).toHaveLength(1);
  });

  it('fails every task, without starting it again, when the worker cannot start', async () => {
    const broken = createParserPool({
      size: 1,
      workerFile: '/nowhere/parse-worker.js',
    });
    const zip = await zipOf({
      'a.json': prettyArray([ga4Event(), ga4Event({ batch_event_index: '9' })]),
    });
    await expect(
      parseBytes(zip, { pool: broken, chunkRows: 1 }),
    ).rejects.toThrow('A parser worker could not start');
    await broken.close();
  });

  it('refuses tasks once closed', async () => {
    const closing = createParserPool({ size: 1 });
    await closing.close();
    const zip = await zipOf({
      'a.json': prettyArray([ga4Event(), ga4Event({ batch_event_index: '9' })]),
    });
    await expect(
      parseBytes(zip, { pool: closing, chunkRows: 1 }),
    ).rejects.toThrow('The parser pool is closed');
  });
});
