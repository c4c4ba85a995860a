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

const HEADER =
  'user_id,Event_Name,event_datetime,vendor_product_id,proceeds_usd,profile_total_revenue_usd,cancellation_reason';

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
    const rows = Array.from({ length: 2500 }, (_, i) =>
      i % 97 === 0
        ? `u${i},trial_started,not a date,p,,,`
        : `u${i},subscription_renewed,2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,p,1.99,${i}.5,`,
    );
    const csv = `${HEADER}\n${rows.join('\n')}\n${'x'.repeat(300)}\n`;
    const options = { chunkRows: 100, limits: { maxRowBytes: 200 } };
    const here = await parseBytes(csv, options);
    const there = await parseBytes(csv, { ...options, pool });
    expect(there.chunks).toHaveLength(26);
    expect(withoutTimes(there)).toEqual(withoutTimes(here));

    const zip = await zipOf({
      'a.json': prettyArray(
        Array.from({ length: 300 }, (_, i) =>
          ga4Event({ batch_event_index: String(i) }),
        ),
      ),
      'b.ndjson': `${ndjson([ga4Event({ event_name: 'first_open' })])}not json\n`,
    });
    const zipHere = await parseBytes(zip, { chunkRows: 50 });
    const zipThere = await parseBytes(zip, { chunkRows: 50, pool });
    expect(withoutTimes(zipThere)).toEqual(withoutTimes(zipHere));
    expect(zipThere.totals).toMatchObject({
      rowsRead: 302,
      events: 301,
      rowErrors: 1,
      profileChanges: 1,
    });
  });

  it('rejects a task that fails in a worker, and keeps working', async () => {
    const broken = {
      kind: 'adapty',
      batch: { bytes: Buffer.from('a'), lines: [1], ends: [1], oversized: [] },
    } as unknown as ParseTask;
    await expect(pool.run(broken)).rejects.toThrow('A parse task failed');
    const { events } = await parseBytes(
      `${HEADER}\nu,trial_started,2024-01-01T00:00:00Z,p,,,\n`,
      { pool },
    );
    expect(events).toHaveLength(1);
  });

  it('refuses tasks once closed', async () => {
    const closing = createParserPool({ size: 1 });
    await closing.close();
    await expect(
      parseBytes(`${HEADER}\nu,trial_started,2024-01-01T00:00:00Z,p,,,\n`, {
        pool: closing,
      }),
    ).rejects.toThrow('The parser pool is closed');
  });
});
