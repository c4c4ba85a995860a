import Database from 'better-sqlite3';
import {
  PROFILE_FILLED_EVENT_COLUMNS,
  PROFILE_VALUES_ON_EVENTS,
  UNIFIED_EVENT_COLUMNS,
  UNIFIED_EVENTS_TABLE,
  UnifiedEvent,
} from '@event-pipeline/schema';
import {
  FILLED_ON_EVERY_ROW,
  PROFILE_FILLED_SOURCE,
  ProfileValuesOnEvents,
  unifiedEventColumnValue,
} from '../profile-values-on-events';
import { encodeColumn, quoteIdentifier, SqliteValue } from './sqlite-rows';

const COLUMN_WRITERS = UNIFIED_EVENT_COLUMNS.map((column) => {
  const value = unifiedEventColumnValue(column.name);
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

// Only rows whose values differ are written: a GA4 user may have hundreds of
// rows that a change of attributes (copied onto Adapty rows only) leaves alone.
const REFRESH_SQL = `UPDATE ${table} SET ${[
  ...FILLED_ON_EVERY_ROW.map((name) => `${quoteIdentifier(name)} = @${name}`),
  ...PROFILE_FILLED_EVENT_COLUMNS.map(
    (name) =>
      `${quoteIdentifier(name)} = CASE WHEN source = '${PROFILE_FILLED_SOURCE}' THEN @${name} ELSE ${quoteIdentifier(name)} END`,
  ),
].join(', ')} WHERE user_id = @user_id AND (${[
  ...FILLED_ON_EVERY_ROW.map(
    (name) => `${quoteIdentifier(name)} IS NOT @${name}`,
  ),
  `(source = '${PROFILE_FILLED_SOURCE}' AND (${PROFILE_FILLED_EVENT_COLUMNS.map(
    (name) => `${quoteIdentifier(name)} IS NOT @${name}`,
  ).join(' OR ')}))`,
].join(' OR ')})`;

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
