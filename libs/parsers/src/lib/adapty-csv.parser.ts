import { ErrorCode, FileKind } from '@event-pipeline/schema';
import {
  AdaptyColumns,
  ADAPTY_EVENT_COLUMNS,
  namesAdaptyEventColumn,
  readAdaptyHeader,
} from './adapty-columns';
import { parseCsvRecord } from './adapty-row-batch';
import { ChunkBuilder } from './chunk-builder';
import { CsvBatchBuilder } from './csv-row-batch';
import { CsvRowSink, CsvRowSplitter, OversizedRow } from './csv-row-splitter';
import { ParseContext } from './parse-options';
import { ParsedChunk } from './parsed-chunk';
import { TaskQueue } from './task-queue';

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
  const chunk = new ChunkBuilder(kind, context.sourceFile);
  chunk.addError(code, {}, message, raw);
  return chunk.finish();
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
 * lines here; batches of rows go through papaparse, the mapping and the
 * JSON on the pool's workers (or here, when they are busy or there is no
 * pool), one chunk per batch. Reading stops at once when the header is not
 * an Adapty one.
 */
export async function* parseAdaptyCsv(
  chunks: AsyncIterable<Buffer>,
  context: ParseContext,
): AsyncGenerator<ParsedChunk> {
  const sink = new HeaderThenRows(new CsvBatchBuilder(context.chunkRows));
  const splitter = new CsvRowSplitter(sink, context.limits.maxRowBytes);
  const tasks = new TaskQueue(context);
  const { sourceFile } = context;
  let columns: AdaptyColumns | null = null;

  // Returns false when the header rejected the file.
  function* startBatches(): Generator<ParsedChunk, boolean> {
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
      tasks.add({ kind: 'adapty', batch, columns, sourceFile });
    }
    return true;
  }

  for await (const chunk of chunks) {
    splitter.push(chunk);
    if (!(yield* startBatches())) return;
    yield* tasks.take();
  }
  splitter.end();
  sink.rows.flush();
  if (!(yield* startBatches())) return;
  yield* tasks.take(true);
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
