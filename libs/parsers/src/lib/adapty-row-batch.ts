import { isAscii } from 'node:buffer';
import Papa from 'papaparse';
import { AdaptyColumns } from './adapty-columns';
import { mapAdaptyRow } from './adapty-event.mapper';
import { ChunkBuilder } from './chunk-builder';
import { csvBatchRows, CsvRowBatch, csvRowStart } from './csv-row-batch';
import { ParsedChunk } from './parsed-chunk';

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
 * Rows given to papaparse at once: its set-up is paid once per many rows,
 * and a row papaparse finds wrong sends no more than these back to be
 * parsed one by one.
 */
const PAPAPARSE_ROWS = 250;

const rowText = (batch: CsvRowBatch, i: number): string =>
  batch.bytes.toString('utf8', csvRowStart(batch, i), batch.ends[i]);

/**
 * Row `i` of a batch, as papaparse split it (or what it found wrong), into
 * the chunk. `asciiBytes` is the batch's bytes when the row is known to be
 * ASCII, null otherwise.
 */
const addRow = (
  chunk: ChunkBuilder,
  batch: CsvRowBatch,
  i: number,
  fields: string[] | string,
  asciiBytes: Buffer | null,
  columns: AdaptyColumns,
  sourceFile: string,
): void => {
  if (typeof fields === 'string') {
    chunk.addError(
      'MALFORMED_ROW',
      { line: batch.lines[i] },
      `the row is not valid CSV: ${fields}`,
      rowText(batch, i),
    );
  } else if (fields.length !== columns.count) {
    chunk.addError(
      'MALFORMED_ROW',
      { line: batch.lines[i] },
      `expected ${columns.count} fields as in the header, found ${fields.length}`,
      rowText(batch, i),
    );
  } else {
    const row = {
      bytes: asciiBytes,
      start: csvRowStart(batch, i),
      end: batch.ends[i],
    };
    const problem = chunk.addRow(
      mapAdaptyRow(fields, row, columns, sourceFile),
    );
    if (problem !== null) {
      chunk.addError(
        problem.code,
        { line: batch.lines[i] },
        problem.message,
        rowText(batch, i),
      );
    }
  }
};

/**
 * Rows `from` to `to` through papaparse, each mapped as papaparse hands it
 * over (its `step`): the fields of a row die before the next is split, where
 * a whole batch of them would outlive the young generation and lead V8 to
 * allocate papaparse's rows straight in the old one, which costs three times
 * the parsing. Returns false, having stopped, when papaparse finds a problem
 * or its rows do not line up with the splitter's.
 */
const mapParsedRows = (
  chunk: ChunkBuilder,
  batch: CsvRowBatch,
  from: number,
  to: number,
  columns: AdaptyColumns,
  sourceFile: string,
): boolean => {
  let i = from;
  let aligned = true;
  const rows = batch.bytes.subarray(
    csvRowStart(batch, from),
    batch.ends[to - 1],
  );
  const asciiBytes = isAscii(rows) ? batch.bytes : null;
  Papa.parse<string[]>(rows.toString('utf8'), {
    ...csvConfig(batch.newline),
    step: (result, parser) => {
      if (result.errors.length > 0 || i === to) {
        aligned = false;
        parser.abort();
      } else {
        addRow(chunk, batch, i++, result.data, asciiBytes, columns, sourceFile);
      }
    },
  });
  return aligned && i === to;
};

/**
 * Parses a batch of complete rows with papaparse and maps each to a unified
 * event or a row error record. Rows go through papaparse a few hundred at
 * once; only when papaparse reports a problem, or the rows it returns do not
 * line up with the rows the splitter found, are those rows parsed again one
 * by one, so the problem is pinned on its own line.
 */
export const parseAdaptyRows = (
  batch: CsvRowBatch,
  columns: AdaptyColumns,
  sourceFile: string,
): ParsedChunk => {
  const chunk = new ChunkBuilder('adapty', sourceFile);
  chunk.rowsRead = csvBatchRows(batch);
  for (let from = 0; from < batch.lines.length; from += PAPAPARSE_ROWS) {
    const to = Math.min(batch.lines.length, from + PAPAPARSE_ROWS);
    const mark = chunk.mark();
    if (!mapParsedRows(chunk, batch, from, to, columns, sourceFile)) {
      chunk.rollback(mark);
      for (let i = from; i < to; i++) {
        const fields = parseCsvRecord(rowText(batch, i));
        addRow(chunk, batch, i, fields, null, columns, sourceFile);
      }
    }
  }
  for (const row of batch.oversized) {
    chunk.addError(
      'ROW_TOO_LARGE',
      { line: row.line },
      `expected a row of at most ${row.limit} bytes (maxRowBytes), found at least ${row.bytes}; the row was skipped unread`,
      row.head.toString('utf8'),
    );
  }
  return chunk.finish();
};
