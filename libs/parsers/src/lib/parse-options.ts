import {
  DEFAULT_PARSE_LIMITS,
  ParseLimits,
  SourceFileRef,
  sourceFileUri,
} from '@event-pipeline/schema';
import { ParserPool } from './parser-pool';

/** Rows per chunk: the most events one unified-events batch may carry. */
export const DEFAULT_CHUNK_ROWS = 1000;

export interface ParseSourceFileOptions {
  file: SourceFileRef;
  limits?: Partial<ParseLimits>;
  /** Rows (CSV data rows or JSON elements) per chunk at most. */
  chunkRows?: number;
  /** Worker threads to share the parsing of GA4 entries and Adapty CSV rows with; without, all of it is done in this thread. */
  pool?: ParserPool;
  /**
   * The file's size in bytes when known (a Cloud Storage object's `size`):
   * a ZIP, which is held whole, is then read into one buffer of that size
   * rather than gathered and copied, halving its peak memory.
   */
  size?: number;
}

/** The options resolved once per file, as every parser step reads them. */
export interface ParseContext {
  /** gs://bucket/object#generation */
  sourceFile: string;
  limits: ParseLimits;
  chunkRows: number;
  pool: ParserPool | null;
  size: number | null;
}

export const parseContext = (options: ParseSourceFileOptions): ParseContext => {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) {
    throw new RangeError(
      `chunkRows must be a positive integer, found ${chunkRows}`,
    );
  }
  if (
    options.size !== undefined &&
    !(Number.isSafeInteger(options.size) && options.size >= 0)
  ) {
    throw new RangeError(
      `size must be a whole number of bytes, found ${options.size}`,
    );
  }
  return {
    sourceFile: sourceFileUri(options.file),
    limits: { ...DEFAULT_PARSE_LIMITS, ...options.limits },
    chunkRows,
    pool: options.pool ?? null,
    size: options.size ?? null,
  };
};
