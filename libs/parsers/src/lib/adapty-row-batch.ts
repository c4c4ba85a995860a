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
  const count = batch.lines.length;
  const rowText = (i: number) =>
    batch.bytes.toString('utf8', csvRowStart(batch, i), batch.ends[i]);

  let rows: string[][] | null = null;
  if (count > 0) {
    const text = batch.bytes.toString('utf8', 0, batch.ends[count - 1]);
    const result = Papa.parse<string[]>(text, csvConfig(batch.newline));
    if (result.errors.length === 0 && result.data.length === count) {
      rows = result.data;
    }
  }

  for (let i = 0; i < count; i++) {
    const location = { line: batch.lines[i] };
    const fields = rows === null ? parseCsvRecord(rowText(i)) : rows[i];
    if (typeof fields === 'string') {
      addError(
        chunk,
        sourceFile,
        'MALFORMED_ROW',
        location,
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
        location,
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
        location,
        problem.message,
        rowText(i),
      );
    }
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
