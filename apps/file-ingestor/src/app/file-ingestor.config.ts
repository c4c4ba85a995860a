import {
  DEFAULT_PARSE_LIMITS,
  integerFromEnv,
  MAX_EVENTS_PER_BATCH,
  ParseLimits,
} from '@event-pipeline/schema';
import { DEFAULT_FILE_OUTPUT_LIMITS, FileOutputLimits } from './file-outputs';

export interface FileIngestorConfig {
  limits: ParseLimits;
  outputs: FileOutputLimits;
  /** Worker threads that parse; 0 parses on the main thread. */
  parserWorkers: number;
  /** Publishes awaiting Pub/Sub's acceptance at once, in messages and bytes. */
  maxPublishesInFlight: number;
  maxPublishBytesInFlight: number;
}

export const FILE_INGESTOR_CONFIG = Symbol('FILE_INGESTOR_CONFIG');

type Env = Readonly<Record<string, string | undefined>>;

const wholeNumber = (
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number =>
  integerFromEnv(env, name, fallback, {
    min,
    max,
    takes: `an integer from ${min} to ${max}`,
  });

/**
 * Read once at start-up; a bad value stops the service naming the variable.
 * Each limit on hostile input has its own variable.
 */
export const readFileIngestorConfig = (
  env: Env = process.env,
): FileIngestorConfig => ({
  limits: {
    maxEntryBytes: wholeNumber(
      env,
      'MAX_ENTRY_BYTES',
      DEFAULT_PARSE_LIMITS.maxEntryBytes,
      1,
    ),
    maxCompressionRatio: wholeNumber(
      env,
      'MAX_COMPRESSION_RATIO',
      DEFAULT_PARSE_LIMITS.maxCompressionRatio,
      1,
    ),
    maxElementBytes: wholeNumber(
      env,
      'MAX_ELEMENT_BYTES',
      DEFAULT_PARSE_LIMITS.maxElementBytes,
      1,
    ),
    maxRowBytes: wholeNumber(
      env,
      'MAX_ROW_BYTES',
      DEFAULT_PARSE_LIMITS.maxRowBytes,
      1,
    ),
    maxArchiveBytes: wholeNumber(
      env,
      'MAX_ARCHIVE_BYTES',
      DEFAULT_PARSE_LIMITS.maxArchiveBytes,
      1,
    ),
  },
  outputs: {
    ...DEFAULT_FILE_OUTPUT_LIMITS,
    eventsPerBatch: wholeNumber(
      env,
      'EVENTS_PER_BATCH',
      DEFAULT_FILE_OUTPUT_LIMITS.eventsPerBatch,
      1,
      MAX_EVENTS_PER_BATCH,
    ),
  },
  // The main thread by default: the file-ingestor shares its cores with the
  // writers (locally) or has one of its own (Cloud Run), and a worker there
  // measured slower end to end, for 60 to 90 MB more memory.
  parserWorkers: wholeNumber(env, 'PARSER_WORKERS', 0, 0),
  // Enough to keep Pub/Sub's batching full; more only holds memory.
  maxPublishesInFlight: wholeNumber(env, 'MAX_PUBLISHES_IN_FLIGHT', 32, 1),
  maxPublishBytesInFlight: wholeNumber(
    env,
    'MAX_PUBLISH_BYTES_IN_FLIGHT',
    16 * 1024 * 1024,
    1,
  ),
});
