import {
  ErrorLocation,
  ProfileChange,
  RowErrorCode,
  UnifiedEvent,
} from '@event-pipeline/schema';
import { OwnJson } from './json-writer';

/** Why one source row cannot become a unified event. */
export interface RowProblem {
  ok: false;
  code: RowErrorCode;
  message: string;
}

/**
 * A unified event as a mapper makes it: its event_parameters may be a value
 * that writes its own JSON, straight from the source's bytes.
 */
export type MappedEvent = Omit<UnifiedEvent, 'event_parameters'> & {
  event_parameters: UnifiedEvent['event_parameters'] | OwnJson;
};

/** A source row mapped to its unified event and, when it has one, its profile change. */
export interface MappedRow {
  ok: true;
  event: MappedEvent;
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
