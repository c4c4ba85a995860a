import { BigQuery } from '@google-cloud/bigquery';
import { UnifiedEventRow } from '@event-pipeline/schema';
import { adaptyEvent, ga4Event } from '../../testing/fixtures';
import { unifiedEventRow } from '../profile-values-on-events';
import { StreamingEventInserts } from './event-inserts';
import { EventRowToWrite } from './event-rows-writer';
import { FakeBigQueryServer, StoredRow } from './testing/fake-bigquery.server';
import { QUICK_RETRY } from './testing/fake-warehouse';

describe('StreamingEventInserts', () => {
  let server: FakeBigQueryServer;
  let inserts: StreamingEventInserts;
  const target = {
    sourceFile: 'gs://event-inbox/a.csv#1',
    generation: '1',
    batchIndex: 4,
  };
  const row = (event: ReturnType<typeof adaptyEvent>): UnifiedEventRow =>
    unifiedEventRow(
      event,
      {
        city: 'Berlin',
        region: null,
        country: null,
        os: 'IOS',
        app_version: null,
        state: 'trial',
      },
      '2024-09-18T08:00:00.000Z',
    );
  const rows = (...ids: string[]): EventRowToWrite[] =>
    ids.map((id, index) => ({
      index: index + 10,
      row: row(adaptyEvent(id, `user-${id}`)),
    }));
  const insertRequests = () =>
    server.requests
      .filter(({ path }) => path.endsWith('/insertAll'))
      .map(
        ({ body }) => body as { rows: StoredRow[]; skipInvalidRows: boolean },
      );

  beforeEach(async () => {
    server = await FakeBigQueryServer.start();
    const client = new BigQuery({
      ...server.clientOptions(),
      projectId: 'test-project',
      apiEndpoint: server.url,
    });
    inserts = new StreamingEventInserts(
      client.dataset('warehouse').table('unified_events'),
      QUICK_RETRY,
      { maxRows: 2, maxBytes: 1024 * 1024 },
    );
  });

  afterEach(() => server.close());

  it('streams each row with insertId = event_id, NUMERIC as decimal text and JSON as text', async () => {
    const ga4 = unifiedEventRow(
      ga4Event('g1', 'u9'),
      undefined,
      '2024-09-18T08:00:00.000Z',
    );
    await expect(
      inserts.write(target, [...rows('e1'), { index: 0, row: ga4 }]),
    ).resolves.toEqual({ loaded: 2, refused: [] });
    const [request] = insertRequests();
    expect(request.skipInvalidRows).toBe(true);
    expect(request.rows.map(({ insertId }) => insertId)).toEqual(['e1', 'g1']);
    expect(request.rows[0].json).toMatchObject({
      event_id: 'e1',
      event_datetime: 1_726_644_161_000_000,
      proceeds_usd: '7.490000001',
      profile_total_revenue_usd: '123456789012345678901234567.89',
      event_parameters: '{"store":"app_store","product_id":"pro_monthly"}',
      city: 'Berlin',
      state: 'trial',
      ingested_at: '2024-09-18T08:00:00.000Z',
    });
    expect(request.rows[1].json).toMatchObject({
      event_parameters:
        '{"firebase_screen":"paywall","engagement_time_msec":1200}',
      proceeds_usd: null,
    });
  });

  it('sends at most maxRows rows per request', async () => {
    await inserts.write(target, rows('e1', 'e2', 'e3', 'e4', 'e5'));
    expect(
      insertRequests().map((r) => r.rows.map(({ insertId }) => insertId)),
    ).toEqual([['e1', 'e2'], ['e3', 'e4'], ['e5']]);
  });

  it('sends again only the rows that failed for a transient reason, and returns those refused for good', async () => {
    server.rowFault = ({ insertId }, attempt) => {
      if (insertId === 'e2' && attempt < 2)
        return { reason: 'backendError', message: 'try again' };
      if (insertId === 'e3')
        return { reason: 'invalid', message: 'no such field: colour' };
      return undefined;
    };
    await expect(
      inserts.write(target, rows('e1', 'e2', 'e3')),
    ).resolves.toEqual({
      loaded: 2,
      refused: [
        {
          index: 12,
          problem: 'BigQuery refused it (invalid: no such field: colour)',
        },
      ],
    });
    expect(
      insertRequests().map((r) => r.rows.map(({ insertId }) => insertId)),
    ).toEqual([['e1', 'e2'], ['e3'], ['e2'], ['e2']]);
    expect(
      server.tableRows('unified_events').map(({ insertId }) => insertId),
    ).toEqual(['e1', 'e2']);
  });

  it('relies on the client to retry a request that failed with a 5xx, with the same insertIds', async () => {
    server.failNext('POST', /\/insertAll$/, [
      { status: 503, reason: 'backendError' },
      { status: 500, reason: 'internalError' },
    ]);
    await expect(inserts.write(target, rows('e1'))).resolves.toEqual({
      loaded: 1,
      refused: [],
    });
    expect(insertRequests().map((r) => r.rows[0].insertId)).toEqual([
      'e1',
      'e1',
      'e1',
    ]);
  });

  it('gives up after a bounded number of attempts, naming the batch and the last reason', async () => {
    server.rowFault = ({ insertId }) =>
      insertId === 'e1'
        ? { reason: 'timeout', message: 'deadline exceeded' }
        : undefined;
    await expect(inserts.write(target, rows('e1', 'e2'))).rejects.toThrow(
      '1 rows of unified-events batch 4 of gs://event-inbox/a.csv#1 were still not inserted after 4 attempts: timeout: deadline exceeded',
    );
    expect(insertRequests()).toHaveLength(QUICK_RETRY.attempts);
  });

  it('fails at once on a request BigQuery refuses as a whole', async () => {
    server.failNext('POST', /\/insertAll$/, [
      { status: 404, reason: 'notFound' },
    ]);
    await expect(inserts.write(target, rows('e1'))).rejects.toThrow('notFound');
    expect(insertRequests()).toHaveLength(1);
  });
});
