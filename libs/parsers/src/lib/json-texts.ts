import { JsonWriter } from './json-writer';

/**
 * JSON texts laid end to end in one buffer, separated by commas, so the
 * bytes of texts `i` to `j` are one slice and, between brackets, a JSON
 * array: ready to be glued into a message without being parsed again.
 * Plain typed arrays, so the whole list crosses to another thread by
 * transfer, without a copy.
 */
export interface JsonTexts {
  /** UTF-8. */
  bytes: Uint8Array;
  /** Where each text ends in `bytes`; the next starts after the comma. */
  ends: Uint32Array;
}

export const jsonTextStart = (texts: JsonTexts, i: number): number =>
  i === 0 ? 0 : texts.ends[i - 1] + 1;

/** The values the texts hold. */
export const parseJsonTexts = <T>(texts: JsonTexts): T[] =>
  JSON.parse(
    `[${Buffer.from(texts.bytes.buffer, texts.bytes.byteOffset, texts.bytes.byteLength).toString('utf8')}]`,
  ) as T[];

/** The buffers of some texts, to be moved to another thread rather than copied. */
export const jsonTextsTransfer = (texts: JsonTexts): ArrayBuffer[] => [
  texts.bytes.buffer as ArrayBuffer,
  texts.ends.buffer as ArrayBuffer,
];

/** Appends JSON texts, written straight into one buffer. */
export class JsonTextsBuilder<T> {
  private readonly writer = new JsonWriter();
  private readonly ends: number[] = [];

  constructor(private readonly write: (w: JsonWriter, value: T) => void) {}

  get count(): number {
    return this.ends.length;
  }

  add(value: T): void {
    if (this.ends.length > 0) this.writer.ascii(',');
    this.write(this.writer, value);
    this.ends.push(this.writer.length);
  }

  /** Drops every text after the first `count`. */
  truncate(count: number): void {
    this.ends.length = count;
    this.writer.truncate(count === 0 ? 0 : this.ends[count - 1]);
  }

  finish(): JsonTexts {
    return { bytes: this.writer.finish(), ends: Uint32Array.from(this.ends) };
  }
}
