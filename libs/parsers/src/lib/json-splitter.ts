import { EntryErrorCode, ERROR_RAW_MAX_BYTES } from '@event-pipeline/schema';
import { Utf8BomStripper } from './utf8-bom';

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Byte classes outside strings: what the array scanner stops at. */
const PLAIN = 0;
const STRING_START = 1;
const OPEN = 2;
const CLOSE = 3;
const STRUCTURE = new Uint8Array(256);
STRUCTURE[QUOTE] = STRING_START;
STRUCTURE[OPEN_OBJECT] = OPEN;
STRUCTURE[OPEN_ARRAY] = OPEN;
STRUCTURE[CLOSE_OBJECT] = CLOSE;
STRUCTURE[CLOSE_ARRAY] = CLOSE;

const WHITESPACE = new Uint8Array(256);
for (const b of [0x20, 0x09, 0x0a, 0x0d]) WHITESPACE[b] = 1;

/** Bytes that end a bare scalar element (a number, true, false, null) in an array. */
const SCALAR_END = new Uint8Array(WHITESPACE);
SCALAR_END[COMMA] = 1;
SCALAR_END[CLOSE_ARRAY] = 1;

const EMPTY = Buffer.alloc(0);

/** An element over the byte limit: counted, its start kept for the record, the rest never held. */
export interface OversizedElement {
  index: number;
  /** NDJSON line, 0 in an array. */
  line: number;
  bytes: number;
  limit: number;
  head: Buffer;
}

/** A problem with the entry's structure rather than with one element. */
export interface JsonStructureProblem {
  code: Extract<EntryErrorCode, 'TRUNCATED_JSON' | 'MALFORMED_JSON'>;
  /** The element the problem stands at. */
  index: number;
  line: number;
  message: string;
}

/** Receives elements in entry order. */
export interface JsonElementSink {
  /** One element's bytes, `buf[start, end)`; `line` is its NDJSON line, 0 in an array. */
  element(
    buf: Buffer,
    start: number,
    end: number,
    index: number,
    line: number,
  ): void;
  oversizedElement(element: OversizedElement): void;
}

type Mode = 'unknown' | 'array' | 'ndjson';
type ArrayPhase = 'open' | 'between' | 'element' | 'closed' | 'ignored';

/**
 * Splits a stream of JSON bytes into elements without parsing them: either
 * one top-level array (pretty-printed or not) or newline-delimited JSON, told
 * apart by the first non-blank byte (`[` means an array). It works on bytes,
 * so a multi-byte character split between chunks needs no care (no byte of
 * one equals an ASCII delimiter); it tracks strings and escapes, so brackets
 * and quotes inside strings are data; and it runs tight loops over lookup
 * tables rather than decoding anything. An element over the limit is skipped
 * to its end, never held whole. Each element is parsed later, on its own.
 */
export class JsonSplitter {
  private readonly bom = new Utf8BomStripper();
  private mode: Mode = 'unknown';
  private phase: ArrayPhase = 'open';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;
  /** Bytes of the element in progress from earlier chunks (not kept once skipping). */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private skipping: OversizedElement | null = null;
  private index = 0;
  /** NDJSON: the physical line being read. */
  private line = 1;
  private readonly problems: JsonStructureProblem[] = [];

  constructor(
    private readonly sink: JsonElementSink,
    private readonly maxElementBytes: number,
  ) {}

  /** Index of the element being read, or of the next one. */
  get elementIndex(): number {
    return this.index;
  }

  /** NDJSON: the line being read; 0 for an array. */
  get elementLine(): number {
    return this.mode === 'ndjson' ? this.line : 0;
  }

  push(chunk: Buffer): void {
    this.scan(this.bom.push(chunk));
  }

  end(): void {
    this.scan(this.bom.end());
    if (this.mode === 'ndjson') {
      this.endLine(EMPTY, 0, 0);
    } else if (this.mode === 'array') {
      this.endArray();
    }
  }

  /** Structure problems found so far, handed over once. */
  takeProblems(): JsonStructureProblem[] {
    return this.problems.splice(0, this.problems.length);
  }

  private scan(buf: Buffer): void {
    let from = 0;
    if (this.mode === 'unknown') {
      from = this.findStart(buf);
      if (this.mode === 'unknown') return;
    }
    if (this.mode === 'array') this.scanArray(buf, from);
    else this.scanLines(buf, from);
  }

  /** Skips leading blanks, counting lines, and picks the mode at the first other byte. */
  private findStart(buf: Buffer): number {
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === LF) this.line++;
      else if (WHITESPACE[b] === 0) {
        this.mode = b === OPEN_ARRAY ? 'array' : 'ndjson';
        return i;
      }
    }
    return buf.length;
  }

  private scanArray(buf: Buffer, from: number): void {
    const n = buf.length;
    let i = from;
    let start = this.phase === 'element' ? 0 : -1;
    while (i < n) {
      switch (this.phase) {
        case 'open':
          this.phase = 'between'; // the `[` found by findStart
          i++;
          break;
        case 'between': {
          let b = buf[i];
          while ((WHITESPACE[b] === 1 || b === COMMA) && ++i < n) b = buf[i];
          if (i === n) break;
          if (b === CLOSE_ARRAY) {
            this.phase = 'closed';
            i++;
            break;
          }
          start = i;
          this.phase = 'element';
          this.depth = 0;
          // A stray `}` is read like a bare word, so it cannot drive the depth below zero.
          this.scalar = STRUCTURE[b] === PLAIN || b === CLOSE_OBJECT;
          break;
        }
        case 'element':
          i = this.scalar
            ? this.scanScalar(buf, i, start)
            : this.scanNested(buf, i, start);
          if (this.phase === 'element') return this.holdPart(buf, start);
          break;
        case 'closed':
          while (i < n && WHITESPACE[buf[i]] === 1) i++;
          if (i < n) {
            this.problems.push({
              code: 'MALFORMED_JSON',
              index: this.index,
              line: 0,
              message: `expected nothing after the closing ] of the JSON array, found ${JSON.stringify(buf.toString('utf8', i, Math.min(n, i + 40)))}`,
            });
            this.phase = 'ignored';
          }
          return;
        case 'ignored':
          return;
      }
    }
  }

  /** Scans an object, array or string element; returns where it stopped. */
  private scanNested(buf: Buffer, from: number, start: number): number {
    const n = buf.length;
    let i = from;
    if (this.escaped) {
      // The byte after a backslash that ended the previous chunk.
      this.escaped = false;
      i++;
    }
    let depth = this.depth;
    let inString = this.inString;
    while (i < n) {
      if (inString) {
        let b = 0;
        while (i < n) {
          b = buf[i];
          if (b === QUOTE || b === BACKSLASH) break;
          i++;
        }
        if (i === n) break;
        if (b === BACKSLASH) {
          if (i + 1 < n) {
            i += 2;
            continue;
          }
          this.escaped = true;
          i = n;
          break;
        }
        inString = false;
        i++;
        if (depth === 0) {
          this.completeElement(buf, start, i, 0);
          break;
        }
        continue;
      }
      const kind = STRUCTURE[buf[i++]];
      if (kind === PLAIN) continue;
      if (kind === STRING_START) inString = true;
      else if (kind === OPEN) depth++;
      else if (--depth === 0) {
        this.completeElement(buf, start, i, 0);
        break;
      }
    }
    this.depth = depth;
    this.inString = inString;
    return i;
  }

  private scanScalar(buf: Buffer, from: number, start: number): number {
    let i = from;
    while (i < buf.length && SCALAR_END[buf[i]] === 0) i++;
    if (i < buf.length) this.completeElement(buf, start, i, 0);
    return i;
  }

  private scanLines(buf: Buffer, from: number): void {
    let i = from;
    while (i < buf.length) {
      const lineBreak = buf.indexOf(LF, i);
      if (lineBreak < 0) return this.holdPart(buf, i);
      this.endLine(buf, i, lineBreak);
      this.line++;
      i = lineBreak + 1;
    }
  }

  /** Ends an NDJSON line: an element unless blank. */
  private endLine(buf: Buffer, start: number, end: number): void {
    if (this.skipping === null && this.partsBytes === 0) {
      let i = start;
      while (i < end && WHITESPACE[buf[i]] === 1) i++;
      if (i === end) return;
    } else if (this.skipping === null) {
      const whole = Buffer.concat([...this.parts, buf.subarray(start, end)]);
      this.parts = [];
      this.partsBytes = 0;
      if (whole.every((b) => WHITESPACE[b] === 1)) return;
      return this.completeElement(whole, 0, whole.length, this.line);
    }
    this.completeElement(buf, start, end, this.line);
  }

  /** Keeps the unfinished element's bytes for the next chunk, or starts skipping it. */
  private holdPart(buf: Buffer, start: number): void {
    const part = buf.subarray(start);
    const size = this.partsBytes + part.length;
    if (this.skipping !== null) {
      this.skipping.bytes = size;
    } else if (size > this.maxElementBytes) {
      const head = Buffer.concat([...this.parts, part]).subarray(
        0,
        ERROR_RAW_MAX_BYTES,
      );
      this.skipping = {
        index: this.index,
        line: this.elementLine,
        bytes: size,
        limit: this.maxElementBytes,
        head: Buffer.from(head),
      };
      this.parts = [];
    } else {
      this.parts.push(part);
    }
    this.partsBytes = size;
  }

  private completeElement(
    buf: Buffer,
    start: number,
    end: number,
    line: number,
  ): void {
    const index = this.index++;
    const size = this.partsBytes + end - start;
    if (this.mode === 'array') this.phase = 'between';
    if (this.skipping !== null) {
      this.skipping.bytes = size;
      this.sink.oversizedElement(this.skipping);
      this.skipping = null;
    } else if (size > this.maxElementBytes) {
      this.sink.oversizedElement({
        index,
        line,
        bytes: size,
        limit: this.maxElementBytes,
        head: Buffer.from(
          Buffer.concat([...this.parts, buf.subarray(start, end)]).subarray(
            0,
            ERROR_RAW_MAX_BYTES,
          ),
        ),
      });
    } else if (this.parts.length > 0) {
      const whole = Buffer.concat([...this.parts, buf.subarray(start, end)]);
      this.sink.element(whole, 0, whole.length, index, line);
    } else {
      this.sink.element(buf, start, end, index, line);
    }
    this.parts = [];
    this.partsBytes = 0;
  }

  private endArray(): void {
    if (this.phase === 'closed' || this.phase === 'ignored') return;
    const inElement = this.phase === 'element';
    if (inElement && this.scalar && this.skipping === null) {
      // A bare scalar may end with the input; the missing `]` is still reported.
      const whole = Buffer.concat(this.parts);
      this.parts = [];
      this.partsBytes = 0;
      this.completeElement(whole, 0, whole.length, 0);
    }
    this.problems.push({
      code: 'TRUNCATED_JSON',
      index: this.index,
      line: 0,
      message:
        inElement && !this.scalar
          ? `the entry ends inside element ${this.index}: expected the rest of the element and the closing ] of the array; the JSON is cut short`
          : `the entry ends before the closing ] of the JSON array; the JSON is cut short`,
    });
    this.skipping = null;
  }
}
