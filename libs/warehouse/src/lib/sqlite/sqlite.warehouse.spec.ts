import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import {
  sourceFileUri,
  UnifiedEvent,
  WAREHOUSE_TABLES,
} from '@event-pipeline/schema';
import {
  adaptyEvent,
  eventsOutOfStepWithProfiles,
  firstOpen,
  ga4Event,
  inboxFile,
  readTable,
  readUnifiedEvents,
  stateChange,
  StoredEvent,
  T0,
  tempWarehousePath,
} from '../../testing/fixtures';
import { SqliteWarehouse } from './sqlite.warehouse';

describe('SqliteWarehouse', () => {
  let target: ReturnType<typeof tempWarehousePath>;
  let warehouse: SqliteWarehouse;

  beforeEach(() => {
    target = tempWarehousePath();
    warehouse = new SqliteWarehouse({ path: target.path });
  });

  afterEach(async () => {
    await warehouse.close();
    target.remove();
  });

  const file = inboxFile();
  const insert = (events: UnifiedEvent[], batchIndex = 0, onFile = file) =>
    warehouse.insertEventBatch({ file: onFile, batchIndex, events });
  const eventsById = () =>
    new Map(readUnifiedEvents(target.path).map((row) => [row.event_id, row]));

  describe('the database file', () => {
    it('is created with its folder, in WAL mode, with every table of the schema', () => {
      expect(existsSync(target.path)).toBe(true);
      const db = new Database(target.path, { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        for (const table of WAREHOUSE_TABLES) {
          const columns = db
            .prepare(`SELECT name FROM pragma_table_info(?)`)
            .pluck()
            .all(table.name);
          expect(columns).toEqual(table.columns.map((c) => c.name));
        }
      } finally {
        db.close();
      }
    });

    it('can be opened again by a second connection', async () => {
      const second = new SqliteWarehouse({ path: target.path });
      await insert([adaptyEvent('e1', 'u1')]);
      expect(await second.getFileAccounting(sourceFileUri(file))).toMatchObject(
        {
          rows_loaded: 1,
        },
      );
      await second.close();
    });

    it("waits for another process's transaction without holding the event loop", async () => {
      const other = new Database(target.path);
      try {
        other.exec('BEGIN IMMEDIATE');
        let written = false;
        const write = insert([adaptyEvent('e1', 'u1')]).then((result) => {
          written = true;
          return result;
        });
        // Timers still run while the write waits for the lock.
        for (let tick = 0; tick < 5; tick++) {
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        expect(written).toBe(false);
        other.exec('COMMIT');
        await expect(write).resolves.toMatchObject({ loaded: 1 });
      } finally {
        other.close();
      }
    });
  });

  describe('insertEventBatch', () => {
    it('stores exact decimals as text, parameters as JSON text and times as integer microseconds', async () => {
      const result = await insert([adaptyEvent('e1', 'u1')]);
      expect(result).toEqual({
        loaded: 1,
        duplicates: 0,
        rejected: [],
        redelivered: false,
      });
      const [row] = readUnifiedEvents(target.path);
      expect(row).toMatchObject({
        event_id: 'e1',
        source: 'adapty',
        event_datetime: T0,
        proceeds_usd: '7.490000001',
        profile_total_revenue_usd: '123456789012345678901234567.89',
        event_parameters: '{"store":"app_store","product_id":"pro_monthly"}',
        state: null,
      });
      expect(new Date(row.ingested_at).toISOString()).toBe(row.ingested_at);
    });

    it('drops a row whose event_id is already loaded, within a batch and across files', async () => {
      expect(
        await insert([adaptyEvent('e1', 'u1'), adaptyEvent('e1', 'u1')]),
      ).toMatchObject({ loaded: 1, duplicates: 1 });
      const other = inboxFile('adapty/other.csv');
      expect(
        await insert(
          [adaptyEvent('e1', 'u1'), adaptyEvent('e2', 'u1')],
          0,
          other,
        ),
      ).toMatchObject({ loaded: 1, duplicates: 1 });
      expect(readUnifiedEvents(target.path).map((r) => r.event_id)).toEqual([
        'e1',
        'e2',
      ]);
    });

    it('changes nothing when a batch is delivered again, and reports the first counts', async () => {
      const events = [adaptyEvent('e1', 'u1'), adaptyEvent('e1', 'u1')];
      await insert(events);
      const before = readUnifiedEvents(target.path);
      const batchesBefore = readTable(
        target.path,
        'file_batches',
        'batch_index',
      );
      const accountingBefore = await warehouse.listFileAccounting();

      expect(await insert(events)).toEqual({
        loaded: 1,
        duplicates: 1,
        rejected: [],
        redelivered: true,
      });
      expect(readUnifiedEvents(target.path)).toEqual(before);
      expect(readTable(target.path, 'file_batches', 'batch_index')).toEqual(
        batchesBefore,
      );
      expect(await warehouse.listFileAccounting()).toEqual(accountingBefore);
    });

    it('counts every event of a re-uploaded object (a new generation) as a duplicate', async () => {
      const events = [adaptyEvent('e1', 'u1'), adaptyEvent('e2', 'u2')];
      await insert(events);
      const reupload = inboxFile(file.name, '2');
      expect(await insert(events, 0, reupload)).toMatchObject({
        loaded: 0,
        duplicates: 2,
      });
      expect(
        await warehouse.getFileAccounting(sourceFileUri(reupload)),
      ).toMatchObject({ rows_loaded: 0, duplicates: 2 });
      expect(readUnifiedEvents(target.path)).toHaveLength(2);
    });

    it('refuses a row that breaks the schema with an error record, and loads the rest', async () => {
      const bad = {
        ...adaptyEvent('e2', 'u1'),
        event_datetime: '2024-09-18',
      } as unknown as UnifiedEvent;
      const result = await insert([adaptyEvent('e1', 'u1'), bad], 3);
      expect(result).toMatchObject({ loaded: 1, duplicates: 0 });
      expect(result.rejected).toEqual([
        expect.objectContaining({
          source_file: sourceFileUri(file),
          scope: 'row',
          code: 'ROW_REJECTED',
          message: expect.stringMatching(
            /Row 1 of unified-events batch 3 .*event_datetime: expected a safe integer, found "2024-09-18"/,
          ),
          raw: expect.stringContaining('"event_id":"e2"'),
        }),
      ]);
      expect(readTable(target.path, 'file_batches', 'batch_index')).toEqual([
        expect.objectContaining({
          rows: 2,
          loaded: 1,
          duplicates: 0,
          rejected: 1,
        }),
      ]);
      expect(await insert([adaptyEvent('e1', 'u1'), bad], 3)).toMatchObject({
        redelivered: true,
        rejected: [expect.objectContaining({ code: 'ROW_REJECTED' })],
      });
    });
  });

  describe('profile columns on events', () => {
    const profileFile = inboxFile('ga4/first-opens.zip');
    const events = () => [
      adaptyEvent('a1', 'u1'),
      ga4Event('g1', 'u1', { city: '(not set)', os: 'ANDROID' }),
      adaptyEvent('a2', 'u2'),
    ];
    const changes = [
      firstOpen('u1', 'f1', T0, { city: 'Berlin', os: 'IOS' }),
      stateChange('u1', 's1', T0 + 5, 'trial'),
      stateChange('u2', 's2', T0 + 5, 'active'),
    ];
    const applyChanges = () =>
      warehouse.applyProfileChanges([
        { file: profileFile, batchIndex: 0, changes },
      ]);
    const withoutIngestedAt = (rows: StoredEvent[]) =>
      rows.map((row) => ({ ...row, ingested_at: 'compared apart' }));

    const expectFilled = () => {
      const rows = eventsById();
      expect(rows.get('a1')).toMatchObject({
        city: 'Berlin',
        region: 'Berlin',
        country: 'Germany',
        os: 'IOS',
        app_version: '2.0.0',
        state: 'trial',
      });
      // GA4 rows keep their own attributes and still take the state.
      expect(rows.get('g1')).toMatchObject({
        city: '(not set)',
        region: 'Lisbon',
        os: 'ANDROID',
        app_version: '3.1.0',
        state: 'trial',
      });
      // A user with a state but no first_open yet.
      expect(rows.get('a2')).toMatchObject({
        city: null,
        os: null,
        state: 'active',
      });
      expect(eventsOutOfStepWithProfiles(target.path)).toEqual([]);
    };

    it('updates rows written before the profile changed', async () => {
      await insert(events());
      expect(eventsById().get('a1')).toMatchObject({ city: null, state: null });
      await applyChanges();
      expectFilled();
    });

    it('fills rows written after the profile changed', async () => {
      await applyChanges();
      await insert(events());
      expectFilled();
    });

    it('ends with the same tables whichever came first', async () => {
      await insert(events());
      await applyChanges();
      const eventsFirst = withoutIngestedAt(readUnifiedEvents(target.path));

      const other = tempWarehousePath();
      const second = new SqliteWarehouse({ path: other.path });
      try {
        await second.applyProfileChanges([
          { file: profileFile, batchIndex: 0, changes },
        ]);
        await second.insertEventBatch({
          file,
          batchIndex: 0,
          events: events(),
        });
        expect(withoutIngestedAt(readUnifiedEvents(other.path))).toEqual(
          eventsFirst,
        );
      } finally {
        await second.close();
        other.remove();
      }
    });

    it('follows the latest change, whatever order changes arrive in', async () => {
      await insert(events());
      await warehouse.applyProfileChanges([
        {
          file: profileFile,
          batchIndex: 1,
          changes: [stateChange('u1', 's9', T0 + 9, 'cancelled')],
        },
      ]);
      await applyChanges();
      expect(eventsById().get('a1')).toMatchObject({
        state: 'cancelled',
        city: 'Berlin',
      });
      expect(eventsOutOfStepWithProfiles(target.path)).toEqual([]);
    });

    it('applies a micro-batch of many messages for many users in one call', async () => {
      const users = Array.from({ length: 120 }, (_, i) => `user-${i}`);
      await insert(
        users.flatMap((user, i) => [
          adaptyEvent(`a-${user}`, user),
          ga4Event(`g-${user}`, user, { event_datetime: T0 + i }),
        ]),
      );
      const files = [inboxFile('adapty/one.csv'), inboxFile('adapty/two.csv')];
      const batches = users.map((user, i) => ({
        file: files[i % 2],
        batchIndex: Math.floor(i / 2),
        changes: [
          firstOpen(user, `f-${user}`, T0, { city: `City ${i}` }),
          stateChange(
            user,
            `s-${user}`,
            T0 + i,
            i % 3 === 0 ? 'trial' : 'active',
          ),
        ],
      }));

      expect(await warehouse.applyProfileChanges(batches)).toEqual({
        committed: 120,
        redelivered: 0,
        profilesChanged: 120,
      });
      const profiles = await warehouse.getProfiles(users);
      expect(profiles).toHaveLength(120);
      expect(eventsById().get('a-user-7')).toMatchObject({
        city: 'City 7',
        state: 'active',
      });
      expect(eventsOutOfStepWithProfiles(target.path)).toEqual([]);
      for (const f of files) {
        expect(
          readTable(target.path, 'file_batches', 'batch_index').filter(
            (b) => b['source_file'] === sourceFileUri(f),
          ),
        ).toHaveLength(60);
      }
    });

    it('changes nothing when profile batches are delivered again, alone or twice in one call', async () => {
      await applyChanges();
      const profiles = readTable(target.path, 'profiles', 'user_id');
      const batch = { file: profileFile, batchIndex: 0, changes };
      expect(await warehouse.applyProfileChanges([batch, batch])).toEqual({
        committed: 0,
        redelivered: 2,
        profilesChanged: 0,
      });
      expect(readTable(target.path, 'profiles', 'user_id')).toEqual(profiles);

      const fresh = { file: profileFile, batchIndex: 1, changes };
      expect(await warehouse.applyProfileChanges([fresh, fresh])).toEqual({
        committed: 1,
        redelivered: 1,
        profilesChanged: 0,
      });
      expect(readTable(target.path, 'profiles', 'user_id')).toEqual(profiles);
    });
  });

  describe('getProfiles', () => {
    it('returns the profiles of the users that have one, fold versions included', async () => {
      await warehouse.applyProfileChanges([
        {
          file,
          batchIndex: 0,
          changes: [stateChange('u1', 's1', T0, 'refunded', '0.000000001')],
        },
      ]);
      expect(await warehouse.getProfiles(['u1', 'nobody'])).toEqual([
        expect.objectContaining({
          user_id: 'u1',
          state: 'refunded',
          product_id: 'pro_monthly',
          profile_total_revenue_usd: '0.000000001',
          subscription_event_id: 's1',
          subscription_event_datetime: T0,
        }),
      ]);
      expect(await warehouse.getProfiles([])).toEqual([]);
    });
  });
});
