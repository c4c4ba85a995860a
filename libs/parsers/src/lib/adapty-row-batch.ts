import Papa from 'papaparse';
import { AdaptyColumns } from './adapty-columns';
import { mapAdaptyRow } from './adapty-event.mapper';
import { csvBatchRows, CsvRowBatch, csvRowStart } from './csv-row-batch';
import { emptyChunk, ParsedChunk } from './parsed-chunk';
import { acceptRow, addError } from './row-outcome';

/** papaparse settings: everything fixed, so nothing is guessed per batch. */
const csvConfig = (newline: '\n' | '\r\n') => ({
  delimiter: ',',
  newline,
  quoteChar: '"',
  escapeChar: '"',
  header: false,
  dynamicTyping: false,
  skipEmptyLines: false,
});

/** Fields of one CSV record, or what papaparse found wrong with it. */
export const parseCsvRecord = (text: string): string[] | string => {
  const result = Papa.parse<string[]>(text, csvConfig('\n'));
  if (result.errors.length > 0) {
    return result.errors.map((error) => error.message).join('; ');
  }
  return result.data.length === 1
    ? result.data[0]
    : `the row holds ${result.data.length} records`;
};

/**
 * Rows given to papaparse at once: enough to pay its set-up once per many
 * rows, few enough that their fields die young (a whole chunk's worth would
 * outlive the young generation and cost the garbage collector dearly).
 */
const PAPAPARSE_ROWS = 250;

/** Rows `from` to `to` of a batch through papaparse and the mapping, into the chunk. */
const mapRows = (
  chunk: ParsedChunk,
  batch: CsvRowBatch,
  from: number,
  to: number,
  columns: AdaptyColumns,
  sourceFile: string,
): void => {
  const rowText = (i: number) =>
    batch.bytes.toString('utf8', csvRowStart(batch, i), batch.ends[i]);
  const text = batch.bytes.toString(
    'utf8',
    csvRowStart(batch, from),
    batch.ends[to - 1],
  );
  const result = Papa.parse<string[]>(text, csvConfig(batch.newline));
  const rows =
    result.errors.length === 0 && result.data.length === to - from
      ? result.data
      : null;

  for (let i = from; i < to; i++) {
    const fields = rows === null ? parseCsvRecord(rowText(i)) : rows[i - from];
    if (typeof fields === 'string') {
      addError(
        chunk,
        sourceFile,
        'MALFORMED_ROW',
        { line: batch.lines[i] },
        `the row is not valid CSV: ${fields}`,
        rowText(i),
      );
      continue;
    }
    if (fields.length !== columns.count) {
      addError(
        chunk,
        sourceFile,
        'MALFORMED_ROW',
        { line: batch.lines[i] },
        `expected ${columns.count} fields as in the header, found ${fields.length}`,
        rowText(i),
      );
      continue;
    }
    const problem = acceptRow(chunk, mapAdaptyRow(fields, columns, sourceFile));
    if (problem !== null) {
      addError(
        chunk,
        sourceFile,
        problem.code,
        { line: batch.lines[i] },
        problem.message,
        rowText(i),
      );
    }
  }
};

/**
 * Parses a batch of complete rows with papaparse and maps each to a unified
 * event or a row error record. The whole batch goes through papaparse at once;
 * only when papaparse reports a problem, or the rows it returns do not line up
 * with the rows the splitter found, is each row parsed alone, so the problem is
 * pinned on its own line.
 */
export const parseAdaptyRows = (
  batch: CsvRowBatch,
  columns: AdaptyColumns,
  sourceFile: string,
): ParsedChunk => {
  const chunk = emptyChunk('adapty');
  chunk.rowsRead = csvBatchRows(batch);
  for (let from = 0; from < batch.lines.length; from += PAPAPARSE_ROWS) {
    const to = Math.min(batch.lines.length, from + PAPAPARSE_ROWS);
    mapRows(chunk, batch, from, to, columns, sourceFile);
  }
  for (const row of batch.oversized) {
    addError(
      chunk,
      sourceFile,
      'ROW_TOO_LARGE',
      { line: row.line },
      `expected a row of at most ${row.limit} bytes (maxRowBytes), found at least ${row.bytes}; the row was skipped unread`,
      row.head.toString('utf8'),
    );
  }
  return chunk;
};
