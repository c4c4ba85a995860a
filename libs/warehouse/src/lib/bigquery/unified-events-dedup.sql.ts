import { UNIFIED_EVENTS_TABLE } from '@event-pipeline/schema';
import { DatasetRef, tablePath } from './bigquery-statements';

/** A view of unified_events with one row per event_id. */
export const UNIFIED_EVENTS_DEDUP_VIEW = 'unified_events_dedup';

/**
 * Streaming inserts drop a repeated insertId only on a best-effort basis,
 * within about a minute, so a row can be stored twice. The view keeps the
 * first stored copy of each event. event_datetime and user_id are part of an
 * event's content (and of its id), so adding them to the window's PARTITION
 * BY changes nothing, and lets filters on them reach the table's partitions
 * and clusters through the view.
 */
export const unifiedEventsDedupSql = (dataset: DatasetRef): string => `SELECT *
FROM ${tablePath(dataset, UNIFIED_EVENTS_TABLE.name)}
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY event_datetime, user_id, event_id
  ORDER BY ingested_at, source_file
) = 1`;
