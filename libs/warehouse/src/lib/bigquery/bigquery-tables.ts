import { Dataset, TableMetadata } from '@google-cloud/bigquery';
import {
  column,
  RangePartitioning,
  TableSpec,
  toBigQueryFields,
  WAREHOUSE_LAYOUT,
  WAREHOUSE_TABLES,
} from '@event-pipeline/schema';
import { DatasetRef } from './bigquery-statements';
import {
  UNIFIED_EVENTS_DEDUP_VIEW,
  unifiedEventsDedupSql,
} from './unified-events-dedup.sql';

/**
 * The BigQuery adapter's own bookkeeping: one row per finished reconcile of
 * the profile columns on events, the next run's starting point.
 */
export const PROFILE_RECONCILE_RUNS_TABLE = {
  name: 'profile_reconcile_runs',
  description:
    'Runs of the reconcile that brings profile columns on unified_events up to date.',
  columns: [
    column('job_id', 'STRING', 'REQUIRED', 'The query job that ran it.'),
    column(
      'since',
      'TIMESTAMP',
      'NULLABLE',
      'Profiles changed after this were reconciled; null: all profiles.',
    ),
    column(
      'cutoff',
      'TIMESTAMP',
      'REQUIRED',
      'Rows ingested before this were reconciled.',
    ),
    column('users', 'INT64', 'REQUIRED', 'Users whose rows were out of date.'),
    column('rows_updated', 'INT64', 'REQUIRED', 'Rows brought up to date.'),
    column('finished_at', 'TIMESTAMP', 'REQUIRED', 'When the run finished.'),
  ],
  primaryKey: ['job_id'],
} as const satisfies TableSpec;

type WarehouseTableName = (typeof WAREHOUSE_TABLES)[number]['name'];

/** Every table and view the adapter reads or writes. */
export type BigQueryTableName =
  | WarehouseTableName
  | typeof PROFILE_RECONCILE_RUNS_TABLE.name
  | typeof UNIFIED_EVENTS_DEDUP_VIEW;

const isWarehouseTable = (name: string): name is WarehouseTableName =>
  name in WAREHOUSE_LAYOUT;

/**
 * A table's BigQuery metadata from its spec: the schema, the key (not
 * enforced by BigQuery, used by its optimizer) and, for the pipeline's
 * tables, the layout shared with the Terraform.
 */
export const tableMetadata = (table: TableSpec): TableMetadata => {
  const metadata: TableMetadata = {
    description: table.description,
    schema: { fields: toBigQueryFields(table.columns) },
    tableConstraints: { primaryKey: { columns: [...table.primaryKey] } },
  };
  if (!isWarehouseTable(table.name)) return metadata;
  const layout = WAREHOUSE_LAYOUT[table.name];
  metadata.clustering = { fields: [...layout.clustering] };
  const partitioning: RangePartitioning<string> | undefined =
    layout.rangePartitioning;
  if (partitioning) {
    const { field, start, end, interval } = partitioning;
    metadata.rangePartitioning = {
      field,
      range: {
        start: String(start),
        end: String(end),
        interval: String(interval),
      },
    };
  }
  return metadata;
};

/** The metadata of every table and view the adapter may create. */
export const bigQueryTableMetadata = (
  dataset: DatasetRef,
): Record<BigQueryTableName, TableMetadata> => ({
  ...(Object.fromEntries(
    WAREHOUSE_TABLES.map((table) => [table.name, tableMetadata(table)]),
  ) as Record<WarehouseTableName, TableMetadata>),
  [PROFILE_RECONCILE_RUNS_TABLE.name]: tableMetadata(
    PROFILE_RECONCILE_RUNS_TABLE,
  ),
  [UNIFIED_EVENTS_DEDUP_VIEW]: {
    description:
      'unified_events with one row per event_id (the first stored copy).',
    view: { query: unifiedEventsDedupSql(dataset), useLegacySql: false },
  },
});

const statusOf = (error: unknown): unknown =>
  (error as { code?: unknown }).code;

/**
 * Creates each table the first time the adapter touches it, if it is
 * missing. Tables are looked at one by one and only when used, so a service
 * granted a few tables (the file-ingestor, the error-archiver) never needs
 * rights on the others.
 */
export class BigQueryTables {
  private readonly ensured = new Map<BigQueryTableName, Promise<void>>();
  private readonly metadata: Record<BigQueryTableName, TableMetadata>;

  constructor(private readonly dataset: Dataset) {
    this.metadata = bigQueryTableMetadata({
      projectId: dataset.projectId,
      datasetId: dataset.id as string,
    });
  }

  /** In the order given: a view after the tables it reads. */
  async ensure(...names: BigQueryTableName[]): Promise<void> {
    for (const name of names) {
      let ensured = this.ensured.get(name);
      if (!ensured) {
        ensured = this.createIfMissing(name);
        this.ensured.set(name, ensured);
        // A failure is not remembered: the next call looks again.
        ensured.catch(() => this.ensured.delete(name));
      }
      await ensured;
    }
  }

  private async createIfMissing(name: BigQueryTableName): Promise<void> {
    try {
      await this.dataset.table(name).get();
      return;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    try {
      await this.dataset.createTable(name, this.metadata[name]);
    } catch (error) {
      // Another instance created it meanwhile.
      if (statusOf(error) === 409) return;
      throw new Error(
        `Could not create the missing table ${this.dataset.id}.${name}: ${(error as Error).message}. ` +
          'Create it with infra/terraform, or grant this service BigQuery Data Editor on the dataset.',
        { cause: error },
      );
    }
  }
}
