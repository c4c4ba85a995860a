import { BigQuery } from '@google-cloud/bigquery';
import {
  BigQueryStatements,
  STATEMENT_LABEL,
  Statement,
} from './bigquery-statements';
import { FakeBigQueryServer } from './testing/fake-bigquery.server';
import { QUICK_RETRY } from './testing/fake-warehouse';
import { isTransientBigQueryError } from './retry';

describe('BigQueryStatements', () => {
  let server: FakeBigQueryServer;
  let statements: BigQueryStatements;
  const statement: Statement = {
    name: 'counting',
    sql: 'SELECT @n + 1 AS n',
    params: { n: 41 },
    types: { n: 'INT64' },
  };

  beforeEach(async () => {
    server = await FakeBigQueryServer.start();
    const client = new BigQuery({
      ...server.clientOptions(),
      projectId: 'test-project',
      location: 'EU',
      apiEndpoint: server.url,
    });
    statements = new BigQueryStatements(client, 'EU', QUICK_RETRY);
  });

  afterEach(() => server.close());

  it('runs a query job with typed named parameters and its label, and returns the rows', async () => {
    server.onQuery(({ params }) => ({
      schema: [{ name: 'n', type: 'INT64' }],
      rows: [{ n: (params['n'] as number) + 1 }],
    }));
    await expect(statements.rows(statement)).resolves.toEqual([{ n: 42 }]);
    const insert = server.requests.find(({ path }) => path.endsWith('/jobs'));
    expect(insert?.body).toMatchObject({
      jobReference: { projectId: 'test-project', location: 'EU' },
      configuration: {
        labels: { [STATEMENT_LABEL]: 'counting' },
        query: {
          query: 'SELECT @n + 1 AS n',
          useLegacySql: false,
          parameterMode: 'named',
          queryParameters: [
            {
              name: 'n',
              parameterType: { type: 'INT64' },
              parameterValue: { value: '41' },
            },
          ],
        },
      },
    });
  });

  it('runs a statement again when its job failed for a transient reason', async () => {
    let failures = 2;
    server.onQuery(() => {
      if (failures-- > 0) {
        throw {
          reason: 'invalidQuery',
          message:
            'Could not serialize access to table warehouse.file_accounting due to concurrent update',
        };
      }
      return { schema: [{ name: 'n', type: 'INT64' }], rows: [{ n: 1 }] };
    });
    await expect(statements.rows(statement)).resolves.toEqual([{ n: 1 }]);
    expect(server.queryJobs()).toHaveLength(3);
  });

  it('does not run again a statement that failed for good', async () => {
    server.onQuery(() => {
      throw { reason: 'invalidQuery', message: 'Unrecognized name: colour' };
    });
    await expect(statements.rows(statement)).rejects.toThrow(
      'Unrecognized name: colour',
    );
    expect(server.queryJobs()).toHaveLength(1);
  });

  it('runs a claimed job id once: null when the job exists', async () => {
    server.onQuery(() => ({ schema: [], rows: [] }));
    await expect(statements.rowsOnce(statement, 'claim_1')).resolves.toEqual(
      [],
    );
    await expect(statements.rowsOnce(statement, 'claim_1')).resolves.toBeNull();
  });

  it('tells transient failures from the others', () => {
    expect(isTransientBigQueryError({ code: 503 })).toBe(true);
    expect(isTransientBigQueryError({ code: 'ECONNRESET' })).toBe(true);
    expect(
      isTransientBigQueryError({ errors: [{ reason: 'rateLimitExceeded' }] }),
    ).toBe(true);
    expect(
      isTransientBigQueryError({
        message:
          'Too many DML statements outstanding against table t, limit is 20',
      }),
    ).toBe(true);
    expect(
      isTransientBigQueryError({ code: 400, errors: [{ reason: 'invalid' }] }),
    ).toBe(false);
    expect(isTransientBigQueryError(new Error('boom'))).toBe(false);
  });
});
