import { BigQuery } from '@google-cloud/bigquery';
import { FILE_BATCH_COLUMNS, PROFILE_COLUMNS } from '@event-pipeline/schema';
import {
  decodeRow,
  encodeParam,
  encodeRow,
  RESULT_INTEGERS,
  structParamType,
} from './bigquery-values';

describe('BigQuery values', () => {
  it('sends INT64 and NUMERIC parameters as digits, TIMESTAMP as its text, nulls as nulls', () => {
    const type = [structParamType(FILE_BATCH_COLUMNS)] as const;
    const [batch] = encodeParam(type, [
      {
        source_file: 'gs://b/o#1',
        stream: 'unified-events',
        batch_index: 3,
        rows: 2,
        loaded: 1,
        duplicates: 1,
        rejected: 0,
        committed_at: '2024-09-18T08:00:00.123Z',
      },
    ]) as Record<string, unknown>[];
    expect(batch).toMatchObject({ batch_index: '3', rows: '2', rejected: '0' });
    expect(batch['committed_at']).toEqual(
      BigQuery.timestamp('2024-09-18T08:00:00.123Z'),
    );
    expect(
      encodeParam('NUMERIC', '123456789012345678901234567.123456789'),
    ).toBe('123456789012345678901234567.123456789');
    expect(
      encodeParam({ revenue: 'NUMERIC', state: 'STRING' }, { state: 'trial' }),
    ).toEqual({
      revenue: null,
      state: 'trial',
    });
    expect(() => encodeParam('INT64', 2 ** 53)).toThrow(
      'INT64 parameter: expected a safe integer, found 9007199254740992',
    );
  });

  it('reads results back exactly: NUMERIC digits, safe integers only, ISO timestamps', () => {
    const revenue = '0.000000001';
    const big = { toFixed: () => revenue };
    const row = decodeRow<Record<string, unknown>>(PROFILE_COLUMNS, {
      user_id: 'u1',
      profile_total_revenue_usd: big,
      install_date: 1_726_644_161_000_000,
      updated_at: BigQuery.timestamp('2024-09-18T08:00:00.123Z'),
    });
    expect(row).toMatchObject({
      user_id: 'u1',
      profile_total_revenue_usd: revenue,
      install_date: 1_726_644_161_000_000,
      updated_at: '2024-09-18T08:00:00.123Z',
      city: null,
    });
    const cast = RESULT_INTEGERS.integerTypeCastFunction as (
      v: string,
    ) => number;
    expect(cast('1726644161000000')).toBe(1_726_644_161_000_000);
    expect(() => cast('9007199254740993')).toThrow(/safe integer/);
  });

  it('writes rows for insertAll with JSON as text, and for NDJSON loads with JSON as an object', () => {
    const columns = [
      {
        name: 'event_parameters',
        type: 'JSON',
        mode: 'NULLABLE',
        description: '',
      },
      {
        name: 'proceeds_usd',
        type: 'NUMERIC',
        mode: 'NULLABLE',
        description: '',
      },
    ] as const;
    const row = { event_parameters: { a: 1 }, proceeds_usd: '7.490000001' };
    expect(encodeRow(columns, row, 'text')).toEqual({
      event_parameters: '{"a":1}',
      proceeds_usd: '7.490000001',
    });
    expect(encodeRow(columns, row, 'object')).toEqual(row);
  });
});
