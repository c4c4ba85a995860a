import {
  FileKind,
  PROFILE_FILLED_EVENT_COLUMNS,
  PROFILE_VALUES_ON_EVENTS,
  ProfileRow,
  UNIFIED_EVENT_COLUMNS,
  UnifiedEvent,
  UnifiedEventRow,
} from '@event-pipeline/schema';

type ProfileValueName = (typeof PROFILE_VALUES_ON_EVENTS)[number];

/** The profile values the data contract copies onto a user's events. */
export type ProfileValuesOnEvents = Pick<ProfileRow, ProfileValueName>;

/** Rows of this source take the attributes from the profile; GA4 rows keep their own. */
export const PROFILE_FILLED_SOURCE: FileKind = 'adapty';

const filledOnSource = new Set<string>(PROFILE_FILLED_EVENT_COLUMNS);

/** Profile values copied onto every row of the user, whatever its source (the state). */
export const FILLED_ON_EVERY_ROW = PROFILE_VALUES_ON_EVENTS.filter(
  (name) => !filledOnSource.has(name),
);

const isProfileValue = (name: string): name is ProfileValueName =>
  (PROFILE_VALUES_ON_EVENTS as readonly string[]).includes(name);

/** The value of one unified_events column, from the event, the user's profile or the write time. */
export type UnifiedEventColumnValue = (
  event: UnifiedEvent,
  profile: ProfileValuesOnEvents | undefined,
  ingestedAt: string,
) => unknown;

/** Where a column of a new unified_events row comes from: the event, the profile, or the clock. */
export const unifiedEventColumnValue = (
  name: keyof UnifiedEventRow,
): UnifiedEventColumnValue => {
  const fromEvent = (event: UnifiedEvent) =>
    (event as Record<string, unknown>)[name];
  if (name === 'ingested_at')
    return (_event, _profile, ingestedAt) => ingestedAt;
  if (!isProfileValue(name)) return fromEvent;
  if (!filledOnSource.has(name))
    return (_event, profile) => profile?.[name] ?? null;
  return (event, profile) =>
    event.source === PROFILE_FILLED_SOURCE
      ? (profile?.[name] ?? null)
      : fromEvent(event);
};

const COLUMN_VALUES = UNIFIED_EVENT_COLUMNS.map(
  ({ name }) => [name, unifiedEventColumnValue(name)] as const,
);

/** A new unified_events row: the event, with its user's profile values and the write time. */
export const unifiedEventRow = (
  event: UnifiedEvent,
  profile: ProfileValuesOnEvents | undefined,
  ingestedAt: string,
): UnifiedEventRow =>
  Object.fromEntries(
    COLUMN_VALUES.map(([name, value]) => [
      name,
      value(event, profile, ingestedAt),
    ]),
  ) as UnifiedEventRow;

export const sameProfileValuesOnEvents = (
  a: ProfileValuesOnEvents | null,
  b: ProfileValuesOnEvents | null,
): boolean =>
  PROFILE_VALUES_ON_EVENTS.every(
    (name) => (a?.[name] ?? null) === (b?.[name] ?? null),
  );
