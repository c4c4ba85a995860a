import {
  FILE_STATUSES,
  FileAccountingRow,
  FileStatus,
  parseSourceFileUri,
} from '@event-pipeline/schema';
import { ErrorLogLocation, errorLogLocation } from './error-logs';

export interface AccountingTableRow {
  /** The local path, as given. */
  file: string;
  /** `gs://bucket/object#generation` */
  sourceFile: string;
  kind: string | null;
  /** `not started`: the file-ingestor has recorded nothing about the file yet. */
  status: FileStatus | 'not started';
  rowsRead: number | null;
  loaded: number | null;
  duplicates: number | null;
  rowErrors: number | null;
  fileErrors: number | null;
  profileChanges: number | null;
  /** From started_at to finished_at. */
  seconds: number | null;
  /**
   * Whether rows read = loaded + duplicates + row errors; null while the
   * file is not finished or its counts are unknown.
   */
  balanced: boolean | null;
  errorLogs: ErrorLogLocation;
}

const statusOf = (
  accounting: FileAccountingRow | null,
): AccountingTableRow['status'] => {
  if (!accounting) return 'not started';
  const { status } = accounting;
  if (!(FILE_STATUSES as readonly string[]).includes(status)) {
    throw new Error(
      `Unknown status ${JSON.stringify(status)} of ${accounting.source_file}`,
    );
  }
  return status as FileStatus;
};

const elapsedSeconds = (from: string | null, to: string | null) => {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? ms / 1000 : null;
};

/** One file's line of the table, from its accounting row (null when there is none yet). */
export const toTableRow = (
  file: { label: string; sourceFile: string },
  accounting: FileAccountingRow | null,
  errors: { bucket: string; dir: string },
): AccountingTableRow => {
  const status = statusOf(accounting);
  const rowsRead = accounting?.rows_read ?? null;
  const loaded = accounting?.rows_loaded ?? null;
  const duplicates = accounting?.duplicates ?? null;
  const rowErrors = accounting?.row_errors ?? null;
  const counted =
    status !== 'processing' &&
    rowsRead !== null &&
    loaded !== null &&
    duplicates !== null &&
    rowErrors !== null;
  return {
    file: file.label,
    sourceFile: file.sourceFile,
    kind: accounting?.kind ?? null,
    status,
    rowsRead,
    loaded,
    duplicates,
    rowErrors,
    fileErrors: accounting?.file_errors ?? null,
    profileChanges: accounting?.profile_changes ?? null,
    seconds: elapsedSeconds(
      accounting?.started_at ?? null,
      accounting?.finished_at ?? null,
    ),
    balanced: counted ? rowsRead === loaded + duplicates + rowErrors : null,
    errorLogs: errorLogLocation(
      parseSourceFileUri(file.sourceFile),
      errors.bucket,
      errors.dir,
    ),
  };
};

/** Every file is done: none failed as a whole, none still unfinished. */
export const allDone = (rows: readonly AccountingTableRow[]): boolean =>
  rows.every((row) => row.status === 'done');

const NUMBER_COLUMNS = [
  ['rows read', 'rowsRead'],
  ['loaded', 'loaded'],
  ['duplicates', 'duplicates'],
  ['row errors', 'rowErrors'],
  ['file errors', 'fileErrors'],
  ['profile changes', 'profileChanges'],
] as const;

const count = (value: number | null) => (value === null ? '-' : String(value));

const balance = (row: AccountingTableRow): string => {
  if (row.balanced === null) return '-';
  if (row.balanced) return 'ok';
  const accounted =
    (row.loaded ?? 0) + (row.duplicates ?? 0) + (row.rowErrors ?? 0);
  return `MISMATCH: read ${row.rowsRead}, accounted ${accounted}`;
};

const sum = (
  rows: readonly AccountingTableRow[],
  key: (typeof NUMBER_COLUMNS)[number][1],
) => rows.reduce((total, row) => total + (row[key] ?? 0), 0);

const hasErrorLogs = (row: AccountingTableRow) =>
  row.status === 'failed' ||
  (row.rowErrors ?? 0) > 0 ||
  (row.fileErrors ?? 0) > 0;

/**
 * The table printed after an ingest: one line per file, a total line,
 * then where the error logs of files with errors are.
 */
export const formatAccountingTable = (
  rows: readonly AccountingTableRow[],
): string => {
  const header = [
    'file',
    'kind',
    'status',
    ...NUMBER_COLUMNS.map(([title]) => title),
    'time',
    'balance',
  ];
  const lines = rows.map((row) => [
    row.file,
    row.kind ?? '-',
    row.status,
    ...NUMBER_COLUMNS.map(([, key]) => count(row[key])),
    row.seconds === null ? '-' : `${row.seconds.toFixed(1)} s`,
    balance(row),
  ]);
  const total = [
    `total (${rows.length} ${rows.length === 1 ? 'file' : 'files'})`,
    '',
    '',
    ...NUMBER_COLUMNS.map(([, key]) => String(sum(rows, key))),
    '',
    '',
  ];
  const table = [header, ...lines, total];
  // Counts and the time, right-aligned.
  const rightAligned = (column: number) =>
    column >= 3 && column <= 3 + NUMBER_COLUMNS.length;
  const widths = header.map((_, column) =>
    Math.max(...table.map((cells) => cells[column].length)),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, column) =>
        rightAligned(column)
          ? cell.padStart(widths[column])
          : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  const withErrors = rows.filter(hasErrorLogs);
  const errorSection = withErrors.length
    ? [
        'Error logs:',
        ...withErrors.flatMap((row) => [
          `  ${row.file}`,
          `    ${row.errorLogs.gcs}`,
          `    ${row.errorLogs.local}`,
        ]),
      ]
    : ['No error logs: no file has row or file errors.'];
  return [...table.map(render), '', ...errorSection].join('\n');
};
