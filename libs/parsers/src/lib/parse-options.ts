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
  /** Worker threads to parse batches on; without, batches are parsed in this thread. */
  pool?: ParserPool;
}

/** The options resolved once per file, as every parser step reads them. */
export interface ParseContext {
  /** gs://bucket/object#generation */
  sourceFile: string;
  limits: ParseLimits;
  chunkRows: number;
  pool: ParserPool | null;
}

export const parseContext = (options: ParseSourceFileOptions): ParseContext => {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) {
    throw new RangeError(
      `chunkRows must be a positive integer, found ${chunkRows}`,
    );
  }
  return {
    sourceFile: sourceFileUri(options.file),
    limits: { ...DEFAULT_PARSE_LIMITS, ...options.limits },
    chunkRows,
    pool: options.pool ?? null,
  };
};
