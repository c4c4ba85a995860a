import Database from 'better-sqlite3';
import {
  FileKind,
  PROFILE_FILLED_EVENT_COLUMNS,
  PROFILE_VALUES_ON_EVENTS,
  ProfileRow,
  UNIFIED_EVENT_COLUMNS,
  UNIFIED_EVENTS_TABLE,
  UnifiedEvent,
} from '@event-pipeline/schema';
import { encodeColumn, quoteIdentifier, SqliteValue } from './sqlite-rows';

/** The profile values the data contract copies onto a user's events. */
export type ProfileValuesOnEvents = Pick<
  ProfileRow,
  (typeof PROFILE_VALUES_ON_EVENTS)[number]
>;

/** Rows of this source take the attributes from the profile; GA4 rows keep their own. */
const PROFILE_FILLED_SOURCE: FileKind = 'adapty';

const filledOnSource = new Set<string>(PROFILE_FILLED_EVENT_COLUMNS);
const filledOnEveryRow = PROFILE_VALUES_ON_EVENTS.filter(
  (name) => !filledOnSource.has(name),
);

type ColumnValue = (
  event: UnifiedEvent,
  profile: ProfileValuesOnEvents | undefined,
  ingestedAt: string,
) => SqliteValue;

type ProfileValueName = (typeof PROFILE_VALUES_ON_EVENTS)[number];

const isProfileValue = (name: string): name is ProfileValueName =>
  (PROFILE_VALUES_ON_EVENTS as readonly string[]).includes(name);

/** Where each column of a new unified_events row comes from: the event, the profile, or the clock. */
const columnValue = (name: string): ColumnValue => {
  const fromEvent = (event: UnifiedEvent) =>
    (event as Record<string, unknown>)[name] as SqliteValue;
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

const COLUMN_WRITERS = UNIFIED_EVENT_COLUMNS.map((column) => {
  const value = columnValue(column.name);
  const encode = encodeColumn(column);
  return (
    event: UnifiedEvent,
    profile: ProfileValuesOnEvents | undefined,
    ingestedAt: string,
  ) => encode(value(event, profile, ingestedAt));
});

const table = quoteIdentifier(UNIFIED_EVENTS_TABLE.name);

// INSERT OR IGNORE drops a row whose event_id (the primary key) is loaded.
const INSERT_SQL = `INSERT OR IGNORE INTO ${table} (${UNIFIED_EVENT_COLUMNS.map(
  (c) => quoteIdentifier(c.name),
).join(', ')}) VALUES (${UNIFIED_EVENT_COLUMNS.map(() => '?').join(', ')})`;

const REFRESH_SQL = `UPDATE ${table} SET ${[
  ...filledOnEveryRow.map((name) => `${quoteIdentifier(name)} = @${name}`),
  ...PROFILE_FILLED_EVENT_COLUMNS.map(
    (name) =>
      `${quoteIdentifier(name)} = CASE WHEN source = '${PROFILE_FILLED_SOURCE}' THEN @${name} ELSE ${quoteIdentifier(name)} END`,
  ),
].join(', ')} WHERE user_id = @user_id`;

export const sameProfileValuesOnEvents = (
  a: ProfileValuesOnEvents | null,
  b: ProfileValuesOnEvents | null,
): boolean =>
  PROFILE_VALUES_ON_EVENTS.every(
    (name) => (a?.[name] ?? null) === (b?.[name] ?? null),
  );

/** unified_events: writes new rows and keeps their profile columns current. */
export class SqliteUnifiedEvents {
  private readonly insertRow: Database.Statement<[SqliteValue[]]>;
  private readonly refreshRows: Database.Statement<
    [ProfileValuesOnEvents & { user_id: string }]
  >;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare<[SqliteValue[]]>(INSERT_SQL);
    this.refreshRows = db.prepare(REFRESH_SQL);
  }

  /** Inserts the events with their users' current profile values; returns how many were new. */
  insert(
    events: readonly UnifiedEvent[],
    profiles: ReadonlyMap<string, ProfileValuesOnEvents>,
    ingestedAt: string,
  ): number {
    let loaded = 0;
    const values: SqliteValue[] = new Array(COLUMN_WRITERS.length);
    for (const event of events) {
      const profile = profiles.get(event.user_id);
      for (let i = 0; i < COLUMN_WRITERS.length; i++) {
        values[i] = COLUMN_WRITERS[i](event, profile, ingestedAt);
      }
      loaded += this.insertRow.run(values).changes;
    }
    return loaded;
  }

  /** The change-data-capture rule: a user's rows take the profile's new values. */
  refreshProfileColumns(userId: string, profile: ProfileValuesOnEvents): void {
    const values = Object.fromEntries(
      PROFILE_VALUES_ON_EVENTS.map((name) => [name, profile[name]]),
    ) as ProfileValuesOnEvents;
    this.refreshRows.run({ ...values, user_id: userId });
  }
}
