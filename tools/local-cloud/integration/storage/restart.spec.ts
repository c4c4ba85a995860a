import { createHash, randomBytes } from 'node:crypto';
import { startPubSubEmulator } from '../../src/pubsub';
import { within } from '../pubsub/pubsub-test-env';
import {
  nextMessages,
  pubsubClient,
  pubsubLogger,
} from './notification-test-env';
import {
  captureLog,
  PROJECT,
  startStorageTestEnv,
  uniqueName,
  type StorageTestEnv,
} from './storage-test-env';

describe('Cloud Storage emulator: restart', () => {
  let env: StorageTestEnv;

  beforeAll(async () => {
    env = await startStorageTestEnv();
  });
  afterAll(() => env.stop());

  it('keeps buckets, objects, metadata and notification configs', async () => {
    const [bucket] = await env.storage.createBucket(uniqueName('durable'), {
      location: 'EU',
    });
    await bucket.file('a/one.csv').save('one', {
      resumable: false,
      contentType: 'text/csv',
      metadata: { metadata: { source: 'adapty' } },
    });
    await bucket
      .file('b/two.zip')
      .save(randomBytes(300_000), { resumable: true });
    await bucket.file('a/one.csv').setMetadata({ cacheControl: 'no-store' });
    await bucket.createNotification('gcs-notifications', {
      objectNamePrefix: 'a/',
    });
    const [filesBefore] = await bucket.getFiles();
    const [bucketBefore] = await bucket.getMetadata();
    const contentBefore = (await bucket.file('b/two.zip').download())[0];

    await env.restart();

    const [filesAfter] = await bucket.getFiles();
    expect(filesAfter.map((f) => f.metadata)).toEqual(
      filesBefore.map((f) => f.metadata),
    );
    expect(filesAfter[0].metadata).toMatchObject({
      metageneration: '2',
      cacheControl: 'no-store',
      metadata: { source: 'adapty' },
      contentType: 'text/csv',
    });
    expect((await bucket.getMetadata())[0]).toEqual(bucketBefore);
    expect(
      (await bucket.file('b/two.zip').download())[0].equals(contentBefore),
    ).toBe(true);
    const [notifications] = await bucket.getNotifications();
    expect(notifications.map((n) => n.metadata)).toMatchObject([
      {
        topic: `//pubsub.googleapis.com/projects/${PROJECT}/topics/gcs-notifications`,
        object_name_prefix: 'a/',
      },
    ]);
  });

  it('continues a resumable upload started before the restart', async () => {
    const [bucket] = await env.storage.createBucket(uniqueName('resume'));
    const file = bucket.file('resumed.bin');
    const content = randomBytes(3 * 256 * 1024 + 123);
    const [uri] = await file.createResumableUpload({
      metadata: { contentType: 'application/zip' },
    });
    const firstChunk = content.subarray(0, 256 * 1024);
    const partial = await fetch(uri, {
      method: 'PUT',
      headers: {
        'Content-Range': `bytes 0-${firstChunk.length - 1}/${content.length}`,
      },
      body: firstChunk,
    });
    expect(partial.status).toBe(308);
    expect(partial.headers.get('range')).toBe(
      `bytes=0-${firstChunk.length - 1}`,
    );

    await env.restart();

    // The client asks how far the upload got and sends only the rest.
    await new Promise((resolve, reject) =>
      file
        .createWriteStream({ uri })
        .on('error', reject)
        .on('finish', resolve)
        .end(content),
    );
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({
      size: String(content.length),
      contentType: 'application/zip',
      md5Hash: createHash('md5').update(content).digest('base64'),
    });
  });

  it('delivers notifications left pending at shutdown after the next start', async () => {
    let pubsubEmulator = await startPubSubEmulator({
      port: 0,
      logger: pubsubLogger(),
    });
    const { port } = pubsubEmulator;
    let pubsub = pubsubClient(pubsubEmulator);
    const log = captureLog();
    const storage = await startStorageTestEnv({
      pubsubEndpoint: pubsubEmulator.endpoint,
      projectId: PROJECT,
      logger: log.logger,
    });
    try {
      const bucket = await storage.newBucket('inbox');
      await bucket.createNotification('pending-topic');
      await pubsubEmulator.stop();
      await pubsub.close();
      await bucket.file('kept.csv').save('x', { resumable: false });
      await within(
        10_000,
        'a failed publish',
        log.waitFor(/Could not publish storage notifications/),
      );
      await storage.emulator.stop();
      expect(
        log.lines.some((line) =>
          /kept for the next start.*pending=1/.test(line),
        ),
      ).toBe(true);

      pubsubEmulator = await startPubSubEmulator({
        port,
        logger: pubsubLogger(),
      });
      pubsub = pubsubClient(pubsubEmulator);
      const [topic] = await pubsub.createTopic('pending-topic');
      const [subscription] = await topic.createSubscription(uniqueName('sub'));
      await storage.restart();
      const [message] = await nextMessages(subscription, 1);
      expect(message.attributes).toMatchObject({
        eventType: 'OBJECT_FINALIZE',
        objectId: 'kept.csv',
      });
    } finally {
      await storage.stop();
      await pubsub.close();
      await pubsubEmulator.stop();
    }
  }, 30_000);
});
