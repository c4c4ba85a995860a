import { JsonElementSink, OversizedElement } from './json-splitter';

/**
 * JSON elements ready to parse, in one buffer. Self-contained, so it can be
 * parsed in a worker thread as well as here.
 */
export interface JsonElementBatch {
  bytes: Buffer;
  /** Offset in `bytes` where each element ends; the next one starts there. */
  ends: number[];
  /** 0-based index of each element in its entry. */
  indices: number[];
  /** NDJSON line of each element, 0 in an array. */
  lines: number[];
  oversized: OversizedElement[];
}

export const jsonBatchRows = (batch: JsonElementBatch): number =>
  batch.indices.length + batch.oversized.length;

/** Collects elements into batches of at most `maxRows`. */
export class JsonBatchBuilder implements JsonElementSink {
  private readonly ready: JsonElementBatch[] = [];
  private slices: Buffer[] = [];
  private size = 0;
  private ends: number[] = [];
  private indices: number[] = [];
  private lines: number[] = [];
  private oversized: OversizedElement[] = [];

  constructor(private readonly maxRows: number) {}

  element(
    buf: Buffer,
    start: number,
    end: number,
    index: number,
    line: number,
  ): void {
    this.slices.push(buf.subarray(start, end));
    this.size += end - start;
    this.ends.push(this.size);
    this.indices.push(index);
    this.lines.push(line);
    if (this.rows() >= this.maxRows) this.flush();
  }

  oversizedElement(element: OversizedElement): void {
    this.oversized.push(element);
    if (this.rows() >= this.maxRows) this.flush();
  }

  /** Closes the batch in progress, if it has elements. */
  flush(): void {
    if (this.rows() === 0) return;
    this.ready.push({
      bytes: Buffer.concat(this.slices, this.size),
      ends: this.ends,
      indices: this.indices,
      lines: this.lines,
      oversized: this.oversized,
    });
    this.slices = [];
    this.size = 0;
    this.ends = [];
    this.indices = [];
    this.lines = [];
    this.oversized = [];
  }

  /** The batches completed so far, handed over once. */
  take(): JsonElementBatch[] {
    return this.ready.splice(0, this.ready.length);
  }

  private rows(): number {
    return this.indices.length + this.oversized.length;
  }
}
