import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import type { Bucket, Notification } from '@google-cloud/storage';
import { createLogger } from '../../src/shared/logger';
import { startPubSubEmulator, type PubSubEmulator } from '../../src/pubsub';
import type { StorageEmulatorOptions } from '../../src/storage';
import { count, receive, within } from '../pubsub/pubsub-test-env';
import {
  PROJECT,
  startStorageTestEnv,
  uniqueName,
  type StorageTestEnv,
} from './storage-test-env';

export const pubsubLogger = () =>
  createLogger({ scope: 'pubsub', level: 'warn' });

export const pubsubClient = (emulator: PubSubEmulator) =>
  new PubSub({
    projectId: PROJECT,
    apiEndpoint: emulator.endpoint,
    emulatorMode: true,
  });

export interface NotifyingBucket {
  bucket: Bucket;
  notification: Notification;
  /** `projects/<project>/topics/<topic>` */
  topicName: string;
  /** Attached to the topic before the config existed, so it sees every notification. */
  subscription: Subscription;
}

export interface NotificationTestEnv extends StorageTestEnv {
  pubsubEmulator: PubSubEmulator;
  pubsub: PubSub;
  /** A fresh bucket notifying a fresh topic. */
  notifyingBucket(options?: object): Promise<NotifyingBucket>;
}

/** A Cloud Storage emulator that notifies a Pub/Sub emulator, both on free ports. */
export const startNotificationTestEnv = async (
  options: StorageEmulatorOptions = {},
): Promise<NotificationTestEnv> => {
  const pubsubEmulator = await startPubSubEmulator({
    port: 0,
    logger: pubsubLogger(),
  });
  const pubsub = pubsubClient(pubsubEmulator);
  const env = await startStorageTestEnv({
    pubsubEndpoint: pubsubEmulator.endpoint,
    projectId: PROJECT,
    ...options,
  });
  const stopStorage = env.stop;
  return Object.assign(env, {
    pubsubEmulator,
    pubsub,
    notifyingBucket: async (config: object = {}) => {
      const [topic] = await pubsub.createTopic(uniqueName('gcs-notifications'));
      const [subscription] = await topic.createSubscription(
        uniqueName('file-ingestor'),
      );
      const bucket = await env.newBucket('inbox');
      const [notification] = await bucket.createNotification(
        topic.name.slice(topic.name.lastIndexOf('/') + 1),
        config,
      );
      return { bucket, notification, topicName: topic.name, subscription };
    },
    stop: async () => {
      await stopStorage();
      await pubsub.close();
      await pubsubEmulator.stop();
    },
  });
};

/** The first `n` messages of a subscription, which is closed afterwards. */
export const nextMessages = async (subscription: Subscription, n: number) => {
  const received = await within(
    10_000,
    `${n} notification(s)`,
    receive(subscription, count(n)),
  );
  await subscription.close();
  return received;
};

/** Messages up to and including the first that `last` accepts. */
export const messagesUntil = async (
  subscription: Subscription,
  what: string,
  last: (message: Message) => boolean,
) => {
  const received = await within(
    10_000,
    what,
    receive(subscription, (all) => all.some(last)),
  );
  await subscription.close();
  return received;
};

export const payloadOf = (message: Message) =>
  JSON.parse(message.data.toString('utf8'));
