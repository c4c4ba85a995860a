import { Readable } from 'node:stream';
import { UnifiedEvent } from '@event-pipeline/schema';
import { parseJsonTexts } from './json-texts';
import { ParsedChunk } from './parsed-chunk';
import { parseSourceFile } from './parse-source-file';
import { eventId } from './event-id';
import {
  ga4Event,
  prettyArray,
  TEST_FILE,
  zipOf,
} from '../testing/parse-fixtures';

const idsOf = async (bytes: Buffer, name: string, generation: string) => {
  const ids: string[] = [];
  const chunks: AsyncIterable<ParsedChunk> = parseSourceFile(
    Readable.from([bytes]),
    {
      file: { bucket: `bucket-${name}`, name, generation },
    },
  );
  for await (const chunk of chunks)
    ids.push(
      ...parseJsonTexts<UnifiedEvent>(chunk.events).map((e) => e.event_id),
    );
  return ids;
};

describe('event_id', () => {
  it('is 32 hex digits of a SHA-256 over the source and the fields', () => {
    expect(eventId('ga4', ['a', 1, null])).toMatch(/^[0-9a-f]{32}$/);
    expect(eventId('ga4', ['a'])).not.toBe(eventId('adapty', ['a']));
  });

  it('cannot be forged by moving text between fields', () => {
    expect(eventId('adapty', ['a|b', 'c'])).not.toBe(
      eventId('adapty', ['a', 'b|c']),
    );
    expect(eventId('adapty', ['a|1:b', 'c'])).not.toBe(
      eventId('adapty', ['a', 'b|1:c']),
    );
    expect(eventId('adapty', ['a', '|-'])).not.toBe(
      eventId('adapty', ['a|-', '']),
    );
    expect(eventId('adapty', [null])).not.toBe(eventId('adapty', ['']));
    expect(eventId('adapty', [null])).not.toBe(eventId('adapty', ['-']));
    expect(eventId('adapty', ['a', null])).not.toBe(eventId('adapty', ['a']));
  });

  it('keeps its values', () => {
    expect(
      eventId('adapty', [
        'user-000035',
        'trial_converted',
        1701597060000000,
        null,
        'premium.monthly',
      ]),
    ).toBe('799ac63be30fbfef080ee3ae76cbd626');
    expect(eventId('adapty', ['ü😀', 'x', 0, 't1', null])).toBe(
      '2fd24faa11b88b783286299bdf5a540a',
    );
    expect(
      eventId('ga4', [
        '5976585638',
        'abc.123',
        1701665082201167,
        'screen_view',
        '12',
        '0',
      ]),
    ).toBe('5a440f335c070be515cb732bacac7aa9');
    expect(eventId('ga4', [null, null, -1, '', '', null])).toBe(
      '3a4650becff8ffffd36c9174d7905cac',
    );
  });

  it('counts a number as its decimal text', () => {
    expect(eventId('ga4', [5976585638])).toBe(eventId('ga4', ['5976585638']));
  });

  it('is the same for the same GA4 events, whatever file they come in', async () => {
    const zip = await zipOf({
      'a.json': prettyArray([ga4Event(), ga4Event({ batch_event_index: '4' })]),
    });
    const renamed = await zipOf({
      'other/b.ndjson': [ga4Event(), ga4Event({ batch_event_index: '4' })]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    });
    const first = await idsOf(zip, 'day1.zip', '1');
    expect(first).toHaveLength(2);
    expect(await idsOf(zip, 'day1-again.zip', '2')).toEqual(first);
    expect(await idsOf(renamed, 'x.zip', '3')).toEqual(first);
  });

  it('is the same for the same Adapty rows, whatever file and column order they come in', async () => {
    const a = Buffer.from(
      'profile_id,event_type,event_datetime,transaction_id,product_id,customer_user_id,store\np1,trial_started,2024-01-01T00:00:00Z,t1,prod,u1,app_store\n',
    );
    const b = Buffer.from(
      '\ufeffstore,customer_user_id,event_datetime,event_type,product_id,transaction_id,profile_id,new_column\r\nplay_store,u1,2024-01-01T03:00:00+03:00,trial_started,prod,t1,p1,x\r\n',
    );
    const first = await idsOf(a, 'a.csv', '1');
    expect(first).toHaveLength(1);
    expect(await idsOf(b, 'b.csv', '9')).toEqual(first);
  });

  it('changes with each identifying Adapty field', async () => {
    const header =
      'customer_user_id,event_type,event_datetime,transaction_id,product_id\n';
    const id = async (row: string) =>
      (await idsOf(Buffer.from(header + row), 'f.csv', '1'))[0];
    const base = await id('u1,trial_started,2024-01-01T00:00:00Z,t1,prod');
    for (const row of [
      'u2,trial_started,2024-01-01T00:00:00Z,t1,prod',
      'u1,trial_converted,2024-01-01T00:00:00Z,t1,prod',
      'u1,trial_started,2024-01-01T00:00:01Z,t1,prod',
      'u1,trial_started,2024-01-01T00:00:00Z,t2,prod',
      'u1,trial_started,2024-01-01T00:00:00Z,,prod',
      'u1,trial_started,2024-01-01T00:00:00Z,t1,other',
    ]) {
      expect(await id(row)).not.toBe(base);
    }
  });

  it('reads a Node stream as input as well as an async iterable', async () => {
    const zip = await zipOf({ 'a.json': prettyArray([ga4Event()]) });
    const chunks = [];
    for await (const chunk of parseSourceFile(
      Readable.from([zip.subarray(0, 3), zip.subarray(3)]),
      { file: TEST_FILE },
    )) {
      chunks.push(chunk);
    }
    expect(chunks.map((c) => c.events.ends.length)).toEqual([1]);
  });
});
