import {
  ErrorCode,
  ErrorLocation,
  errorRecord,
  ProfileChange,
  RowErrorCode,
  UnifiedEvent,
  checkUnifiedEvent,
} from '@event-pipeline/schema';
import { ParsedChunk } from './parsed-chunk';

/** Why one source row cannot become a unified event. */
export interface RowProblem {
  ok: false;
  code: RowErrorCode;
  message: string;
}

/** A source row mapped to its unified event and, when it has one, its profile change. */
export interface MappedRow {
  ok: true;
  event: UnifiedEvent;
  profileChange: ProfileChange | null;
}

export type RowOutcome = MappedRow | RowProblem;

export const rowProblem = (
  code: RowErrorCode,
  message: string,
): RowProblem => ({
  ok: false,
  code,
  message,
});

/** "line 12", "entry a.json, element 5 (line 7)": where a record points, for people. */
export const describeLocation = ({ line, entry, index }: ErrorLocation) => {
  if (entry === undefined) return line === undefined ? 'file' : `line ${line}`;
  const element = index === undefined ? '' : `, element ${index}`;
  const at = line === undefined ? '' : ` (line ${line})`;
  return `entry ${entry}${element}${at}`;
};

/** Appends error records to a chunk, each message prefixed with where it points. */
export const addError = (
  chunk: ParsedChunk,
  sourceFile: string,
  code: ErrorCode,
  location: ErrorLocation,
  message: string,
  raw: string | null = null,
): void => {
  chunk.errors.push(
    errorRecord({
      source_file: sourceFile,
      location,
      code,
      message: `${describeLocation(location)}: ${message}`,
      raw,
    }),
  );
};

/**
 * Adds a mapped row to its chunk after the compiled row check, the cheap
 * safety net between the mappers and the warehouse. Returns the problem when
 * the row did not become an event; the caller records it with the raw text.
 */
export const acceptRow = (
  chunk: ParsedChunk,
  outcome: RowOutcome,
): RowProblem | null => {
  if (!outcome.ok) return outcome;
  const problem = checkUnifiedEvent(outcome.event);
  if (problem !== null) return rowProblem('INVALID_FIELD', problem);
  chunk.events.push(outcome.event);
  if (outcome.profileChange !== null) {
    chunk.profileChanges.push(outcome.profileChange);
  }
  return null;
};
