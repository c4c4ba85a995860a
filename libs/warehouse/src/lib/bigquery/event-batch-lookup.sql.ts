import {
  FILE_BATCH_COLUMNS,
  FILE_BATCHES_TABLE,
  FileBatchRow,
  OutputStream,
  PROFILE_COLUMNS,
  PROFILE_VALUES_ON_EVENTS,
  PROFILES_TABLE,
  UNIFIED_EVENTS_TABLE,
  UnifiedEvent,
} from '@event-pipeline/schema';
import { ProfileValuesOnEvents } from '../profile-values-on-events';
import { DatasetRef, ident, Statement, tablePath } from './bigquery-statements';
import { decodeRow } from './bigquery-values';

const EVENTS: OutputStream = 'unified-events';

/** A batch of a group of event batches, by key. */
export interface BatchKey {
  source_file: string;
  batch_index: number;
}

/** What one query tells about a group of event batches before they are written. */
export interface EventBatchLookup {
  /** The group's batches committed before, as recorded. */
  committed: FileBatchRow[];
  /** The group's event ids already in unified_events. */
  loadedEventIds: Set<string>;
  /** The current profile values of the group's users that have a profile. */
  profiles: Map<string, ProfileValuesOnEvents>;
}

/**
 * One query for a group of batches: which are committed, which of their
 * event ids are loaded (streamed rows are visible to queries at once), and
 * the profile values of their users. The event id search is narrowed to the
 * batches' event_datetime range and users, so that it reads only the
 * partitions and clusters those events can be in: a repeated event has the
 * same time and user as its first copy.
 */
export const eventBatchLookupSql = (dataset: DatasetRef): string => `SELECT
  ARRAY(
    SELECT AS STRUCT batch.*
    FROM ${tablePath(dataset, FILE_BATCHES_TABLE.name)} AS batch
    JOIN UNNEST(@batches) AS wanted
      ON batch.source_file = wanted.source_file AND batch.batch_index = wanted.batch_index
    WHERE batch.stream = '${EVENTS}'
    QUALIFY ROW_NUMBER() OVER (
      PARTITION BY batch.source_file, batch.batch_index ORDER BY batch.committed_at
    ) = 1
  ) AS committed,
  ARRAY(
    SELECT DISTINCT event_id
    FROM ${tablePath(dataset, UNIFIED_EVENTS_TABLE.name)}
    WHERE event_datetime BETWEEN @first_event_datetime AND @last_event_datetime
      AND user_id IN UNNEST(@user_ids)
      AND event_id IN UNNEST(@event_ids)
  ) AS loaded_event_ids,
  ARRAY(
    SELECT AS STRUCT user_id, ${PROFILE_VALUES_ON_EVENTS.map(ident).join(', ')}
    FROM ${tablePath(dataset, PROFILES_TABLE.name)}
    WHERE user_id IN UNNEST(@user_ids)
  ) AS profiles`;

export const eventBatchLookupStatement = (
  dataset: DatasetRef,
  batches: readonly BatchKey[],
  events: readonly UnifiedEvent[],
): Statement => {
  const times = events.map((event) => event.event_datetime);
  const first = times.reduce((a, b) => Math.min(a, b), Infinity);
  const last = times.reduce((a, b) => Math.max(a, b), -Infinity);
  return {
    name: 'event-batch-lookup',
    sql: eventBatchLookupSql(dataset),
    params: {
      batches,
      event_ids: [...new Set(events.map((event) => event.event_id))],
      user_ids: [...new Set(events.map((event) => event.user_id))],
      first_event_datetime: times.length > 0 ? first : 0,
      last_event_datetime: times.length > 0 ? last : 0,
    },
    types: {
      batches: [{ source_file: 'STRING', batch_index: 'INT64' }],
      event_ids: ['STRING'],
      user_ids: ['STRING'],
      first_event_datetime: 'INT64',
      last_event_datetime: 'INT64',
    },
  };
};

const PROFILE_VALUE_COLUMNS = PROFILE_COLUMNS.filter(
  ({ name }) =>
    name === 'user_id' ||
    (PROFILE_VALUES_ON_EVENTS as readonly string[]).includes(name),
);

export const decodeEventBatchLookup = (
  row: Record<string, unknown>,
): EventBatchLookup => {
  const profiles = (row['profiles'] as Record<string, unknown>[]).map((raw) =>
    decodeRow<ProfileValuesOnEvents & { user_id: string }>(
      PROFILE_VALUE_COLUMNS,
      raw,
    ),
  );
  return {
    committed: (row['committed'] as Record<string, unknown>[]).map((raw) =>
      decodeRow<FileBatchRow>(FILE_BATCH_COLUMNS, raw),
    ),
    loadedEventIds: new Set(row['loaded_event_ids'] as string[]),
    profiles: new Map(
      profiles.map(({ user_id, ...values }) => [user_id, values]),
    ),
  };
};
