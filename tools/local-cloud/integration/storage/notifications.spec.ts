import type { Bucket } from '@google-cloud/storage';
import { rm } from 'node:fs/promises';
import { startPubSubEmulator } from '../../src/pubsub';
import { count, receive, within } from '../pubsub/pubsub-test-env';
import {
  messagesUntil,
  nextMessages,
  payloadOf,
  pubsubClient,
  pubsubLogger,
  startNotificationTestEnv,
  type NotificationTestEnv,
} from './notification-test-env';
import {
  captureLog,
  PROJECT,
  startStorageTestEnv,
  tempDataDir,
  uniqueName,
} from './storage-test-env';

describe('Cloud Storage emulator: Pub/Sub notifications', () => {
  let env: NotificationTestEnv;

  beforeAll(async () => {
    env = await startNotificationTestEnv();
  });
  afterAll(() => env.stop());

  it('publishes OBJECT_FINALIZE with Google attributes and the object resource', async () => {
    const { bucket, subscription, notification } = await env.notifyingBucket();
    const content = 'event_type\ntrial_started\n';
    await bucket
      .file('adapty/events.csv')
      .save(content, { contentType: 'text/csv' });
    const [object] = await bucket.file('adapty/events.csv').getMetadata();
    const [message] = await nextMessages(subscription, 1);
    expect(message.attributes).toEqual({
      notificationConfig: `projects/_/buckets/${bucket.name}/notificationConfigs/${notification.id}`,
      eventType: 'OBJECT_FINALIZE',
      payloadFormat: 'JSON_API_V1',
      bucketId: bucket.name,
      objectId: 'adapty/events.csv',
      objectGeneration: String(object.generation),
      eventTime: object.timeCreated,
    });
    expect(payloadOf(message)).toMatchObject({
      kind: 'storage#object',
      name: 'adapty/events.csv',
      bucket: bucket.name,
      generation: String(object.generation),
      contentType: 'text/csv',
      size: String(content.length),
      md5Hash: object.md5Hash,
      crc32c: object.crc32c,
    });
  });

  it('marks an overwrite with overwroteGeneration', async () => {
    const { bucket, subscription } = await env.notifyingBucket({
      eventTypes: ['OBJECT_FINALIZE'],
    });
    const file = bucket.file('again.csv');
    await file.save('one', { resumable: false });
    const first = String((await file.getMetadata())[0].generation);
    await file.save('two', { resumable: false });
    const second = String((await file.getMetadata())[0].generation);
    const received = await nextMessages(subscription, 2);
    const byGeneration = Object.fromEntries(
      received.map((m) => [m.attributes['objectGeneration'], m.attributes]),
    );
    expect(byGeneration[first]).not.toHaveProperty('overwroteGeneration');
    expect(byGeneration[second]).toMatchObject({ overwroteGeneration: first });
  });

  it('honours event_types and object_name_prefix', async () => {
    const { bucket, subscription } = await env.notifyingBucket({
      eventTypes: ['OBJECT_FINALIZE'],
      objectNamePrefix: 'in/',
    });
    await bucket.file('elsewhere/skip.csv').save('x', { resumable: false });
    await bucket.file('in/skip-delete.csv').save('x', { resumable: false });
    await bucket.file('in/skip-delete.csv').delete();
    await bucket.file('in/take.csv').save('x', { resumable: false });
    const received = await messagesUntil(
      subscription,
      'the notification for in/take.csv',
      (m) => m.attributes['objectId'] === 'in/take.csv',
    );
    const events = received.map((m) => [
      m.attributes['eventType'],
      m.attributes['objectId'],
    ]);
    expect(events.sort()).toEqual([
      ['OBJECT_FINALIZE', 'in/skip-delete.csv'],
      ['OBJECT_FINALIZE', 'in/take.csv'],
    ]);
  });

  it('publishes OBJECT_METADATA_UPDATE and OBJECT_DELETE, and NONE payloads empty', async () => {
    const { bucket, subscription } = await env.notifyingBucket({
      eventTypes: ['OBJECT_METADATA_UPDATE', 'OBJECT_DELETE'],
      payloadFormat: 'NONE',
    });
    const file = bucket.file('short-lived.csv');
    await file.save('x', { resumable: false });
    await file.setMetadata({ metadata: { seen: 'yes' } });
    await file.delete();
    const received = await nextMessages(subscription, 2);
    expect(received.map((m) => m.attributes['eventType']).sort()).toEqual([
      'OBJECT_DELETE',
      'OBJECT_METADATA_UPDATE',
    ]);
    for (const message of received) {
      expect(message.attributes['payloadFormat']).toBe('NONE');
      expect(message.data.length).toBe(0);
    }
  });

  it('lists, gets and deletes notification configs', async () => {
    const { bucket, notification, topicName } = await env.notifyingBucket({
      customAttributes: { pipeline: 'ingest' },
    });
    const id = String(notification.id);
    const [configs] = await bucket.getNotifications();
    expect(configs.map((config) => config.id)).toEqual([id]);
    const [metadata] = await bucket.notification(id).getMetadata();
    expect(metadata).toMatchObject({
      kind: 'storage#notification',
      id,
      topic: `//pubsub.googleapis.com/${topicName}`,
      payload_format: 'JSON_API_V1',
      custom_attributes: { pipeline: 'ingest' },
    });
    await bucket.notification(id).delete();
    expect((await bucket.getNotifications())[0]).toEqual([]);
    await expect(bucket.notification(id).getMetadata()).rejects.toMatchObject({
      code: 404,
    });
  });

  it('refuses a config without a valid topic with 400', async () => {
    const bucket: Bucket = await env.newBucket('bad-config');
    const response = await fetch(
      `${env.emulator.url}/storage/v1/b/${bucket.name}/notificationConfigs`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          topic: 'not-a-topic',
          payload_format: 'JSON_API_V1',
        }),
      },
    );
    expect(response.status).toBe(400);
  });
});

describe('Cloud Storage emulator: notifications while Pub/Sub is down', () => {
  it('retries with backoff and delivers once Pub/Sub is back', async () => {
    const pubsubDataDir = await tempDataDir();
    let pubsubEmulator = await startPubSubEmulator({
      port: 0,
      dataDir: pubsubDataDir,
      logger: pubsubLogger(),
    });
    const { port, endpoint } = pubsubEmulator;
    const pubsub = pubsubClient(pubsubEmulator);
    const [topic] = await pubsub.createTopic(uniqueName('gcs-notifications'));
    const [subscription] = await topic.createSubscription(
      uniqueName('file-ingestor'),
    );
    const log = captureLog();
    const env = await startStorageTestEnv({
      pubsubEndpoint: endpoint,
      projectId: PROJECT,
      logger: log.logger,
    });
    try {
      const bucket = await env.newBucket('inbox');
      await bucket.createNotification(
        topic.name.slice(topic.name.lastIndexOf('/') + 1),
      );
      await subscription.close();
      await pubsubEmulator.stop();

      await bucket.file('while-down.csv').save('x', { resumable: false });
      await within(
        10_000,
        'a logged publish failure',
        log.waitFor(/Could not publish storage notifications.*attempt=2/),
      );

      pubsubEmulator = await startPubSubEmulator({
        port,
        dataDir: pubsubDataDir,
        logger: pubsubLogger(),
      });
      const [message] = await within(
        20_000,
        'the delayed notification',
        receive(subscription, count(1)),
      );
      await subscription.close();
      expect(message.attributes).toMatchObject({
        eventType: 'OBJECT_FINALIZE',
        objectId: 'while-down.csv',
      });
      await within(
        5_000,
        'the recovery to be logged',
        log.waitFor(/Pub\/Sub accepts storage notifications again/),
      );
    } finally {
      await env.stop();
      await pubsub.close();
      await pubsubEmulator.stop();
      await rm(pubsubDataDir, { recursive: true, force: true });
    }
  }, 40_000);
});
