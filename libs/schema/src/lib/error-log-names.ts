import { SourceFileRef } from './source-file';

/**
 * Names of error logs in the errors bucket:
 * `errors/dt=YYYY-MM-DD/<source object>/<generation>/<log>.ndjson`. Every
 * part comes from the message itself, never from the clock, so a
 * redelivered message overwrites its own log instead of adding another.
 */

const ERRORS_PREFIX = 'errors';

/** Digits of a generation a Date can hold: up to the year 2286 in microseconds. */
const DATED_GENERATION = /^\d{1,16}$/;

/**
 * A Cloud Storage generation is the object's creation time in microseconds.
 * One that is not (a dead letter may carry anything) gets `unknown`: a name
 * must still be made, the same on every redelivery, or the message could
 * never be archived.
 */
const dateOfGeneration = (generation: string): string =>
  DATED_GENERATION.test(generation)
    ? new Date(Number(generation) / 1000).toISOString().slice(0, 10)
    : 'unknown';

/** The folder of one file's error logs, without a trailing slash. */
export const errorLogFolder = (file: SourceFileRef): string =>
  `${ERRORS_PREFIX}/dt=${dateOfGeneration(file.generation)}/${file.name}/${file.generation}`;

const padded = (index: number) => String(index).padStart(6, '0');

/** Error records the file-ingestor found, one log per batch. */
export const errorBatchLogName = (
  file: SourceFileRef,
  batchIndex: number,
): string => `${errorLogFolder(file)}/errors-${padded(batchIndex)}.ndjson`;

/** Rows the warehouse refused from one event batch. */
export const rejectedRowsLogName = (
  file: SourceFileRef,
  batchIndex: number,
): string => `${errorLogFolder(file)}/rejected-${padded(batchIndex)}.ndjson`;

/**
 * A dead-lettered message, under its source file when it names one, else
 * under the date it was first published. `key` identifies the message.
 */
export const deadLetterLogName = (
  subscription: string,
  key: string,
  file: SourceFileRef | undefined,
  publishedAt: Date,
): string =>
  file
    ? `${errorLogFolder(file)}/dead-letters/${subscription}-${key}.ndjson`
    : `${ERRORS_PREFIX}/dt=${publishedAt.toISOString().slice(0, 10)}/_dead-letters/${subscription}/${key}.ndjson`;
