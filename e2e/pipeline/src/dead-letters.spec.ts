import { readFile } from 'node:fs/promises';
import { PubSub } from '@google-cloud/pubsub';
import {
  DEAD_LETTER_ATTRIBUTES,
  INVALID_MESSAGE_REASON,
} from '@event-pipeline/pubsub-transport';
import {
  checkUnifiedEvent,
  ErrorRecordBatchDto,
  errorBatchLogName,
  errorLogFolder,
  FileManifestDto,
  ManifestTotalsDto,
  SourceFileRef,
  sourceFileUri,
  TopicKey,
  UnifiedEvent,
} from '@event-pipeline/schema';
import { ingestFiles } from '@event-pipeline/stack';
import { pubsubClient, storageClient } from './support/cloud-clients';
import { ArchivedRecord, readErrorLogsUnder } from './support/error-logs';
import { readCounter } from './support/metrics';
import { samplePath } from './support/paths';
import { waitFor } from './support/poll';
import { startTestStack, TestStack } from './support/test-stack';

const MAX_DELIVERY_ATTEMPTS = 5;

/** The finished manifest the file-ingestor would publish for a file with these totals. */
const finishedManifest = (
  file: SourceFileRef,
  totals: Partial<ManifestTotalsDto>,
): FileManifestDto => ({
  file,
  phase: 'finished',
  kind: 'adapty',
  startedAt: '2023-11-14T22:13:20.000Z',
  finishedAt: '2023-11-14T22:13:21.000Z',
  failed: false,
  totals: {
    rowsRead: 0,
    rowErrors: 0,
    fileErrors: 0,
    profileChanges: 0,
    eventBatches: 0,
    profileChangeBatches: 0,
    errorBatches: 0,
    ...totals,
  },
});

const adaptyEvent = (file: SourceFileRef, id: string): UnifiedEvent => ({
  event_id: id,
  source: 'adapty',
  user_id: `poison-${id}`,
  event_name: 'trial_started',
  event_datetime: 1_700_000_000_000_000,
  city: null,
  region: null,
  country: null,
  os: null,
  app_version: null,
  event_parameters: { product_id: 'pro.weekly' },
  proceeds_usd: null,
  profile_total_revenue_usd: null,
  cancellation_reason: null,
  source_file: sourceFileUri(file),
});

describe('poison messages', () => {
  let env: TestStack;
  let pubsub: PubSub;
  const inbox = (name: string, generation: string): SourceFileRef => ({
    bucket: 'event-inbox',
    name,
    generation,
  });
  // Generations of November 2023: error logs under errors/dt=2023-11-14/.
  const invalidBatchFile = inbox('poison-invalid.csv', '1700000000000001');
  const unarchivableFile = inbox('poison-unarchivable.csv', '1700000000000002');
  const lostManifestFile = inbox('poison-manifest.csv', '1700000000000003');

  const publish = (
    topic: TopicKey,
    data: unknown,
    attributes?: Record<string, string>,
  ) =>
    pubsub.topic(env.stack.topology.topics[topic]).publishMessage({
      data: Buffer.isBuffer(data) ? data : Buffer.from(JSON.stringify(data)),
      attributes,
    });

  const deadLettersOf = (file: SourceFileRef) =>
    waitFor(
      `the dead letter of ${sourceFileUri(file)} in the archive`,
      async () => {
        const records = await readErrorLogsUnder(
          env.stack,
          `${errorLogFolder(file)}/dead-letters/`,
        );
        return records.length > 0 ? records : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

  const settled = (file: SourceFileRef) =>
    waitFor(
      `${sourceFileUri(file)} to be settled`,
      () => {
        const row = env.warehouse().accounting(sourceFileUri(file));
        return row?.status === 'processing' ? undefined : row;
      },
      { timeoutMs: 30_000 },
    );

  beforeAll(async () => {
    env = await startTestStack('dead-letters', {
      MAX_DELIVERY_ATTEMPTS: String(MAX_DELIVERY_ATTEMPTS),
    });
    pubsub = pubsubClient(env.stack);
  });

  afterAll(async () => {
    await pubsub?.close();
    await env?.stop();
  });

  it('a batch that fails validation is dead-lettered at its first delivery, archived whole, and settles its file', async () => {
    const valid = adaptyEvent(invalidBatchFile, 'valid-1');
    const invalid = {
      ...adaptyEvent(invalidBatchFile, 'invalid-1'),
      event_datetime: 'yesterday',
    };
    expect(checkUnifiedEvent(valid)).toBeNull();
    expect(checkUnifiedEvent(invalid)).not.toBeNull();
    const batch = {
      file: invalidBatchFile,
      batchIndex: 0,
      events: [valid, invalid],
    };
    await publish(
      'fileManifests',
      finishedManifest(invalidBatchFile, { rowsRead: 2, eventBatches: 1 }),
    );
    await publish('unifiedEvents', batch);

    const [record, ...more] = await deadLettersOf(invalidBatchFile);
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      source_file: sourceFileUri(invalidBatchFile),
      scope: 'message',
      code: 'DEAD_LETTERED',
      message: expect.stringContaining(
        `was refused (${INVALID_MESSAGE_REASON})`,
      ),
      log: expect.stringMatching(
        /\/dead-letters\/event-streamer-[0-9a-f]+\.ndjson$/,
      ),
    });
    const attributes = (record.dead_letter?.['attributes'] ?? {}) as Record<
      string,
      string
    >;
    expect(attributes[DEAD_LETTER_ATTRIBUTES.reason]).toBe(
      INVALID_MESSAGE_REASON,
    );
    expect(attributes[DEAD_LETTER_ATTRIBUTES.deliveryAttempt]).toBe('1');
    expect(attributes[DEAD_LETTER_ATTRIBUTES.errors]).toContain(
      'event_datetime',
    );
    expect(
      JSON.parse(
        Buffer.from(
          String(record.dead_letter?.['data_base64']),
          'base64',
        ).toString(),
      ),
    ).toEqual(batch);

    // Neither row loads; both count as errors of the file, which is done.
    expect(await settled(invalidBatchFile)).toMatchObject({
      status: 'done',
      rows_read: 2,
      rows_loaded: 0,
      duplicates: 0,
      row_errors: 2,
    });
    expect(env.warehouse().events(sourceFileUri(invalidBatchFile))).toEqual([]);
  });

  it(`a batch whose handler fails every time is dead-lettered by Pub/Sub after ${MAX_DELIVERY_ATTEMPTS} attempts, archived, and settles its file`, async () => {
    // The error-archiver cannot write this batch's log: an object already
    // uses the log's name as a folder, and the storage emulator, whose
    // objects are files, refuses the write (409), as a bucket refusing
    // writes would. Its other logs are unaffected.
    const blocked = errorBatchLogName(unarchivableFile, 0);
    await storageClient(env.stack)
      .bucket(env.stack.topology.buckets.errors)
      .file(`${blocked}/in-the-way`)
      .save('');
    const batch: ErrorRecordBatchDto = {
      file: unarchivableFile,
      batchIndex: 0,
      records: [
        {
          source_file: sourceFileUri(unarchivableFile),
          scope: 'row',
          location: { line: 2 },
          code: 'INVALID_DATETIME',
          message: 'line 2: event_datetime: expected ISO-8601, found "soon"',
          raw: 'p1,trial_started,soon',
          occurred_at: '2023-11-14T22:13:20.500Z',
        },
      ],
    };
    await publish(
      'fileManifests',
      finishedManifest(unarchivableFile, {
        rowsRead: 1,
        rowErrors: 1,
        errorBatches: 1,
      }),
    );
    await publish('ingestErrors', batch);

    const [record, ...more] = await deadLettersOf(unarchivableFile);
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      source_file: sourceFileUri(unarchivableFile),
      scope: 'message',
      code: 'DEAD_LETTERED',
      message: expect.stringContaining(
        `failed ${MAX_DELIVERY_ATTEMPTS} delivery attempts`,
      ),
      log: expect.stringMatching(
        /\/dead-letters\/error-archiver-[0-9a-f]+\.ndjson$/,
      ),
    });
    const attributes = (record.dead_letter?.['attributes'] ?? {}) as Record<
      string,
      string
    >;
    expect(attributes['CloudPubSubDeadLetterSourceDeliveryCount']).toBe(
      String(MAX_DELIVERY_ATTEMPTS),
    );
    expect(JSON.parse(String(record.raw))).toEqual(batch);
    // Every delivery ran the handler and failed.
    await expect(
      readCounter(
        env.stack.endpoints.services['error-archiver'],
        'pubsub_messages_nacked_total',
        'pattern="errorArchiver"',
      ),
    ).resolves.toBe(MAX_DELIVERY_ATTEMPTS);

    expect(await settled(unarchivableFile)).toMatchObject({
      status: 'done',
      rows_read: 1,
      rows_loaded: 0,
      row_errors: 1,
    });
    const archived = await readErrorLogsUnder(
      env.stack,
      `${errorLogFolder(unarchivableFile)}/errors-`,
    );
    expect(archived).toEqual([]);
    // The failures were the refused writes, one per delivery.
    const log = await readFile(env.service('error-archiver').logFile, 'utf8');
    expect(
      log
        .split('\n')
        .filter((line) =>
          line.includes(
            `ERROR [RpcExceptionsHandler] ApiError: Object name "${blocked}" collides`,
          ),
        ),
    ).toHaveLength(MAX_DELIVERY_ATTEMPTS);
  });

  it('a manifest the event-streamer gave up on is archived and recorded by the error-archiver, so its file settles', async () => {
    await publish('unifiedEvents', {
      file: lostManifestFile,
      batchIndex: 0,
      events: [adaptyEvent(lostManifestFile, 'kept-1')],
    });
    // What Pub/Sub forwards once the event-streamer has failed its last
    // attempt at recording the manifest (the warehouse down all that time).
    const manifest = finishedManifest(lostManifestFile, {
      rowsRead: 1,
      eventBatches: 1,
    });
    await publish('deadLetters', manifest, {
      CloudPubSubDeadLetterSourceSubscription:
        env.stack.topology.subscriptions.fileManifests.name,
      CloudPubSubDeadLetterSourceDeliveryCount: String(MAX_DELIVERY_ATTEMPTS),
    });

    const [record, ...more] = await deadLettersOf(lostManifestFile);
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      code: 'DEAD_LETTERED',
      log: expect.stringMatching(
        /\/dead-letters\/event-streamer-file-manifests-[0-9a-f]+\.ndjson$/,
      ),
    });
    expect(JSON.parse(String(record.raw))).toEqual(manifest);
    expect(await settled(lostManifestFile)).toMatchObject({
      status: 'done',
      rows_read: 1,
      rows_loaded: 1,
      row_errors: 0,
    });
  });

  it('a message that is not even JSON, naming no file, is dead-lettered at once and archived by date', async () => {
    await publish('profileChanges', Buffer.from('{"userId": "cut short'));
    const records = await waitFor(
      'the dead letter of the profile-updater in the archive',
      async () => {
        const found: ArchivedRecord[] = (
          await readErrorLogsUnder(env.stack, 'errors/')
        ).filter((r) => r.log.includes('/_dead-letters/profile-updater/'));
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(records).toEqual([
      expect.objectContaining({
        source_file: '',
        code: 'DEAD_LETTERED',
        raw: '{"userId": "cut short',
        message: expect.stringContaining(`refused (${INVALID_MESSAGE_REASON})`),
      }),
    ]);
  });

  it('the services keep going: a normal file loads afterwards', async () => {
    const [row] = await ingestFiles([samplePath('adapty_case_layout.csv')], {
      stack: env.stack,
      timeoutMs: 60_000,
    });
    expect(row).toMatchObject({ status: 'done', balanced: true, rowErrors: 0 });
    expect(row.loaded).toBe(row.rowsRead);
    expect(env.unexpectedExits).toEqual([]);
  });
});
