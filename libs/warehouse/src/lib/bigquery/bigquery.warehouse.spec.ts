import {
  errorRecord,
  FileAccountingRow,
  sourceFileUri,
  UnifiedEvent,
} from '@event-pipeline/schema';
import {
  adaptyEvent,
  finishedManifest,
  firstOpen,
  ga4Event,
  inboxFile,
  startedManifest,
  stateChange,
  T0,
} from '../../testing/fixtures';
import { StoredRow } from './testing/fake-bigquery.server';
import { FakeWarehouse, startFakeWarehouse } from './testing/fake-warehouse';

describe('BigQueryWarehouse', () => {
  let fake: FakeWarehouse;
  let clock: Date;
  const file = inboxFile();
  const uri = sourceFileUri(file);

  beforeEach(async () => {
    clock = new Date('2024-09-18T08:00:00.000Z');
    fake = await startFakeWarehouse({}, { clock: () => clock });
  });

  afterEach(() => fake.close());

  const insert = (events: UnifiedEvent[], batchIndex = 0, onFile = file) =>
    fake.warehouse.insertEventBatch({ file: onFile, batchIndex, events });
  const insertRequests = () =>
    fake.server.requests
      .filter(({ path }) => path.endsWith('/insertAll'))
      .map(({ body }) => (body as { rows: StoredRow[] }).rows);
  /** BigQuery refuses the row of this event, for a reason not worth a retry. */
  const refuseForGood = (eventId: string) => {
    fake.server.rowFault = ({ insertId }) =>
      insertId === eventId
        ? { reason: 'invalid', message: 'Invalid NUMERIC value' }
        : undefined;
  };
  const storedEvents = () =>
    new Map(
      fake.emulator.events().map((row) => [row['event_id'] as string, row]),
    );

  describe('insertEventBatch', () => {
    it('streams each new event once, insertId = event_id, after one lookup, and commits the batch', async () => {
      await expect(
        insert([
          adaptyEvent('e1', 'u1'),
          adaptyEvent('e1', 'u1'),
          adaptyEvent('e2', 'u2'),
        ]),
      ).resolves.toEqual({
        loaded: 2,
        duplicates: 1,
        rejected: [],
        redelivered: false,
      });
      expect(insertRequests()).toEqual([
        [
          expect.objectContaining({ insertId: 'e1' }),
          expect.objectContaining({ insertId: 'e2' }),
        ],
      ]);
      expect(fake.emulator.statementNames()).toEqual([
        'event-batch-lookup',
        'batch-commit',
      ]);
      const [lookup, commit] = fake.emulator.statements;
      expect(lookup.params).toMatchObject({
        batches: [{ source_file: uri, batch_index: 0 }],
        event_ids: ['e1', 'e2'],
        user_ids: ['u1', 'u2'],
        first_event_datetime: T0,
        last_event_datetime: T0,
      });
      expect(commit.params).toMatchObject({
        batches: [
          {
            source_file: uri,
            stream: 'unified-events',
            batch_index: 0,
            rows: 3,
            loaded: 2,
            duplicates: 1,
            rejected: 0,
            committed_at: '2024-09-18T08:00:00.000Z',
          },
        ],
        files: [uri],
      });
      expect(await fake.warehouse.getFileAccounting(uri)).toMatchObject({
        rows_loaded: 2,
        duplicates: 1,
        status: 'processing',
      });
    });

    it('drops events already loaded, by any file, as duplicates', async () => {
      await insert([adaptyEvent('e1', 'u1')]);
      const reupload = inboxFile(file.name, '2');
      await expect(
        insert([adaptyEvent('e1', 'u1'), adaptyEvent('e2', 'u1')], 0, reupload),
      ).resolves.toMatchObject({ loaded: 1, duplicates: 1 });
      expect(
        insertRequests()
          .flat()
          .map(({ insertId }) => insertId),
      ).toEqual(['e1', 'e2']);
    });

    it('changes nothing when a batch is delivered again, and reports the first counts', async () => {
      const events = [adaptyEvent('e1', 'u1'), adaptyEvent('e1', 'u1')];
      await insert(events);
      const accounting = await fake.warehouse.listFileAccounting();
      clock = new Date('2024-09-18T08:05:00.000Z');
      await expect(insert(events)).resolves.toEqual({
        loaded: 1,
        duplicates: 1,
        rejected: [],
        redelivered: true,
      });
      expect(insertRequests()).toHaveLength(1);
      expect(fake.emulator.batches).toHaveLength(1);
      expect(await fake.warehouse.listFileAccounting()).toEqual(accounting);
    });

    it('gathers concurrent batches into one lookup and one commit, the first batch holding an event loading it', async () => {
      const results = await Promise.all([
        insert([adaptyEvent('e1', 'u1'), adaptyEvent('e2', 'u1')], 0),
        insert([adaptyEvent('e2', 'u1'), adaptyEvent('e3', 'u2')], 1),
        // The same message, delivered twice at once.
        insert([adaptyEvent('e2', 'u1'), adaptyEvent('e3', 'u2')], 1),
      ]);
      expect(results).toEqual([
        { loaded: 2, duplicates: 0, rejected: [], redelivered: false },
        { loaded: 1, duplicates: 1, rejected: [], redelivered: false },
        { loaded: 1, duplicates: 1, rejected: [], redelivered: true },
      ]);
      expect(fake.emulator.statementNames()).toEqual([
        'event-batch-lookup',
        'batch-commit',
      ]);
      expect(
        insertRequests()
          .flat()
          .map(({ insertId }) => insertId)
          .sort(),
      ).toEqual(['e1', 'e2', 'e3']);
    });

    it('fills profile values from the current profiles: the state on every row, the attributes on Adapty rows', async () => {
      await fake.warehouse.applyProfileChanges([
        {
          file: inboxFile('ga4/first-opens.zip'),
          batchIndex: 0,
          changes: [
            firstOpen('u1', 'f1', T0, { city: 'Berlin', os: 'IOS' }),
            stateChange('u1', 's1', T0 + 5, 'trial'),
          ],
        },
      ]);
      await insert([
        adaptyEvent('a1', 'u1'),
        ga4Event('g1', 'u1', { city: '(not set)' }),
        adaptyEvent('a2', 'u2'),
      ]);
      const rows = storedEvents();
      expect(rows.get('a1')).toMatchObject({
        city: 'Berlin',
        os: 'IOS',
        app_version: '2.0.0',
        state: 'trial',
      });
      expect(rows.get('g1')).toMatchObject({
        city: '(not set)',
        os: 'ANDROID',
        state: 'trial',
      });
      expect(rows.get('a2')).toMatchObject({ city: null, state: null });
      expect(rows.get('a1')).toMatchObject({
        proceeds_usd: '7.490000001',
        profile_total_revenue_usd: '123456789012345678901234567.89',
        event_parameters: '{"store":"app_store","product_id":"pro_monthly"}',
        ingested_at: '2024-09-18T08:00:00.000Z',
      });
    });

    it('returns rows refused locally and by BigQuery as ROW_REJECTED records, counted in the batch', async () => {
      refuseForGood('e3');
      const bad = {
        ...adaptyEvent('e2', 'u1'),
        event_datetime: '2024-09-18',
      } as unknown as UnifiedEvent;
      const result = await insert(
        [adaptyEvent('e1', 'u1'), bad, adaptyEvent('e3', 'u1')],
        5,
      );
      expect(result).toMatchObject({
        loaded: 1,
        duplicates: 0,
        redelivered: false,
      });
      expect(result.rejected).toEqual([
        expect.objectContaining({
          code: 'ROW_REJECTED',
          message: expect.stringMatching(
            /^Row 1 of unified-events batch 5 was not loaded: event_datetime/,
          ),
        }),
        expect.objectContaining({
          code: 'ROW_REJECTED',
          source_file: uri,
          message:
            'Row 2 of unified-events batch 5 was not loaded: BigQuery refused it (invalid: Invalid NUMERIC value)',
          raw: expect.stringContaining('"event_id":"e3"'),
        }),
      ]);
      expect(fake.emulator.batches).toEqual([
        expect.objectContaining({
          rows: 3,
          loaded: 1,
          duplicates: 0,
          rejected: 2,
        }),
      ]);
    });

    it('returns the rows BigQuery refused again when a committed batch comes back, their reason aside', async () => {
      refuseForGood('e2');
      const events = [adaptyEvent('e1', 'u1'), adaptyEvent('e2', 'u1')];
      await insert(events, 5);
      const result = await insert(events, 5);
      expect(result).toMatchObject({
        loaded: 1,
        duplicates: 0,
        redelivered: true,
      });
      expect(result.rejected).toEqual([
        expect.objectContaining({
          code: 'ROW_REJECTED',
          message:
            'Row 1 of unified-events batch 5 was not loaded: BigQuery refused it when the batch was first written (its reason was not kept)',
          raw: expect.stringContaining('"event_id":"e2"'),
        }),
      ]);
      expect(insertRequests()).toHaveLength(1);
    });

    it('fails only the batch whose rows cannot be written, and commits the others', async () => {
      fake.server.rowFault = ({ insertId }) =>
        insertId === 'bad'
          ? { reason: 'backendError', message: 'try later' }
          : undefined;
      const [failed, fine] = await Promise.allSettled([
        insert([adaptyEvent('bad', 'u1')], 0),
        insert([adaptyEvent('ok', 'u2')], 1),
      ]);
      expect(failed).toMatchObject({
        status: 'rejected',
        reason: expect.objectContaining({
          message: expect.stringMatching(/still not inserted/),
        }),
      });
      expect(fine).toMatchObject({ status: 'fulfilled', value: { loaded: 1 } });
      expect(
        fake.emulator.batches.map(({ batch_index }) => batch_index),
      ).toEqual([1]);
    });

    it('commits nothing when the lookup fails, so that the message is retried', async () => {
      fake.server.onQuery(() => {
        throw {
          reason: 'accessDenied',
          message: 'Access Denied: Table warehouse.profiles',
        };
      });
      await expect(insert([adaptyEvent('e1', 'u1')])).rejects.toThrow(
        'Access Denied',
      );
      expect(insertRequests()).toEqual([]);
    });
  });

  describe('applyProfileChanges', () => {
    const profileFile = inboxFile('adapty/profiles.csv');
    const batch = (
      batchIndex: number,
      ...changes: ReturnType<typeof stateChange>[]
    ) => ({
      file: profileFile,
      batchIndex,
      changes,
    });

    it('folds a micro-batch with ONE statement: the MERGE, the batch commits and the settle', async () => {
      await expect(
        fake.warehouse.applyProfileChanges([
          batch(0, stateChange('u1', 's1', T0, 'trial')),
          batch(
            1,
            stateChange('u2', 's2', T0, 'active', '9.99'),
            stateChange('u1', 's3', T0 + 1, 'active'),
          ),
          batch(0, stateChange('u1', 's1', T0, 'trial')),
        ]),
      ).resolves.toEqual({ committed: 2, redelivered: 1, profilesChanged: 2 });
      expect(fake.emulator.statementNames()).toEqual(['profile-changes']);
      const [job] = fake.emulator.statements;
      expect(job.sql.match(/\bMERGE\b/g)).toHaveLength(3);
      expect((job.params['changes'] as unknown[]).length).toBe(3);
      expect(job.params['batches']).toEqual([
        expect.objectContaining({
          stream: 'profile-changes',
          batch_index: 0,
          rows: 1,
          loaded: 1,
        }),
        expect.objectContaining({
          stream: 'profile-changes',
          batch_index: 1,
          rows: 2,
          loaded: 2,
        }),
      ]);
      expect(job.params['files']).toEqual([sourceFileUri(profileFile)]);
    });

    it('changes nothing when batches are delivered again', async () => {
      await fake.warehouse.applyProfileChanges([
        batch(0, stateChange('u1', 's1', T0, 'trial')),
      ]);
      const profiles = await fake.warehouse.getProfiles(['u1']);
      await expect(
        fake.warehouse.applyProfileChanges([
          batch(0, stateChange('u1', 's1', T0, 'trial')),
        ]),
      ).resolves.toEqual({ committed: 0, redelivered: 1, profilesChanged: 0 });
      await expect(
        fake.warehouse.applyProfileChanges([
          batch(1, stateChange('u1', 's1', T0, 'trial')),
        ]),
      ).resolves.toEqual({ committed: 1, redelivered: 0, profilesChanged: 0 });
      expect(await fake.warehouse.getProfiles(['u1'])).toEqual(profiles);
    });

    it('sends nothing for an empty micro-batch', async () => {
      await expect(fake.warehouse.applyProfileChanges([])).resolves.toEqual({
        committed: 0,
        redelivered: 0,
        profilesChanged: 0,
      });
      expect(fake.server.requests).toEqual([]);
    });
  });

  describe('getProfiles', () => {
    it('reads whole profiles back exactly: NUMERIC digits, INT64 microseconds, ISO timestamps', async () => {
      await fake.warehouse.applyProfileChanges([
        {
          file,
          batchIndex: 0,
          changes: [
            stateChange(
              'u1',
              's1',
              T0,
              'refunded',
              '123456789012345678901234567.000000001',
            ),
          ],
        },
      ]);
      expect(await fake.warehouse.getProfiles(['u1', 'nobody', 'u1'])).toEqual([
        expect.objectContaining({
          user_id: 'u1',
          state: 'refunded',
          profile_total_revenue_usd: '123456789012345678901234567.000000001',
          subscription_event_datetime: T0,
          subscription_event_id: 's1',
          updated_at: '2024-09-18T08:00:00.000Z',
        }),
      ]);
      const [read] = fake.emulator.statements.filter(
        (job) => job.labels['warehouse_statement'] === 'profiles-read',
      );
      expect(read.params).toEqual({ user_ids: ['u1', 'nobody'] });
      const requests = fake.server.requests.length;
      expect(await fake.warehouse.getProfiles([])).toEqual([]);
      expect(fake.server.requests).toHaveLength(requests);
    });
  });

  describe('accounting', () => {
    const errorBatch = (batchIndex: number, size: number) =>
      fake.warehouse.recordErrorBatch({
        file,
        batchIndex,
        records: Array.from({ length: size }, (_, line) =>
          errorRecord({
            source_file: uri,
            code: 'INVALID_DATETIME',
            location: { line },
            message: 'bad date',
          }),
        ),
      });

    it('settles a file as done once the finished manifest and every announced batch are in, whatever the order', async () => {
      await fake.warehouse.recordFileManifest(
        finishedManifest(file, {
          rowsRead: 6,
          rowErrors: 2,
          profileChanges: 1,
          eventBatches: 2,
          profileChangeBatches: 1,
          errorBatches: 1,
        }),
      );
      await insert([adaptyEvent('e1', 'u1'), adaptyEvent('e2', 'u1')], 1);
      await errorBatch(0, 2);
      await fake.warehouse.applyProfileChanges([
        {
          file,
          batchIndex: 0,
          changes: [stateChange('u1', 's1', T0, 'active')],
        },
      ]);
      expect(await fake.warehouse.getFileAccounting(uri)).toMatchObject({
        status: 'processing',
      });
      await insert([adaptyEvent('e1', 'u1'), adaptyEvent('e3', 'u1')], 0);
      const done = (await fake.warehouse.getFileAccounting(
        uri,
      )) as FileAccountingRow;
      expect(done).toMatchObject({
        status: 'done',
        rows_read: 6,
        rows_loaded: 3,
        duplicates: 1,
        row_errors: 2,
        finished_at: '2024-09-18T08:00:00.000Z',
      });
      expect(done.rows_read).toBe(
        done.rows_loaded + done.duplicates + (done.row_errors ?? 0),
      );
      // A late started manifest changes nothing.
      await expect(
        fake.warehouse.recordFileManifest(startedManifest(file)),
      ).resolves.toEqual(done);
    });

    it('counts an archived error batch once', async () => {
      await expect(errorBatch(0, 3)).resolves.toEqual({
        records: 3,
        redelivered: false,
      });
      await expect(errorBatch(0, 3)).resolves.toEqual({
        records: 3,
        redelivered: true,
      });
      expect(fake.emulator.batches).toHaveLength(1);
    });

    it('settles a dead-lettered event batch as row errors, and leaves a committed batch as it is', async () => {
      await fake.warehouse.recordFileManifest(
        finishedManifest(file, { rowsRead: 4, eventBatches: 2 }),
      );
      await insert([adaptyEvent('e1', 'u1')], 0);
      await expect(
        fake.warehouse.recordDeadLetteredBatch({
          file,
          stream: 'unified-events',
          batchIndex: 1,
          rows: 3,
        }),
      ).resolves.toEqual({ redelivered: false });
      await expect(
        fake.warehouse.recordDeadLetteredBatch({
          file,
          stream: 'unified-events',
          batchIndex: 0,
          rows: 1,
        }),
      ).resolves.toEqual({ redelivered: true });
      expect(await fake.warehouse.getFileAccounting(uri)).toMatchObject({
        status: 'done',
        rows_loaded: 1,
        rows_rejected: 3,
        row_errors: 3,
      });
    });

    it('gathers concurrent commits into one script', async () => {
      await Promise.all([errorBatch(0, 1), errorBatch(1, 1), errorBatch(2, 1)]);
      expect(fake.emulator.statementNames()).toEqual(['batch-commit']);
    });

    it('lists every file, in source file order', async () => {
      await errorBatch(0, 1);
      await fake.warehouse.recordErrorBatch({
        file: inboxFile('a.csv'),
        batchIndex: 0,
        records: [],
      });
      expect(
        (await fake.warehouse.listFileAccounting()).map(
          (row) => row.source_file,
        ),
      ).toEqual([sourceFileUri(inboxFile('a.csv')), uri]);
      expect(
        await fake.warehouse.getFileAccounting('gs://nowhere/x#1'),
      ).toBeNull();
    });
  });

  describe('reconcileProfileColumns', () => {
    it('brings older rows up to date once per window, whoever calls, and records each run', async () => {
      await insert([adaptyEvent('a1', 'u1'), ga4Event('g1', 'u1')]);
      clock = new Date('2024-09-18T08:30:00.000Z');
      await fake.warehouse.applyProfileChanges([
        {
          file,
          batchIndex: 0,
          changes: [
            firstOpen('u1', 'f1', T0, { city: 'Berlin' }),
            stateChange('u1', 's1', T0, 'trial'),
          ],
        },
      ]);
      expect(storedEvents().get('a1')).toMatchObject({
        city: null,
        state: null,
      });

      clock = new Date('2024-09-18T10:05:00.000Z');
      await expect(fake.warehouse.reconcileProfileColumns()).resolves.toEqual({
        ran: true,
        rowsUpdated: 2,
        users: 1,
        since: null,
        cutoff: '2024-09-18T08:35:00.000Z',
      });
      expect(storedEvents().get('a1')).toMatchObject({
        city: 'Berlin',
        state: 'trial',
      });
      expect(storedEvents().get('g1')).toMatchObject({
        city: 'Lisbon',
        state: 'trial',
      });

      // Another instance, the same window: the job id is taken.
      await expect(
        fake.another({ clock: () => clock }).reconcileProfileColumns(),
      ).resolves.toEqual({
        ran: false,
        rowsUpdated: 0,
      });
      const [run] = fake.emulator.statements.filter(
        (job) => job.labels['warehouse_statement'] === 'profile-reconcile',
      );
      expect(run.jobId).toBe('warehouse_profile_reconcile_20240918T1000Z');
      expect(run.params).toEqual({
        job_id: run.jobId,
        now: '2024-09-18T10:05:00.000Z',
        streaming_buffer_minutes: 90,
        overlap_minutes: 15,
      });

      clock = new Date('2024-09-18T11:00:00.000Z');
      await expect(
        fake.warehouse.reconcileProfileColumns(),
      ).resolves.toMatchObject({
        ran: true,
        rowsUpdated: 0,
        since: '2024-09-18T08:20:00.000Z',
      });
    });
  });

  describe('the load mode', () => {
    it('loads each new batch from Cloud Storage with its own job id, and commits it', async () => {
      const objects = new Map<string, string>();
      const loading = await startFakeWarehouse(
        { eventWrites: { mode: 'load', stagingBucket: 'acme-staging' } },
        {
          staging: {
            write: async (name, content) => {
              objects.set(name, content);
              return `gs://acme-staging/${name}`;
            },
          },
        },
      );
      try {
        loading.server.onLoad(() => 2);
        await expect(
          loading.warehouse.insertEventBatch({
            file,
            batchIndex: 3,
            events: [adaptyEvent('e1', 'u1'), adaptyEvent('e2', 'u1')],
          }),
        ).resolves.toEqual({
          loaded: 2,
          duplicates: 0,
          rejected: [],
          redelivered: false,
        });
        expect([...objects.keys()]).toEqual([
          'unified-events/event-inbox/adapty/events.csv/1/3.ndjson',
        ]);
        expect(
          loading.server.requests.filter(({ path }) =>
            path.endsWith('/insertAll'),
          ),
        ).toEqual([]);
        expect(loading.emulator.batches).toEqual([
          expect.objectContaining({ batch_index: 3, loaded: 2 }),
        ]);
      } finally {
        await loading.close();
      }
    });
  });

  it('sends no Authorization header (no credentials are looked up in tests)', async () => {
    await fake.warehouse.listFileAccounting();
    expect(fake.server.requests.length).toBeGreaterThan(0);
    for (const { headers } of fake.server.requests) {
      expect(headers.authorization).toBeUndefined();
    }
  });
});
