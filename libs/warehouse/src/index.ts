export * from './lib/warehouse.port';
export * from './lib/warehouse.constants';
export * from './lib/warehouse.config';
export * from './lib/warehouse.factory';
export * from './lib/warehouse.module';
export * from './lib/sqlite/sqlite.warehouse';
export { openSqliteDatabase } from './lib/sqlite/sqlite-database';
export { SqliteUnifiedEvents } from './lib/sqlite/sqlite-unified-events';
export * from './lib/bigquery/bigquery.warehouse';
export { profileMergeSql } from './lib/bigquery/profile-merge.sql';
export {
  DEFAULT_RECONCILE_TIMING,
  profileReconcileSql,
} from './lib/bigquery/profile-reconcile.sql';
export type { ProfileReconcileTiming } from './lib/bigquery/profile-reconcile.sql';
export {
  UNIFIED_EVENTS_DEDUP_VIEW,
  unifiedEventsDedupSql,
} from './lib/bigquery/unified-events-dedup.sql';
export type { DatasetRef } from './lib/bigquery/bigquery-statements';
export type { StagingStore } from './lib/bigquery/load-jobs';
export type { RetryPolicy } from './lib/bigquery/retry';
export * from './lib/micro-batcher';
