import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SQLITE_PATH, readWarehouseConfig } from './warehouse.config';

describe('readWarehouseConfig', () => {
  it('defaults to SQLite at .data/warehouse.sqlite under the working folder', () => {
    expect(readWarehouseConfig({})).toEqual({
      kind: 'sqlite',
      sqlite: { path: resolve(DEFAULT_SQLITE_PATH) },
    });
    expect(DEFAULT_SQLITE_PATH).toBe('.data/warehouse.sqlite');
  });

  it('takes the SQLite path from WAREHOUSE_SQLITE_PATH', () => {
    expect(
      readWarehouseConfig({
        WAREHOUSE: 'sqlite',
        WAREHOUSE_SQLITE_PATH: '/var/lib/w.sqlite',
      }),
    ).toEqual({ kind: 'sqlite', sqlite: { path: '/var/lib/w.sqlite' } });
  });

  it('names WAREHOUSE when it names no adapter', () => {
    expect(() => readWarehouseConfig({ WAREHOUSE: 'postgres' })).toThrow(
      'WAREHOUSE must be one of sqlite, bigquery, found "postgres"',
    );
  });

  it('names WAREHOUSE_SQLITE_PATH when it is a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warehouse-config-'));
    try {
      expect(() => readWarehouseConfig({ WAREHOUSE_SQLITE_PATH: dir })).toThrow(
        /^WAREHOUSE_SQLITE_PATH must name a database file, found the folder/,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  describe('WAREHOUSE=bigquery', () => {
    // What the Cloud Run services get from infra/terraform/run.tf.
    const deployed = {
      WAREHOUSE: 'bigquery',
      GOOGLE_CLOUD_PROJECT: 'acme-analytics',
      WAREHOUSE_BIGQUERY_DATASET: 'event_pipeline',
    };

    it('streams into the dataset of the project, reconciling hourly', () => {
      expect(readWarehouseConfig(deployed)).toEqual({
        kind: 'bigquery',
        bigquery: {
          projectId: 'acme-analytics',
          dataset: 'event_pipeline',
          eventWrites: { mode: 'streaming' },
          reconcileIntervalMinutes: 60,
        },
      });
    });

    it('takes the location, an endpoint, the load mode and the reconcile interval', () => {
      expect(
        readWarehouseConfig({
          ...deployed,
          WAREHOUSE_BIGQUERY_LOCATION: 'EU',
          WAREHOUSE_BIGQUERY_ENDPOINT: 'http://127.0.0.1:9050',
          WAREHOUSE_BIGQUERY_EVENT_WRITES: 'load',
          WAREHOUSE_BIGQUERY_STAGING_BUCKET: 'acme-staging',
          WAREHOUSE_BIGQUERY_RECONCILE_MINUTES: '15',
        }),
      ).toEqual({
        kind: 'bigquery',
        bigquery: {
          projectId: 'acme-analytics',
          dataset: 'event_pipeline',
          location: 'EU',
          apiEndpoint: 'http://127.0.0.1:9050',
          eventWrites: { mode: 'load', stagingBucket: 'acme-staging' },
          reconcileIntervalMinutes: 15,
        },
      });
    });

    it.each([
      [
        { GOOGLE_CLOUD_PROJECT: '' },
        'GOOGLE_CLOUD_PROJECT must name the Google Cloud project of the BigQuery warehouse (WAREHOUSE=bigquery)',
      ],
      [
        { WAREHOUSE_BIGQUERY_DATASET: undefined },
        'WAREHOUSE_BIGQUERY_DATASET must name the BigQuery dataset of the warehouse tables (WAREHOUSE=bigquery)',
      ],
      [
        { WAREHOUSE_BIGQUERY_DATASET: 'event-pipeline' },
        'WAREHOUSE_BIGQUERY_DATASET must be a dataset id (letters, digits and underscores), found "event-pipeline"',
      ],
      [
        { WAREHOUSE_BIGQUERY_ENDPOINT: 'localhost:9050' },
        'WAREHOUSE_BIGQUERY_ENDPOINT must be an http(s) URL, found "localhost:9050"',
      ],
      [
        { WAREHOUSE_BIGQUERY_EVENT_WRITES: 'storage-write' },
        'WAREHOUSE_BIGQUERY_EVENT_WRITES must be one of streaming, load, found "storage-write"',
      ],
      [
        { WAREHOUSE_BIGQUERY_EVENT_WRITES: 'load' },
        'WAREHOUSE_BIGQUERY_STAGING_BUCKET must name the Cloud Storage bucket where event batches are staged for load jobs (WAREHOUSE=bigquery)',
      ],
      [
        { WAREHOUSE_BIGQUERY_RECONCILE_MINUTES: '0.5' },
        'WAREHOUSE_BIGQUERY_RECONCILE_MINUTES must be a whole number of minutes from 1 to 1440, found "0.5"',
      ],
    ])('stops on %j, naming the variable', (change, message) => {
      expect(() => readWarehouseConfig({ ...deployed, ...change })).toThrow(
        message,
      );
    });
  });
});
