import { PROFILES_TABLE } from './profile';
import {
  toBigQueryFields,
  toSqliteDdl,
  WAREHOUSE_TABLES,
} from './table-schemas';
import { UNIFIED_EVENT_COLUMNS, UNIFIED_EVENTS_TABLE } from './unified-event';

describe('table schemas', () => {
  it('derives the BigQuery fields from the column specs, in order', () => {
    const fields = toBigQueryFields(UNIFIED_EVENT_COLUMNS);
    expect(fields.map((f) => f.name)).toEqual(
      UNIFIED_EVENT_COLUMNS.map((c) => c.name),
    );
    expect(fields.find((f) => f.name === 'proceeds_usd')).toMatchObject({
      type: 'NUMERIC',
      mode: 'NULLABLE',
    });
    expect(fields.find((f) => f.name === 'event_id')?.mode).toBe('REQUIRED');
  });

  it('derives SQLite DDL with the primary key and NOT NULL for required columns', () => {
    const ddl = toSqliteDdl(UNIFIED_EVENTS_TABLE);
    expect(ddl).toContain('CREATE TABLE IF NOT EXISTS "unified_events"');
    expect(ddl).toContain('"event_id" TEXT NOT NULL');
    expect(ddl).toContain('"event_datetime" INTEGER NOT NULL');
    expect(ddl).toContain('"proceeds_usd" TEXT,');
    expect(ddl).toContain('PRIMARY KEY ("event_id")');
  });

  it('keeps the contract columns of profiles', () => {
    const names = PROFILES_TABLE.columns.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'user_id',
        'city',
        'region',
        'country',
        'os',
        'app_version',
        'device',
        'os_version',
        'install_date',
        'state',
        'product_id',
        'cancellation_reason',
        'profile_total_revenue_usd',
        'updated_at',
      ]),
    );
  });

  it('gives every table a primary key made of its own required columns', () => {
    for (const table of WAREHOUSE_TABLES) {
      for (const key of table.primaryKey) {
        const column = table.columns.find((c) => c.name === key);
        expect(column?.mode).toBe('REQUIRED');
      }
    }
  });
});
