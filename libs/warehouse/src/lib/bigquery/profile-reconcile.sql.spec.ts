import {
  profileReconcileJobId,
  profileReconcileSql,
  profileReconcileStatement,
} from './profile-reconcile.sql';
import { TEST_DATASET } from './testing/fake-warehouse';

const sql = profileReconcileSql(TEST_DATASET).replace(/\s+/g, ' ');

describe('the profile column reconcile', () => {
  it('looks at the users whose profile changed since the last run, on rows older than the streaming buffer', () => {
    expect(sql).toContain(
      'DECLARE reconcile_cutoff TIMESTAMP DEFAULT TIMESTAMP_SUB(@now, INTERVAL @streaming_buffer_minutes MINUTE);',
    );
    expect(sql).toContain(
      'SELECT TIMESTAMP_SUB(MAX(cutoff), INTERVAL @overlap_minutes MINUTE) FROM `test-project.warehouse.profile_reconcile_runs`',
    );
    expect(sql).toContain(
      'WHERE reconcile_since IS NULL OR updated_at > reconcile_since;',
    );
    expect(sql.match(/e\.ingested_at < reconcile_cutoff/g)).toHaveLength(2);
  });

  it('updates only out-of-date rows: the state on every row, the attributes on Adapty rows', () => {
    const outOfDate =
      "e.`state` IS DISTINCT FROM p.`state` OR (e.source = 'adapty' AND (e.`city` IS DISTINCT FROM p.`city`" +
      ' OR e.`region` IS DISTINCT FROM p.`region` OR e.`country` IS DISTINCT FROM p.`country`' +
      ' OR e.`os` IS DISTINCT FROM p.`os` OR e.`app_version` IS DISTINCT FROM p.`app_version`))';
    expect(sql.split(outOfDate)).toHaveLength(3);
    expect(sql).toContain(
      "SET `state` = p.`state`, `city` = IF(e.source = 'adapty', p.`city`, e.`city`),",
    );
  });

  it('touches only the partitions the out-of-date rows are in, and runs no DML when there are none', () => {
    expect(sql).toContain(
      'MIN(e.event_datetime) AS first_event_datetime, MAX(e.event_datetime) AS last_event_datetime',
    );
    expect(sql).toContain(
      'IF stale.users > 0 THEN UPDATE `test-project.warehouse.unified_events` AS e',
    );
    expect(sql).toContain(
      'AND e.event_datetime BETWEEN stale.first_event_datetime AND stale.last_event_datetime',
    );
  });

  it('records the run, whose cutoff starts the next one', () => {
    expect(sql).toContain(
      'INSERT INTO `test-project.warehouse.profile_reconcile_runs` (job_id, since, cutoff, users, rows_updated, finished_at)' +
        ' VALUES (@job_id, reconcile_since, reconcile_cutoff, stale.users, rows_updated, CURRENT_TIMESTAMP());',
    );
    expect(
      profileReconcileStatement(
        TEST_DATASET,
        'job',
        '2024-09-18T10:05:00.000Z',
        {
          streamingBufferMinutes: 90,
          overlapMinutes: 15,
        },
      ).params,
    ).toEqual({
      job_id: 'job',
      now: '2024-09-18T10:05:00.000Z',
      streaming_buffer_minutes: 90,
      overlap_minutes: 15,
    });
  });

  it('claims one window with one job id, the same for every instance within the window', () => {
    const at = (iso: string) =>
      profileReconcileJobId(TEST_DATASET, new Date(iso), 60);
    expect(at('2024-09-18T10:05:00Z')).toBe(
      'warehouse_profile_reconcile_20240918T1000Z',
    );
    expect(at('2024-09-18T10:59:59Z')).toBe(at('2024-09-18T10:00:00Z'));
    expect(at('2024-09-18T11:00:00Z')).toBe(
      'warehouse_profile_reconcile_20240918T1100Z',
    );
    expect(at('2024-09-18T10:05:00Z')).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
