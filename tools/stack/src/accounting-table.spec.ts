import { FileAccountingRow } from '@event-pipeline/schema';
import {
  AccountingTableRow,
  allDone,
  formatAccountingTable,
  toTableRow,
} from './accounting-table';
import { errorLogLocation } from './error-logs';

// 2026-11-26T10:20:31.804Z in microseconds.
const GENERATION = '1795688431804000';
const SOURCE = `gs://event-inbox/exports/a.csv#${GENERATION}`;
const ERRORS = { bucket: 'event-errors', dir: '/data/storage/event-errors' };

const accounting = (
  overrides: Partial<FileAccountingRow> = {},
): FileAccountingRow => ({
  source_file: SOURCE,
  kind: 'adapty',
  status: 'done',
  rows_read: 10,
  rows_loaded: 7,
  duplicates: 1,
  rows_rejected: 0,
  row_errors: 2,
  file_errors: 0,
  profile_changes: 4,
  event_batches: 1,
  profile_change_batches: 1,
  error_batches: 1,
  failed_as_whole: false,
  started_at: '2026-11-26T10:20:32.000Z',
  parsed_at: '2026-11-26T10:20:32.500Z',
  finished_at: '2026-11-26T10:20:33.250Z',
  updated_at: '2026-11-26T10:20:33.250Z',
  ...overrides,
});

const row = (overrides: Partial<FileAccountingRow> | null = {}) =>
  toTableRow(
    { label: 'exports/a.csv', sourceFile: SOURCE },
    overrides && accounting(overrides),
    ERRORS,
  );

describe('errorLogLocation', () => {
  it('puts the logs under the generation date, the object and the generation', () => {
    expect(
      errorLogLocation(
        {
          bucket: 'event-inbox',
          name: 'exports/a.csv',
          generation: GENERATION,
        },
        'event-errors',
        '/data/storage/event-errors',
      ),
    ).toEqual({
      gcs: `gs://event-errors/errors/dt=2026-11-26/exports/a.csv/${GENERATION}/`,
      local: `/data/storage/event-errors/errors/dt=2026-11-26/exports/a.csv/${GENERATION}/`,
    });
  });
});

describe('toTableRow', () => {
  it('takes the counts from the accounting and checks that they balance', () => {
    expect(row()).toMatchObject({
      file: 'exports/a.csv',
      sourceFile: SOURCE,
      kind: 'adapty',
      status: 'done',
      rowsRead: 10,
      loaded: 7,
      duplicates: 1,
      rowErrors: 2,
      fileErrors: 0,
      profileChanges: 4,
      seconds: 1.25,
      balanced: true,
    });
  });

  it('flags a row whose counts do not add up to the rows read', () => {
    expect(row({ rows_read: 11 }).balanced).toBe(false);
  });

  it('does not judge the balance of a file still processing', () => {
    expect(
      row({ status: 'processing', rows_loaded: 3, finished_at: null }),
    ).toMatchObject({ status: 'processing', balanced: null, seconds: null });
  });

  it('shows a file the accounting does not know yet as not started', () => {
    expect(row(null)).toMatchObject({
      status: 'not started',
      kind: null,
      rowsRead: null,
      loaded: null,
      balanced: null,
      seconds: null,
    });
  });

  it('refuses a status it does not know', () => {
    expect(() => row({ status: 'archived' })).toThrow(/Unknown status/);
  });
});

describe('allDone', () => {
  it('is true only when every file is done', () => {
    expect(allDone([row(), row()])).toBe(true);
    expect(allDone([row(), row({ status: 'failed' })])).toBe(false);
    expect(allDone([row(), row({ status: 'processing' })])).toBe(false);
    expect(allDone([row(null)])).toBe(false);
  });
});

describe('formatAccountingTable', () => {
  const clean: AccountingTableRow = {
    ...row({ row_errors: 0, rows_read: 8 }),
    file: 'b.zip',
    kind: 'ga4',
  };

  it('prints one line per file, a total line and the error logs of files with errors', () => {
    const text = formatAccountingTable([row(), clean]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^file\s+kind\s+status\s+rows read\s+loaded\s+duplicates\s+row errors\s+file errors\s+profile changes\s+time\s+balance$/,
    );
    expect(lines[1]).toMatch(
      /^exports\/a\.csv\s+adapty\s+done\s+10\s+7\s+1\s+2\s+0\s+4\s+1\.3 s\s+ok$/,
    );
    expect(lines[2]).toMatch(/^b\.zip\s+ga4\s+done\s+8\s+7\s+1\s+0\s+0\s+4/);
    expect(lines[3]).toMatch(/^total \(2 files\)\s+18\s+14\s+2\s+2\s+0\s+8$/);
    expect(text).toContain(
      `Error logs:\n  exports/a.csv\n    gs://event-errors/errors/dt=2026-11-26/exports/a.csv/${GENERATION}/\n    /data/storage/event-errors/errors/dt=2026-11-26/exports/a.csv/${GENERATION}/`,
    );
    expect(text).not.toContain('  b.zip\n');
  });

  it('right-aligns the counts under their titles', () => {
    const lines = formatAccountingTable([row(), clean]).split('\n');
    const end = lines[0].indexOf('rows read') + 'rows read'.length;
    expect(lines[1].slice(0, end)).toMatch(/ 10$/);
    expect(lines[2].slice(0, end)).toMatch(/ 8$/);
  });

  it('shows a mismatch with the numbers that do not balance', () => {
    expect(formatAccountingTable([row({ rows_read: 11 })])).toContain(
      'MISMATCH: read 11, accounted 10',
    );
  });

  it('shows unknown values as dashes and says when there are no error logs', () => {
    const text = formatAccountingTable([{ ...row(null), file: 'c.csv' }]);
    expect(text.split('\n')[1]).toMatch(
      /^c\.csv\s+-\s+not started\s+-\s+-\s+-\s+-\s+-\s+-\s+-\s+-$/,
    );
    expect(text).toContain('No error logs: no file has row or file errors.');
  });

  it('lists the error logs of a file that failed as a whole', () => {
    const failed = row({
      status: 'failed',
      failed_as_whole: true,
      row_errors: 0,
      rows_read: 8,
    });
    expect(formatAccountingTable([failed])).toContain(
      'Error logs:\n  exports/a.csv',
    );
  });
});
