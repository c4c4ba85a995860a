import { integerText } from './integer-text';

/**
 * Buffers of writers that are done, for the next ones of this thread: a
 * chunk's writers grow to about a megabyte, and making them anew for every
 * chunk costs fresh memory each time.
 */
const spare: Buffer[] = [];
const MAX_SPARE = 8;

const EMPTY = Buffer.alloc(0);
const QUOTE = 0x22;
const NULL = Buffer.from('null');
const OPEN = Buffer.from('{');
const COMMA = Buffer.from(',');
const BACKSLASH = 0x5c;
const HEX = '0123456789abcdef';

/** The escapes JSON.stringify writes for control characters that have a short form. */
const SHORT_ESCAPES = new Map([
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [QUOTE, '"'],
  [BACKSLASH, '\\'],
]);

/**
 * A value that writes its own JSON: the JSON that JSON.stringify makes of
 * what `toJSON` returns, written without building that value first.
 */
export abstract class OwnJson {
  abstract toJSON(): unknown;
  abstract writeJson(w: JsonWriter): void;
}

/**
 * Writes JSON as UTF-8 straight into a growing buffer, byte for byte what
 * `Buffer.from(JSON.stringify(value))` gives, in one pass. JSON.stringify
 * builds its text in pieces that must be joined, then encoded, for every
 * event; here a string is escaped and encoded as it is copied, which halves
 * the cost of the JSON of a row.
 */
export class JsonWriter {
  private buf = spare.pop() ?? Buffer.allocUnsafe(1 << 16);
  private size = 0;

  get length(): number {
    return this.size;
  }

  /**
   * Bytes that are already JSON, such as a key with its quotes and colon:
   * copied natively, where a loop over a string's characters costs a few
   * nanoseconds a byte.
   */
  raw(bytes: Uint8Array): void {
    this.room(bytes.length).set(bytes, this.size);
    this.size += bytes.length;
  }

  /** Text that is already JSON and pure ASCII, made on the fly: numbers. */
  ascii(text: string): void {
    const n = text.length;
    const buf = this.room(n);
    let at = this.size;
    for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    this.size = at;
  }

  /** A string as a JSON string literal, after `before` (JSON bytes: a key, a comma). */
  string(text: string, before?: Uint8Array): void {
    if (before !== undefined) this.raw(before);
    const n = text.length;
    // At most 6 bytes (\u00XX, or a lone surrogate) per UTF-16 unit, and the quotes.
    const buf = this.room(n * 6 + 2);
    let at = this.size;
    buf[at++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f && c !== QUOTE && c !== BACKSLASH) {
        buf[at++] = c;
      } else {
        // Kept out of this loop, which most strings never leave.
        at = this.writeRest(buf, at, text, i);
        break;
      }
    }
    buf[at++] = QUOTE;
    this.size = at;
  }

  /**
   * Text of one byte per character (ASCII), given as those bytes from
   * `start` to `end`, as a JSON string literal after `before`. With
   * `quotesDoubled`, each quote of the text stands twice in the bytes, as
   * inside a quoted CSV field. Reading bytes costs less than reading a
   * string's characters, one by one, when the string is a slice of another.
   */
  asciiBytes(
    bytes: Uint8Array,
    start: number,
    end: number,
    quotesDoubled: boolean,
    before: Uint8Array,
  ): void {
    this.raw(before);
    // At most 6 bytes (\u00XX) per byte, and the quotes.
    const buf = this.room((end - start) * 6 + 2);
    let at = this.size;
    buf[at++] = QUOTE;
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) {
        buf[at++] = c;
      } else {
        if (c === QUOTE && quotesDoubled) i++;
        at = writeAsciiEscape(buf, at, c);
      }
    }
    buf[at++] = QUOTE;
    this.size = at;
  }

  /** Any value, as JSON.stringify writes it. */
  value(value: unknown): void {
    if (typeof value === 'string') {
      this.string(value);
    } else if (typeof value === 'number') {
      this.ascii(Number.isFinite(value) ? integerText(value) : 'null');
    } else if (typeof value === 'boolean') {
      this.ascii(value ? 'true' : 'false');
    } else if (value === null) {
      this.raw(NULL);
    } else if (value instanceof OwnJson) {
      value.writeJson(this);
    } else if (
      typeof value === 'object' &&
      !Array.isArray(value) &&
      typeof (value as { toJSON?: unknown }).toJSON !== 'function'
    ) {
      this.object(value as Record<string, unknown>);
    } else {
      // Arrays and the rare rest (toJSON, bigint's TypeError) as JSON.stringify has them.
      this.json(JSON.stringify(value) ?? 'null');
    }
  }

  /** A plain object's own enumerable properties, in order, as JSON.stringify keeps them. */
  object(object: Record<string, unknown>): void {
    let before = OPEN;
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (
        value === undefined ||
        typeof value === 'function' ||
        typeof value === 'symbol'
      ) {
        continue;
      }
      this.string(key, before);
      this.ascii(':');
      this.value(value);
      before = COMMA;
    }
    this.ascii(before === OPEN ? '{}' : '}');
  }

  /** Text that is already JSON, in any characters. */
  json(text: string): void {
    this.room(text.length * 3);
    this.size += this.buf.write(text, this.size);
  }

  /** Forgets everything written after the first `size` bytes. */
  truncate(size: number): void {
    this.size = size;
  }

  /** The bytes written, copied out at their exact size; the writer is done. */
  finish(): Uint8Array {
    const bytes = new Uint8Array(this.buf.subarray(0, this.size));
    if (spare.length < MAX_SPARE) spare.push(this.buf);
    this.buf = EMPTY;
    this.size = 0;
    return bytes;
  }

  private room(bytes: number): Buffer {
    if (this.size + bytes > this.buf.length) {
      const bigger = Buffer.allocUnsafe(
        Math.max(this.size + bytes, this.buf.length * 2),
      );
      this.buf.copy(bigger, 0, 0, this.size);
      this.buf = bigger;
    }
    return this.buf;
  }

  /** Escapes and encodes `text` from `i` on; returns where the bytes end. */
  private writeRest(buf: Buffer, at: number, text: string, i: number): number {
    const n = text.length;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) buf[at++] = c;
        else at = writeAsciiEscape(buf, at, c);
      } else if (c < 0x800) {
        buf[at++] = 0xc0 | (c >> 6);
        buf[at++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[at++] = 0xe0 | (c >> 12);
        buf[at++] = 0x80 | ((c >> 6) & 0x3f);
        buf[at++] = 0x80 | (c & 0x3f);
      } else {
        const low = text.charCodeAt(i + 1);
        if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
          const point = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          buf[at++] = 0xf0 | (point >> 18);
          buf[at++] = 0x80 | ((point >> 12) & 0x3f);
          buf[at++] = 0x80 | ((point >> 6) & 0x3f);
          buf[at++] = 0x80 | (point & 0x3f);
          i++;
        } else {
          // A lone surrogate: JSON.stringify escapes it rather than lose it.
          buf[at++] = BACKSLASH;
          at = writeUnicodeEscape(buf, at, c);
        }
      }
    }
    return at;
  }
}

/** An ASCII character JSON escapes: a quote, a backslash or a control character. */
const writeAsciiEscape = (buf: Buffer, at: number, c: number): number => {
  buf[at++] = BACKSLASH;
  const escape = SHORT_ESCAPES.get(c);
  if (escape === undefined) return writeUnicodeEscape(buf, at, c);
  buf[at++] = escape.charCodeAt(0);
  return at;
};

/** `u` and four hex digits (the backslash is written by the caller). */
const writeUnicodeEscape = (buf: Buffer, at: number, c: number): number => {
  buf[at++] = 0x75;
  buf[at++] = HEX.charCodeAt(c >> 12);
  buf[at++] = HEX.charCodeAt((c >> 8) & 0xf);
  buf[at++] = HEX.charCodeAt((c >> 4) & 0xf);
  buf[at++] = HEX.charCodeAt(c & 0xf);
  return at;
};
