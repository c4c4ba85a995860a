import type { ClientConfig, PubSub, Topic } from '@google-cloud/pubsub';
import type { OutgoingNotification } from './notifications';

export interface NotificationPublisher {
  publish(notification: OutgoingNotification): Promise<void>;
  close(): Promise<void>;
}

export interface PubSubPublisherOptions {
  /** `host:port` of a Pub/Sub emulator; never a Google endpoint. */
  endpoint: string;
  projectId: string;
  /** One attempt's deadline; retrying is the caller's job. */
  timeoutMs: number;
}

/**
 * Publishes through the official client, loaded on first use so that
 * starting the emulator stays fast when no bucket has notifications.
 */
export const createPubSubPublisher = (
  options: PubSubPublisherOptions,
): NotificationPublisher => {
  let client: Promise<PubSub> | undefined;
  const topics = new Map<string, Topic>();

  const connect = async (): Promise<PubSub> => {
    const { PubSub } = await import('@google-cloud/pubsub');
    const config: ClientConfig = Object.assign(
      {
        projectId: options.projectId,
        apiEndpoint: options.endpoint,
        emulatorMode: true,
      },
      // gRPC waits up to two minutes between reconnects by default; a local
      // emulator that comes back should be used again within seconds.
      { 'grpc.max_reconnect_backoff_ms': 2_000 },
    );
    return new PubSub(config);
  };

  const topicFor = async (name: string): Promise<Topic> => {
    client ??= connect();
    const pubsub = await client;
    let topic = topics.get(name);
    if (!topic) {
      topic = pubsub.topic(name, {
        gaxOpts: { timeout: options.timeoutMs, retry: null },
        batching: { maxMilliseconds: 5 },
      });
      topics.set(name, topic);
    }
    return topic;
  };

  return {
    publish: async ({ topic, data, attributes }) => {
      await (
        await topicFor(topic)
      ).publishMessage({ data: Buffer.from(data), attributes });
    },
    close: async () => {
      if (!client) return;
      await Promise.allSettled(
        [...topics.values()].map((topic) => topic.flush()),
      );
      await (await client).close();
    },
  };
};
