import { ERROR_RAW_MAX_BYTES } from '@event-pipeline/schema';
import { Utf8BomStripper } from './utf8-bom';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const EMPTY = Buffer.alloc(0);

/** A row over the byte limit: counted, its start kept for the record, the rest never held. */
export interface OversizedRow {
  line: number;
  /** Bytes of the row seen (more than the limit). */
  bytes: number;
  /** The limit it broke. */
  limit: number;
  /** The row's first bytes. */
  head: Buffer;
}

/** Receives rows in file order. */
export interface CsvRowSink {
  /**
   * A complete, non-blank row: `buf[start, end)`, followed in the file by a
   * line break of `breakLength` bytes (1 for LF, 2 for CRLF, 0 at the end).
   */
  row(
    buf: Buffer,
    start: number,
    end: number,
    breakLength: number,
    line: number,
  ): void;
  oversizedRow(row: OversizedRow): void;
}

const headOf = (buf: Buffer, start: number, end: number): Buffer =>
  Buffer.from(buf.subarray(start, Math.min(end, start + ERROR_RAW_MAX_BYTES)));

/**
 * Finds CSV row boundaries in a byte stream without decoding it, the way
 * RFC 4180 and papaparse read quotes: a quote opens a quoted field only at
 * the start of a field, `""` inside it is a literal quote, and line breaks
 * inside it belong to the field. Counts physical lines, so every row knows
 * the line it starts on, drops a UTF-8 BOM and blank lines, and never holds
 * more than the row limit plus one chunk:
 * - a row over the limit is skipped to its next line break, whatever the
 *   quotes say, and reported as oversized;
 * - a quoted field still open when the limit or the end of input is reached,
 *   after spanning lines, is taken to be a broken quote: the row ends with
 *   its first line and reading resumes on the next one, so one stray quote
 *   cannot swallow the rest of the file.
 * Both rules look at the bytes only, never at where chunks happen to end.
 */
export class CsvRowSplitter {
  private readonly bom = new Utf8BomStripper();
  /** The row in progress, from its first byte. */
  private carry: Buffer = EMPTY;
  /** Where scanning resumes in `carry`. */
  private resumeAt = 0;
  private quoted = false;
  private fieldStart = true;
  /** The line the row in progress starts on. */
  private line = 1;
  private breaksInRow = 0;
  /** Offset from the row start of its first line break inside quotes, or -1. */
  private firstQuotedBreak = -1;
  private skipping: OversizedRow | null = null;

  constructor(
    private readonly sink: CsvRowSink,
    private readonly maxRowBytes: number,
  ) {}

  push(chunk: Buffer): void {
    this.scan(this.bom.push(chunk), false);
  }

  end(): void {
    this.scan(this.bom.end(), true);
  }

  private scan(chunk: Buffer, final: boolean): void {
    let rest = chunk;
    // The row carried over is finished line by line, so that only those
    // lines, never the whole chunk, are copied behind it.
    while (this.carry.length > 0 && this.skipping === null) {
      const lineBreak = rest.indexOf(LF);
      if (lineBreak < 0) break;
      this.scanPiece(rest.subarray(0, lineBreak + 1), false);
      rest = rest.subarray(lineBreak + 1);
    }
    this.scanPiece(rest, final);
  }

  private scanPiece(piece: Buffer, final: boolean): void {
    let rest: Buffer | null = piece;
    while (rest !== null) rest = this.scanOnce(rest, final);
  }

  /**
   * Scans a chunk; returns bytes still to scan (after a broken quote or the
   * start of a skipped row), else null. Whether a row breaks the limit is
   * decided when the scan gets `window` bytes into it, by the bytes alone, so
   * how the file happens to be cut into chunks never changes the rows.
   */
  private scanOnce(chunk: Buffer, final: boolean): Buffer | null {
    if (this.skipping !== null) {
      chunk = this.skipRow(chunk, final);
      if (this.skipping !== null) return null;
    }
    const buf =
      this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const n = buf.length;
    // Room for a row of the limit and its CRLF.
    const window = this.maxRowBytes + 2;
    let i = this.carry.length === 0 ? 0 : this.resumeAt;
    let rowStart = 0;
    let stop = Math.min(n, window);
    let quoted = this.quoted;
    let fieldStart = this.fieldStart;
    // From quote to quote and line break to line break (memchr), rather
    // than byte by byte: a few jumps per row instead of a look at each byte.
    let nextQuote = buf.indexOf(QUOTE, i);
    let nextBreak = buf.indexOf(LF, i);
    while (i < stop) {
      if (nextQuote !== -1 && nextQuote < i) nextQuote = buf.indexOf(QUOTE, i);
      if (nextBreak !== -1 && nextBreak < i) nextBreak = buf.indexOf(LF, i);
      const quote = nextQuote === -1 || nextQuote >= stop ? stop : nextQuote;
      if (quoted) {
        while (nextBreak !== -1 && nextBreak < quote) {
          if (this.firstQuotedBreak < 0) {
            this.firstQuotedBreak = nextBreak - rowStart;
          }
          this.breaksInRow++;
          nextBreak = buf.indexOf(LF, nextBreak + 1);
        }
        if (quote === stop) {
          i = stop;
          break;
        }
        if (quote + 1 < n) {
          if (buf[quote + 1] === QUOTE) {
            i = quote + 2;
            continue;
          }
        } else if (!final) {
          i = quote;
          break; // the next chunk tells a closing quote from an escaped one
        }
        quoted = false;
        fieldStart = false;
        i = quote + 1;
        continue;
      }
      const lineBreak =
        nextBreak === -1 || nextBreak >= stop ? stop : nextBreak;
      if (quote < lineBreak) {
        // Only at the start of a field does a quote open a quoted one.
        quoted = quote === i ? fieldStart : buf[quote - 1] === COMMA;
        fieldStart = false;
        i = quote + 1;
      } else if (lineBreak === stop) {
        if (stop > i) fieldStart = buf[stop - 1] === COMMA;
        i = stop;
      } else {
        const end =
          lineBreak > rowStart && buf[lineBreak - 1] === CR
            ? lineBreak - 1
            : lineBreak;
        this.emit(buf, rowStart, end, lineBreak + 1 - end);
        rowStart = lineBreak + 1;
        stop = Math.min(n, rowStart + window);
        fieldStart = true;
        i = rowStart;
      }
    }
    this.quoted = quoted;
    this.fieldStart = fieldStart;

    const overLimit = i - rowStart >= window;
    if (quoted && this.firstQuotedBreak >= 0 && (overLimit || final)) {
      return this.cutAtFirstLine(buf, rowStart);
    }
    if (overLimit) {
      this.skipping = {
        line: this.line,
        bytes: i - rowStart,
        limit: this.maxRowBytes,
        head: headOf(buf, rowStart, i),
      };
      this.carry = EMPTY;
      return buf.subarray(i);
    }
    if (final) {
      if (rowStart < n) {
        const end = buf[n - 1] === CR ? n - 1 : n;
        this.emit(buf, rowStart, end, 0);
      }
      this.carry = EMPTY;
      return null;
    }
    this.carry = buf.subarray(rowStart);
    this.resumeAt = i - rowStart;
    return null;
  }

  /** Ends the row in progress with its first line (a broken quote); returns what follows. */
  private cutAtFirstLine(buf: Buffer, rowStart: number): Buffer {
    const lineBreak = rowStart + this.firstQuotedBreak;
    const end =
      lineBreak > rowStart && buf[lineBreak - 1] === CR
        ? lineBreak - 1
        : lineBreak;
    this.breaksInRow = 0;
    this.emit(buf, rowStart, end, lineBreak + 1 - end);
    this.quoted = false;
    this.fieldStart = true;
    this.carry = EMPTY;
    return buf.subarray(lineBreak + 1);
  }

  /** Passes over an oversized row up to its next line break; returns what follows. */
  private skipRow(chunk: Buffer, final: boolean): Buffer {
    const skipped = this.skipping as OversizedRow;
    const lineBreak = chunk.indexOf(LF);
    skipped.bytes += lineBreak < 0 ? chunk.length : lineBreak;
    if (lineBreak < 0 && !final) return EMPTY;
    this.sink.oversizedRow(skipped);
    this.skipping = null;
    this.nextRow();
    return lineBreak < 0 ? EMPTY : chunk.subarray(lineBreak + 1);
  }

  private emit(buf: Buffer, start: number, end: number, breakLength: number) {
    const line = this.line;
    this.nextRow();
    if (end - start > this.maxRowBytes) {
      this.sink.oversizedRow({
        line,
        bytes: end - start,
        limit: this.maxRowBytes,
        head: headOf(buf, start, end),
      });
    } else if (end > start) {
      this.sink.row(buf, start, end, breakLength, line);
    }
  }

  private nextRow(): void {
    this.line += 1 + this.breaksInRow;
    this.breaksInRow = 0;
    this.firstQuotedBreak = -1;
    this.quoted = false;
    this.fieldStart = true;
  }
}
