import {
  PROFILE_FILLED_EVENT_COLUMNS,
  PROFILE_VALUES_ON_EVENTS,
  PROFILES_TABLE,
  UNIFIED_EVENTS_TABLE,
} from '@event-pipeline/schema';
import {
  FILLED_ON_EVERY_ROW,
  PROFILE_FILLED_SOURCE,
} from '../profile-values-on-events';
import { PROFILE_RECONCILE_RUNS_TABLE } from './bigquery-tables';
import { DatasetRef, ident, Statement, tablePath } from './bigquery-statements';

export interface ProfileReconcileTiming {
  /**
   * Rows written less than this long ago are left alone: streamed rows
   * cannot be changed by DML for about 30 minutes (and take up to 90 to
   * leave the streaming buffer).
   */
  streamingBufferMinutes: number;
  /**
   * How far before the previous run's cutoff profile changes are looked at
   * again. It covers an event row whose profile values were read just
   * before a profile change but written just after it: such a row is later
   * than the change, yet holds the older values.
   */
  overlapMinutes: number;
}

export const DEFAULT_RECONCILE_TIMING: ProfileReconcileTiming = {
  streamingBufferMinutes: 90,
  overlapMinutes: 15,
};

const column = (alias: string, name: string) => `${alias}.${ident(name)}`;

const filledOnSource = (condition: (name: string) => string) =>
  PROFILE_FILLED_EVENT_COLUMNS.map(condition);

/** A row whose profile columns differ from its user's profile. */
const OUT_OF_DATE = `(
      ${[
        ...FILLED_ON_EVERY_ROW.map(
          (name) =>
            `${column('e', name)} IS DISTINCT FROM ${column('p', name)}`,
        ),
        `(e.source = '${PROFILE_FILLED_SOURCE}' AND (${filledOnSource(
          (name) =>
            `${column('e', name)} IS DISTINCT FROM ${column('p', name)}`,
        ).join(' OR ')}))`,
      ].join('\n      OR ')}
    )`;

const ASSIGNMENTS = [
  ...FILLED_ON_EVERY_ROW.map((name) => `${ident(name)} = ${column('p', name)}`),
  ...filledOnSource(
    (name) =>
      `${ident(name)} = IF(e.source = '${PROFILE_FILLED_SOURCE}', ${column('p', name)}, ${column('e', name)})`,
  ),
].join(',\n    ');

/**
 * The change-data-capture reconcile: brings the profile columns of
 * unified_events rows up to date for the users whose profile changed since
 * the previous run (all profiles on the first run), on rows older than the
 * streaming buffer only. A first pass finds the out-of-date rows; the UPDATE
 * runs only if there are any, and only over the event_datetime range (so the
 * partitions) they lie in. The run is recorded in profile_reconcile_runs,
 * whose latest cutoff is the next run's starting point.
 */
export const profileReconcileSql = (
  dataset: DatasetRef,
): string => `DECLARE reconcile_cutoff TIMESTAMP DEFAULT TIMESTAMP_SUB(@now, INTERVAL @streaming_buffer_minutes MINUTE);
DECLARE reconcile_since TIMESTAMP DEFAULT (
  SELECT TIMESTAMP_SUB(MAX(cutoff), INTERVAL @overlap_minutes MINUTE)
  FROM ${tablePath(dataset, PROFILE_RECONCILE_RUNS_TABLE.name)}
);
DECLARE stale STRUCT<users INT64, first_event_datetime INT64, last_event_datetime INT64>;
DECLARE rows_updated INT64 DEFAULT 0;

CREATE TEMP TABLE changed_profiles AS
SELECT user_id, ${PROFILE_VALUES_ON_EVENTS.map(ident).join(', ')}
FROM ${tablePath(dataset, PROFILES_TABLE.name)}
WHERE reconcile_since IS NULL OR updated_at > reconcile_since;

SET stale = (
  SELECT AS STRUCT
    COUNT(DISTINCT e.user_id) AS users,
    MIN(e.event_datetime) AS first_event_datetime,
    MAX(e.event_datetime) AS last_event_datetime
  FROM ${tablePath(dataset, UNIFIED_EVENTS_TABLE.name)} AS e
  JOIN changed_profiles AS p ON p.user_id = e.user_id
  WHERE e.ingested_at < reconcile_cutoff
    AND ${OUT_OF_DATE}
);

IF stale.users > 0 THEN
  UPDATE ${tablePath(dataset, UNIFIED_EVENTS_TABLE.name)} AS e
  SET
    ${ASSIGNMENTS}
  FROM changed_profiles AS p
  WHERE p.user_id = e.user_id
    AND e.event_datetime BETWEEN stale.first_event_datetime AND stale.last_event_datetime
    AND e.ingested_at < reconcile_cutoff
    AND ${OUT_OF_DATE};
  SET rows_updated = @@row_count;
END IF;

INSERT INTO ${tablePath(dataset, PROFILE_RECONCILE_RUNS_TABLE.name)} (job_id, since, cutoff, users, rows_updated, finished_at)
VALUES (@job_id, reconcile_since, reconcile_cutoff, stale.users, rows_updated, CURRENT_TIMESTAMP());

SELECT reconcile_since AS since, reconcile_cutoff AS cutoff, stale.users AS users, rows_updated`;

/** The job id that claims one reconcile window: one run per window, whoever calls. */
export const profileReconcileJobId = (
  dataset: DatasetRef,
  now: Date,
  intervalMinutes: number,
): string => {
  const windowMs = intervalMinutes * 60_000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  // 2024-09-18T10:00 → 20240918T1000Z
  const stamp = `${windowStart.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z`;
  return `${dataset.datasetId}_profile_reconcile_${stamp}`;
};

export const profileReconcileStatement = (
  dataset: DatasetRef,
  jobId: string,
  now: string,
  timing: ProfileReconcileTiming,
): Statement => ({
  name: 'profile-reconcile',
  sql: profileReconcileSql(dataset),
  params: {
    job_id: jobId,
    now,
    streaming_buffer_minutes: timing.streamingBufferMinutes,
    overlap_minutes: timing.overlapMinutes,
  },
  types: {
    job_id: 'STRING',
    now: 'TIMESTAMP',
    streaming_buffer_minutes: 'INT64',
    overlap_minutes: 'INT64',
  },
});
