import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { integerFromEnv } from '@event-pipeline/schema';
import {
  BigQueryWarehouseOptions,
  EventWriteMode,
} from './bigquery/bigquery.warehouse';
import { SqliteWarehouseOptions } from './sqlite/sqlite.warehouse';

/** The adapters `WAREHOUSE` can name. */
export const WAREHOUSE_KINDS = ['sqlite', 'bigquery'] as const;
export type WarehouseKind = (typeof WAREHOUSE_KINDS)[number];

export const DEFAULT_SQLITE_PATH = '.data/warehouse.sqlite';
export const DEFAULT_RECONCILE_INTERVAL_MINUTES = 60;

/** One variant per adapter, each with its own options. */
export type WarehouseConfig =
  | { kind: 'sqlite'; sqlite: SqliteWarehouseOptions }
  | { kind: 'bigquery'; bigquery: BigQueryWarehouseOptions };

type Env = Readonly<Record<string, string | undefined>>;

const isWarehouseKind = (value: string): value is WarehouseKind =>
  (WAREHOUSE_KINDS as readonly string[]).includes(value);

const isDirectory = (path: string): boolean =>
  statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

const readSqliteOptions = (env: Env): SqliteWarehouseOptions => {
  const raw = env['WAREHOUSE_SQLITE_PATH'] || DEFAULT_SQLITE_PATH;
  const path = resolve(raw);
  if (isDirectory(path)) {
    throw new Error(
      `WAREHOUSE_SQLITE_PATH must name a database file, found the folder ${JSON.stringify(raw)}`,
    );
  }
  return { path };
};

const required = (env: Env, name: string, meaning: string): string => {
  const value = env[name];
  if (!value) {
    throw new Error(`${name} must name ${meaning} (WAREHOUSE=bigquery)`);
  }
  return value;
};

const DATASET_ID = /^[A-Za-z0-9_]{1,1024}$/;
const EVENT_WRITE_MODES = ['streaming', 'load'] as const;

const readEndpoint = (env: Env): string | undefined => {
  const raw = env['WAREHOUSE_BIGQUERY_ENDPOINT'];
  if (!raw) return undefined;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    throw new Error(
      `WAREHOUSE_BIGQUERY_ENDPOINT must be an http(s) URL, found ${JSON.stringify(raw)}`,
    );
  }
  return raw;
};

const readEventWrites = (env: Env): EventWriteMode => {
  const mode = env['WAREHOUSE_BIGQUERY_EVENT_WRITES'] || 'streaming';
  if (mode === 'streaming') return { mode };
  if (mode === 'load') {
    return {
      mode,
      stagingBucket: required(
        env,
        'WAREHOUSE_BIGQUERY_STAGING_BUCKET',
        'the Cloud Storage bucket where event batches are staged for load jobs',
      ),
    };
  }
  throw new Error(
    `WAREHOUSE_BIGQUERY_EVENT_WRITES must be one of ${EVENT_WRITE_MODES.join(', ')}, found ${JSON.stringify(mode)}`,
  );
};

const readReconcileInterval = (env: Env): number =>
  integerFromEnv(
    env,
    'WAREHOUSE_BIGQUERY_RECONCILE_MINUTES',
    DEFAULT_RECONCILE_INTERVAL_MINUTES,
    { min: 1, max: 1440, takes: 'a whole number of minutes from 1 to 1440' },
  );

const readBigQueryOptions = (env: Env): BigQueryWarehouseOptions => {
  const projectId = required(
    env,
    'GOOGLE_CLOUD_PROJECT',
    'the Google Cloud project of the BigQuery warehouse',
  );
  const dataset = required(
    env,
    'WAREHOUSE_BIGQUERY_DATASET',
    'the BigQuery dataset of the warehouse tables',
  );
  if (!DATASET_ID.test(dataset)) {
    throw new Error(
      `WAREHOUSE_BIGQUERY_DATASET must be a dataset id (letters, digits and underscores), found ${JSON.stringify(dataset)}`,
    );
  }
  const location = env['WAREHOUSE_BIGQUERY_LOCATION'] || undefined;
  const apiEndpoint = readEndpoint(env);
  return {
    projectId,
    dataset,
    ...(location === undefined ? {} : { location }),
    ...(apiEndpoint === undefined ? {} : { apiEndpoint }),
    eventWrites: readEventWrites(env),
    reconcileIntervalMinutes: readReconcileInterval(env),
  };
};

/**
 * The warehouse configuration from the environment: `WAREHOUSE` (default
 * `sqlite`) and the chosen adapter's variables. Throws on a bad value,
 * naming the variable.
 */
export const readWarehouseConfig = (
  env: Env = process.env,
): WarehouseConfig => {
  const kind = env['WAREHOUSE'] || 'sqlite';
  if (!isWarehouseKind(kind)) {
    throw new Error(
      `WAREHOUSE must be one of ${WAREHOUSE_KINDS.join(', ')}, found ${JSON.stringify(kind)}`,
    );
  }
  switch (kind) {
    case 'sqlite':
      return { kind, sqlite: readSqliteOptions(env) };
    case 'bigquery':
      return { kind, bigquery: readBigQueryOptions(env) };
  }
};
