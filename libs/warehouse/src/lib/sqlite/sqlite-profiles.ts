import Database from 'better-sqlite3';
import {
  PROFILE_COLUMNS,
  PROFILE_VALUES_ON_EVENTS,
  PROFILES_TABLE,
  ProfileRow,
} from '@event-pipeline/schema';
import { ProfileValuesOnEvents } from '../profile-values-on-events';
import {
  inListSql,
  rowDecoder,
  rowEncoder,
  SqliteValue,
  upsertSql,
} from './sqlite-rows';

const decodeProfile = rowDecoder<ProfileRow>(PROFILE_COLUMNS);
const encodeProfile = rowEncoder<ProfileRow>(PROFILE_COLUMNS);

/** profiles: read many users in one statement, write whole rows. */
export class SqliteProfiles {
  private readonly selectProfiles: Database.Statement<[string]>;
  private readonly selectValuesOnEvents: Database.Statement<[string]>;
  private readonly upsertProfile: Database.Statement<
    [Record<string, SqliteValue>]
  >;

  constructor(db: Database.Database) {
    this.selectProfiles = db.prepare(
      inListSql(
        PROFILES_TABLE,
        PROFILE_COLUMNS.map((c) => c.name),
        'user_id',
      ),
    );
    this.selectValuesOnEvents = db.prepare(
      inListSql(
        PROFILES_TABLE,
        ['user_id', ...PROFILE_VALUES_ON_EVENTS],
        'user_id',
      ),
    );
    this.upsertProfile = db.prepare(upsertSql(PROFILES_TABLE));
  }

  read(userIds: Iterable<string>): Map<string, ProfileRow> {
    const rows = this.selectProfiles.all(
      JSON.stringify([...userIds]),
    ) as Record<string, SqliteValue>[];
    return new Map(
      rows.map((raw) => {
        const profile = decodeProfile(raw);
        return [profile.user_id, profile];
      }),
    );
  }

  /** Only the columns copied onto events, for the users of an event batch. */
  readValuesOnEvents(
    userIds: Iterable<string>,
  ): Map<string, ProfileValuesOnEvents> {
    const rows = this.selectValuesOnEvents.all(
      JSON.stringify([...userIds]),
    ) as (ProfileValuesOnEvents & { user_id: string })[];
    return new Map(rows.map((row) => [row.user_id, row]));
  }

  write(profile: ProfileRow): void {
    this.upsertProfile.run(encodeProfile(profile));
  }
}
