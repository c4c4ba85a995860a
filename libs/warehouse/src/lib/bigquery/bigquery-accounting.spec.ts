import { FILE_ACCOUNTING_COLUMNS } from '@event-pipeline/schema';
import {
  finishedManifest,
  inboxFile,
  startedManifest,
} from '../../testing/fixtures';
import { newFileAccounting } from '../file-accounting';
import {
  batchCommitStatement,
  manifestStatement,
  recordBatchesSql,
  settleAccountingSql,
} from './bigquery-accounting';
import { TEST_DATASET } from './testing/fake-warehouse';

const squeeze = (text: string) => text.replace(/\s+/g, ' ');

describe('BigQuery accounting statements', () => {
  it('record batch commits idempotently: a MERGE keyed by source file, stream and batch index that only inserts', () => {
    const sql = squeeze(recordBatchesSql(TEST_DATASET));
    expect(sql).toContain(
      'MERGE `test-project.warehouse.file_batches` AS stored USING (SELECT * FROM UNNEST(@batches)) AS batch' +
        ' ON stored.`source_file` = batch.`source_file` AND stored.`stream` = batch.`stream` AND stored.`batch_index` = batch.`batch_index`' +
        ' WHEN NOT MATCHED THEN INSERT',
    );
    expect(sql).not.toContain('WHEN MATCHED');
    // `rows` is a reserved word in GoogleSQL.
    expect(sql).toContain('batch.`rows`');
  });

  it('commit a group of batches in one script: what was recorded before, the batches, the settle, the stored commits', () => {
    const { sql, params } = batchCommitStatement(
      TEST_DATASET,
      [],
      ['gs://b/o#1'],
      '2024-09-18T08:00:00.000Z',
    );
    const script = squeeze(sql);
    const order = [
      'DECLARE recorded_before ARRAY<STRUCT<source_file STRING, stream STRING, batch_index INT64>>',
      'MERGE `test-project.warehouse.file_batches`',
      'MERGE `test-project.warehouse.file_accounting`',
      'EXISTS ( SELECT 1 FROM UNNEST(recorded_before) AS earlier',
    ].map((part) => script.indexOf(part));
    expect(
      order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])),
    ).toBe(true);
    expect(sql.match(/\bMERGE\b/g)).toHaveLength(2);
    expect(params).toEqual({
      batches: [],
      files: ['gs://b/o#1'],
      now: '2024-09-18T08:00:00.000Z',
    });
  });

  describe('the settle', () => {
    const sql = squeeze(settleAccountingSql(TEST_DATASET));

    it('recomputes from file_batches, taking the first commit of each key', () => {
      expect(sql).toContain(
        'SELECT * FROM `test-project.warehouse.file_batches` WHERE source_file IN UNNEST(@files)' +
          ' QUALIFY ROW_NUMBER() OVER ( PARTITION BY `source_file`, `stream`, `batch_index` ORDER BY committed_at ) = 1',
      );
      expect(sql).toContain(
        "IFNULL(SUM(IF(b.stream = 'unified-events', b.loaded, 0)), 0) AS rows_loaded",
      );
      expect(sql).toContain(
        "IFNULL(SUM(IF(b.stream = 'unified-events', b.rejected, 0)), 0) AS rows_rejected",
      );
      expect(sql).toContain(
        "COUNTIF(b.stream = 'profile-changes' AND b.batch_index < m.profile_change_batches) AS profile_change_batches",
      );
    });

    it('keeps row_errors = the manifest row errors + rows_rejected, and finishes once every announced batch is in', () => {
      expect(sql).toContain(
        'm.row_errors - m.rows_rejected + c.rows_rejected AS row_errors',
      );
      const complete =
        '(m.event_batches IS NOT NULL AND c.event_batches = m.event_batches' +
        ' AND c.profile_change_batches = m.profile_change_batches AND c.error_batches = m.error_batches)';
      expect(sql).toContain(
        `IF(${complete}, IF(m.failed_as_whole, 'failed', 'done'), 'processing') AS status`,
      );
      expect(sql).toContain(
        `IF(${complete}, IFNULL(m.finished_at, @now), NULL) AS finished_at`,
      );
    });

    it("starts a file's row from newFileAccounting, and moves updated_at only on a real change", () => {
      const defaults = newFileAccounting('', '');
      expect(defaults).toMatchObject({
        status: 'processing',
        rows_loaded: 0,
        kind: null,
      });
      expect(sql).toContain(
        "SELECT file, CAST(NULL AS STRING), 'processing', CAST(NULL AS INT64), 0, 0, 0,",
      );
      expect(sql).toContain(
        'FROM UNNEST(@files) AS file WHERE file NOT IN (SELECT source_file FROM existing)',
      );
      expect(sql).toContain(
        `WHEN MATCHED AND NOT ( ${FILE_ACCOUNTING_COLUMNS.filter(
          ({ name }) => !['source_file', 'updated_at'].includes(name),
        )
          .map(
            ({ name }) =>
              `stored.\`${name}\` IS NOT DISTINCT FROM settled.\`${name}\``,
          )
          .join(' AND ')} ) THEN UPDATE SET`,
      );
      expect(sql).toContain('`updated_at` = @now WHEN NOT MATCHED THEN INSERT');
    });
  });

  describe('manifests', () => {
    const file = inboxFile();

    it('started: fills only what is unknown (it may arrive after finished)', () => {
      const statement = manifestStatement(
        TEST_DATASET,
        'gs://event-inbox/adapty/events.csv#1',
        startedManifest(file),
        '2024-09-18T08:00:01.000Z',
      );
      const sql = squeeze(statement.sql);
      expect(sql).toContain(
        'SELECT * REPLACE ( IFNULL(kind, @kind) AS kind, IFNULL(started_at, @started_at) AS started_at ) FROM accounting',
      );
      expect(statement).toMatchObject({
        name: 'file-manifest-started',
        params: {
          files: ['gs://event-inbox/adapty/events.csv#1'],
          kind: 'adapty',
          started_at: '2024-09-18T08:00:00.000Z',
        },
      });
      expect(Object.keys(statement.types).sort()).toEqual([
        'files',
        'kind',
        'now',
        'started_at',
      ]);
      expect(sql).toMatch(
        /; SELECT \* FROM `test-project\.warehouse\.file_accounting` WHERE source_file IN UNNEST\(@files\)$/,
      );
    });

    it('finished: stores the totals, row_errors including the rows the warehouse rejected', () => {
      const statement = manifestStatement(
        TEST_DATASET,
        'gs://event-inbox/adapty/events.csv#1',
        finishedManifest(
          file,
          { rowsRead: 11, rowErrors: 2, eventBatches: 3 },
          true,
        ),
        '2024-09-18T08:00:06.000Z',
      );
      expect(squeeze(statement.sql)).toContain(
        'IF(parsed_at IS NULL, @row_errors + rows_rejected, row_errors) AS row_errors',
      );
      // A second finished manifest of the generation changes nothing.
      expect(squeeze(statement.sql)).toContain(
        'IF(parsed_at IS NULL, @failed, failed_as_whole) AS failed_as_whole, ' +
          'IF(parsed_at IS NULL, @finished_at, parsed_at) AS parsed_at',
      );
      expect(statement.params).toMatchObject({
        rows_read: 11,
        row_errors: 2,
        event_batches: 3,
        failed: true,
        finished_at: '2024-09-18T08:00:05.000Z',
      });
    });

    it('refuses a finished manifest without totals, as the SQLite adapter does', () => {
      const manifest = { ...finishedManifest(file, {}), totals: undefined };
      expect(() =>
        manifestStatement(
          TEST_DATASET,
          'gs://x/y#1',
          manifest,
          '2024-09-18T08:00:06.000Z',
        ),
      ).toThrow('The finished manifest of gs://x/y#1 lacks totals');
    });
  });
});
