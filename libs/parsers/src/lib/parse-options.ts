import {
  DEFAULT_PARSE_LIMITS,
  ParseLimits,
  SourceFileRef,
  sourceFileUri,
} from '@event-pipeline/schema';
import { ParsedChunk } from './parsed-chunk';
import { ParserPool } from './parser-pool';
import { ParseTask, runParseTask } from './parse-task';

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
  runTask: (task: ParseTask) => Promise<ParsedChunk>;
  /** Tasks allowed to run at once: enough to keep every worker busy. */
  inFlight: number;
}

export const parseContext = (options: ParseSourceFileOptions): ParseContext => {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) {
    throw new RangeError(
      `chunkRows must be a positive integer, found ${chunkRows}`,
    );
  }
  const { pool } = options;
  return {
    sourceFile: sourceFileUri(options.file),
    limits: { ...DEFAULT_PARSE_LIMITS, ...options.limits },
    chunkRows,
    runTask: pool
      ? (task) => pool.run(task)
      : async (task) => runParseTask(task),
    inFlight: pool ? pool.size * 2 : 1,
  };
};
