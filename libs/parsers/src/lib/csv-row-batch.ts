import { CsvRowSink, OversizedRow } from './csv-row-splitter';

/**
 * Complete CSV rows ready for papaparse, in one buffer: each row is followed
 * by `newline` except the last. Self-contained, so it can be parsed in a
 * worker thread as well as here.
 */
export interface CsvRowBatch {
  bytes: Buffer;
  newline: '\n' | '\r\n';
  /** The physical line each row starts on (1 = the header). */
  lines: number[];
  /** Offset in `bytes` where each row's content ends. */
  ends: number[];
  oversized: OversizedRow[];
}

export const csvBatchRows = (batch: CsvRowBatch): number =>
  batch.lines.length + batch.oversized.length;

/** Where row `i` of a batch starts. */
export const csvRowStart = (batch: CsvRowBatch, i: number): number =>
  i === 0 ? 0 : batch.ends[i - 1] + batch.newline.length;

/**
 * Collects rows into batches of at most `maxRows`. Rows that sit side by side
 * in the splitter's buffer are kept as one slice and copied once; a batch
 * holds one kind of line break, so papaparse can be told which.
 */
export class CsvBatchBuilder implements CsvRowSink {
  private readonly ready: CsvRowBatch[] = [];
  private slices: Buffer[] = [];
  private sliceOf: Buffer | null = null;
  private sliceStart = 0;
  private sliceEnd = 0;
  private size = 0;
  private breakLength = 0;
  private lines: number[] = [];
  private ends: number[] = [];
  private oversized: OversizedRow[] = [];

  constructor(private readonly maxRows: number) {}

  row(
    buf: Buffer,
    start: number,
    end: number,
    breakLength: number,
    line: number,
  ): void {
    if (
      breakLength !== 0 &&
      this.breakLength !== 0 &&
      breakLength !== this.breakLength
    ) {
      this.flush();
    }
    if (this.sliceOf === buf && this.sliceEnd === start) {
      this.sliceEnd = end + breakLength;
    } else {
      this.closeSlice();
      this.sliceOf = buf;
      this.sliceStart = start;
      this.sliceEnd = end + breakLength;
    }
    this.size += end - start;
    this.ends.push(this.size);
    this.size += breakLength;
    this.lines.push(line);
    if (breakLength !== 0) this.breakLength = breakLength;
    if (this.rows() >= this.maxRows) this.flush();
  }

  oversizedRow(row: OversizedRow): void {
    this.oversized.push(row);
    if (this.rows() >= this.maxRows) this.flush();
  }

  /** Closes the batch in progress, if it has rows. */
  flush(): void {
    if (this.rows() === 0) return;
    this.closeSlice();
    this.ready.push({
      bytes:
        this.slices.length === 1
          ? this.slices[0]
          : Buffer.concat(this.slices, this.size),
      newline: this.breakLength === 2 ? '\r\n' : '\n',
      lines: this.lines,
      ends: this.ends,
      oversized: this.oversized,
    });
    this.slices = [];
    this.size = 0;
    this.breakLength = 0;
    this.lines = [];
    this.ends = [];
    this.oversized = [];
  }

  /** The batches completed so far, handed over once. */
  take(): CsvRowBatch[] {
    return this.ready.splice(0, this.ready.length);
  }

  private rows(): number {
    return this.lines.length + this.oversized.length;
  }

  private closeSlice(): void {
    if (this.sliceOf === null) return;
    this.slices.push(this.sliceOf.subarray(this.sliceStart, this.sliceEnd));
    this.sliceOf = null;
  }
}
