import { Readable } from 'node:stream';

/** What a file's bytes may arrive as: a Node stream or any async iterable. */
export type ByteInput =
  | AsyncIterable<Uint8Array | string>
  | NodeJS.ReadableStream;

const isAsyncIterable = (
  value: unknown,
): value is AsyncIterable<Uint8Array | string> =>
  typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

const toBuffer = (chunk: Uint8Array | string): Buffer => {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk)
    ? chunk
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
};

/**
 * Streams that predate async iteration (jszip ships readable-stream 2) are
 * wrapped in a core Readable, which pauses the source when its buffer is full.
 */
export const asAsyncIterable = (
  input: ByteInput,
): AsyncIterable<Uint8Array | string> =>
  isAsyncIterable(input)
    ? input
    : new Readable({ highWaterMark: 1 << 20 }).wrap(input);

/**
 * Reads a byte input as Buffers, with a look at the first bytes before the
 * parser that fits them takes the whole stream.
 */
export class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array | string>;
  private readonly buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private done = false;

  constructor(input: ByteInput) {
    this.iterator = asAsyncIterable(input)[Symbol.asyncIterator]();
  }

  /** At least `bytes` bytes from the start, or fewer at the end of input. */
  async peek(bytes: number): Promise<Buffer> {
    while (this.bufferedBytes < bytes && !this.done) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
      } else {
        const chunk = toBuffer(next.value);
        this.buffered.push(chunk);
        this.bufferedBytes += chunk.length;
      }
    }
    return Buffer.concat(this.buffered, this.bufferedBytes);
  }

  /** Every chunk from the start, the peeked ones first. */
  async *chunks(): AsyncGenerator<Buffer> {
    try {
      while (this.buffered.length > 0) {
        const chunk = this.buffered.shift() as Buffer;
        this.bufferedBytes -= chunk.length;
        if (chunk.length > 0) yield chunk;
      }
      while (!this.done) {
        const next = await this.iterator.next();
        if (next.done) {
          this.done = true;
        } else {
          const chunk = toBuffer(next.value);
          if (chunk.length > 0) yield chunk;
        }
      }
    } finally {
      await this.close();
    }
  }

  /** Stops reading, releasing the underlying stream. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.iterator.return?.();
  }
}
