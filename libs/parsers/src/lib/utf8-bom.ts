const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const EMPTY = Buffer.alloc(0);

/**
 * Drops a UTF-8 byte order mark at the start of a byte stream, even when the
 * stream's first chunks are shorter than the mark.
 */
export class Utf8BomStripper {
  private pending: Buffer | null = EMPTY;

  push(chunk: Buffer): Buffer {
    if (this.pending === null) return chunk;
    const head =
      this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (head.length < BOM.length && BOM.subarray(0, head.length).equals(head)) {
      this.pending = head;
      return EMPTY;
    }
    this.pending = null;
    return head.subarray(0, BOM.length).equals(BOM)
      ? head.subarray(BOM.length)
      : head;
  }

  /** What is still held back at the end of input: a lone partial mark. */
  end(): Buffer {
    const rest = this.pending ?? EMPTY;
    this.pending = null;
    return rest;
  }
}
