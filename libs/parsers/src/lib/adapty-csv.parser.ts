import { ErrorCode, FileKind } from '@event-pipeline/schema';
import {
  AdaptyColumns,
  ADAPTY_EVENT_COLUMNS,
  namesAdaptyEventColumn,
  readAdaptyHeader,
} from './adapty-columns';
import { parseAdaptyRows, parseCsvRecord } from './adapty-row-batch';
import { CsvBatchBuilder } from './csv-row-batch';
import { CsvRowSink, CsvRowSplitter, OversizedRow } from './csv-row-splitter';
import { ParseContext } from './parse-options';
import { emptyChunk, ParsedChunk } from './parsed-chunk';
import { addError } from './row-outcome';

const EXPECTED_FORMATS = `expected a ZIP archive (a GA4 export) or a CSV whose header names ${['event_type', 'Event_Name', 'event_name'].join(', ')} (an Adapty export)`;

interface HeaderLine {
  text: string;
  line: number;
}

/** The first row is the header; every later row goes to the batches. */
class HeaderThenRows implements CsvRowSink {
  header: HeaderLine | OversizedRow | null = null;

  constructor(readonly rows: CsvBatchBuilder) {}

  row(
    buf: Buffer,
    start: number,
    end: number,
    breakLength: number,
    line: number,
  ) {
    if (this.header === null) {
      this.header = { text: buf.toString('utf8', start, end), line };
    } else {
      this.rows.row(buf, start, end, breakLength, line);
    }
  }

  oversizedRow(row: OversizedRow) {
    if (this.header === null) this.header = row;
    else this.rows.oversizedRow(row);
  }
}

const fileFailure = (
  context: ParseContext,
  kind: FileKind | null,
  code: ErrorCode,
  message: string,
  raw: string | null,
): ParsedChunk => {
  const chunk = emptyChunk(kind);
  addError(chunk, context.sourceFile, code, {}, message, raw);
  return chunk;
};

/** The header's columns, or the chunk that rejects the file for it. */
const readHeader = (
  header: HeaderLine | OversizedRow,
  context: ParseContext,
): AdaptyColumns | ParsedChunk => {
  if (!('text' in header)) {
    return fileFailure(
      context,
      null,
      'UNKNOWN_FORMAT',
      `${EXPECTED_FORMATS}; found no line break in the first ${header.limit} bytes`,
      header.head.toString('utf8'),
    );
  }
  const fields = parseCsvRecord(header.text);
  if (typeof fields === 'string' || !namesAdaptyEventColumn(fields)) {
    const found =
      typeof fields === 'string'
        ? `a first line that is not valid CSV (${fields})`
        : `a first line with the columns ${fields.join(', ')}`;
    return fileFailure(
      context,
      null,
      'UNKNOWN_FORMAT',
      `${EXPECTED_FORMATS}; found ${found}`,
      header.text,
    );
  }
  const columns = readAdaptyHeader(fields);
  if ('missing' in columns) {
    return fileFailure(
      context,
      'adapty',
      'MISSING_COLUMNS',
      `the Adapty header (line ${header.line}) names ${ADAPTY_EVENT_COLUMNS.join(' or ')} but lacks ${columns.missing.join(', ')}; found the columns ${fields.join(', ')}`,
      header.text,
    );
  }
  return columns;
};

/**
 * An Adapty CSV export, streamed: the row splitter finds rows and their
 * lines, batches of rows go through papaparse and the mapping, one chunk per
 * batch. Reading stops at once when the header is not an Adapty one.
 *
 * The batches are parsed in this thread even when a worker pool is given:
 * handing a mapped row back from a worker costs about as much as mapping it
 * (see the README's figures), so a pool would only burn a second core.
 */
export async function* parseAdaptyCsv(
  chunks: AsyncIterable<Buffer>,
  context: ParseContext,
): AsyncGenerator<ParsedChunk> {
  const sink = new HeaderThenRows(new CsvBatchBuilder(context.chunkRows));
  const splitter = new CsvRowSplitter(sink, context.limits.maxRowBytes);
  let columns: AdaptyColumns | null = null;

  // Returns false when the header rejected the file.
  function* drain(): Generator<ParsedChunk, boolean> {
    if (columns === null) {
      if (sink.header === null) return true;
      const header = readHeader(sink.header, context);
      if (!('names' in header)) {
        yield header;
        return false;
      }
      columns = header;
    }
    for (const batch of sink.rows.take()) {
      yield parseAdaptyRows(batch, columns, context.sourceFile);
    }
    return true;
  }

  for await (const chunk of chunks) {
    splitter.push(chunk);
    if (!(yield* drain())) return;
  }
  splitter.end();
  sink.rows.flush();
  if (!(yield* drain())) return;
  if (columns === null) {
    yield fileFailure(
      context,
      null,
      'EMPTY_FILE',
      `${EXPECTED_FORMATS}; found no data (the file is empty or holds only blank lines)`,
      null,
    );
  }
}
