import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@google-cloud/pubsub';
import { DEFAULT_TOPOLOGY } from '@event-pipeline/schema';
import { localPubSubClient, localStorageClient } from '../src/google-clients';
import { LocalCloud, startLocalCloud } from '../src/local-cloud';
import { provisionTopology } from '../src/provision-topology';
import { createLogger } from '../src/shared/logger';

const nextMessage = (
  subscription: import('@google-cloud/pubsub').Subscription,
) =>
  new Promise<Message>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('no message within 10 s')),
      10_000,
    );
    subscription.once('message', (message: Message) => {
      clearTimeout(timer);
      message.ack();
      resolve(message);
    });
    subscription.once('error', reject);
  });

describe('local cloud', () => {
  let dataDir: string;
  let cloud: LocalCloud;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'local-cloud-'));
    cloud = await startLocalCloud({
      pubsubPort: 0,
      storagePort: 0,
      dataDir,
      persistPubSub: true,
      projectId: 'local-test',
      provision: DEFAULT_TOPOLOGY,
      logger: createLogger({ level: 'warn' }),
    });
  });

  afterAll(async () => {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('provisions subscriptions with their dead-letter, retry and ordering settings', async () => {
    const pubsub = localPubSubClient(cloud);
    try {
      const [profiles] = await pubsub
        .subscription(DEFAULT_TOPOLOGY.subscriptions.profileUpdater.name)
        .getMetadata();
      expect(profiles.enableMessageOrdering).toBe(true);
      expect(profiles.deadLetterPolicy).toMatchObject({
        deadLetterTopic: `projects/local-test/topics/${DEFAULT_TOPOLOGY.topics.deadLetters}`,
        maxDeliveryAttempts: 5,
      });
      expect(profiles.retryPolicy?.minimumBackoff?.seconds).toBe('10');
      const [deadLetters] = await pubsub
        .subscription(DEFAULT_TOPOLOGY.subscriptions.deadLetterArchiver.name)
        .getMetadata();
      expect(deadLetters.deadLetterPolicy).toBeNull();
    } finally {
      await pubsub.close();
    }
  });

  it('is idempotent: provisioning again changes nothing', async () => {
    await expect(
      provisionTopology(DEFAULT_TOPOLOGY, cloud),
    ).resolves.toBeUndefined();
    const [notifications] = await localStorageClient(cloud)
      .bucket(DEFAULT_TOPOLOGY.buckets.inbox)
      .getNotifications();
    expect(notifications).toHaveLength(1);
  });

  it('notifies the file-ingestor subscription of an upload to the inbox', async () => {
    const pubsub = localPubSubClient(cloud);
    const subscription = pubsub.subscription(
      DEFAULT_TOPOLOGY.subscriptions.fileIngestor.name,
    );
    try {
      const arrived = nextMessage(subscription);
      await localStorageClient(cloud)
        .bucket(DEFAULT_TOPOLOGY.buckets.inbox)
        .file('exports/adapty.csv')
        .save('profile_id,event_type,event_datetime\n');
      const message = await arrived;
      expect(message.attributes).toMatchObject({
        eventType: 'OBJECT_FINALIZE',
        bucketId: DEFAULT_TOPOLOGY.buckets.inbox,
        objectId: 'exports/adapty.csv',
        payloadFormat: 'JSON_API_V1',
      });
      expect(JSON.parse(message.data.toString())).toMatchObject({
        name: 'exports/adapty.csv',
        bucket: DEFAULT_TOPOLOGY.buckets.inbox,
        size: '37',
      });
    } finally {
      await subscription.close();
      await pubsub.close();
    }
  });
});
