import type { PubSub } from '@google-cloud/pubsub';
import type { Storage } from '@google-cloud/storage';
import { SubscriptionSpec, Topology } from '@event-pipeline/schema';
import {
  LocalEndpoints,
  localPubSubClient,
  localStorageClient,
} from './google-clients';

const ALREADY_EXISTS_GRPC = 6;
const CONFLICT_HTTP = 409;

/** Runs a create call, treating "already exists" as success: provisioning is idempotent. */
const ensure = async (create: () => Promise<unknown>): Promise<void> => {
  try {
    await create();
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code !== ALREADY_EXISTS_GRPC && code !== CONFLICT_HTTP) throw error;
  }
};

const seconds = (value: number) => ({ seconds: value });

const subscriptionOptions = (
  spec: SubscriptionSpec,
  topology: Topology,
  projectId: string,
) => ({
  ackDeadlineSeconds: spec.ackDeadlineSeconds,
  enableMessageOrdering: spec.enableMessageOrdering,
  retryPolicy: {
    minimumBackoff: seconds(spec.retryPolicy.minimumBackoffSeconds),
    maximumBackoff: seconds(spec.retryPolicy.maximumBackoffSeconds),
  },
  ...(spec.deadLetterPolicy && {
    deadLetterPolicy: {
      deadLetterTopic: `projects/${projectId}/topics/${topology.topics[spec.deadLetterPolicy.topic]}`,
      maxDeliveryAttempts: spec.deadLetterPolicy.maxDeliveryAttempts,
    },
  }),
});

const provisionPubSub = async (
  pubsub: PubSub,
  topology: Topology,
  projectId: string,
) => {
  await Promise.all(
    Object.values(topology.topics).map((name) =>
      ensure(() => pubsub.createTopic(name)),
    ),
  );
  await Promise.all(
    Object.values(topology.subscriptions).map((spec) =>
      ensure(() =>
        pubsub
          .topic(topology.topics[spec.topic])
          .createSubscription(
            spec.name,
            subscriptionOptions(spec, topology, projectId),
          ),
      ),
    ),
  );
};

const provisionStorage = async (storage: Storage, topology: Topology) => {
  await Promise.all(
    Object.values(topology.buckets).map((name) =>
      ensure(() => storage.createBucket(name)),
    ),
  );
  const inbox = storage.bucket(topology.buckets.inbox);
  const topic = topology.topics[topology.notification.topic];
  const [existing] = await inbox.getNotifications();
  const alreadyNotifies = existing.some((notification) =>
    String(notification.metadata.topic ?? '').endsWith(`/topics/${topic}`),
  );
  if (!alreadyNotifies) {
    await inbox.createNotification(topic, {
      eventTypes: [...topology.notification.eventTypes],
      payloadFormat: topology.notification.payloadFormat,
      ...(topology.inboxPrefix && { objectNamePrefix: topology.inboxPrefix }),
    });
  }
};

/**
 * Creates every topic, subscription (with its dead-letter and retry policies
 * and ordering), bucket and the inbox notification of the topology, through
 * the official clients. Running it again changes nothing.
 */
export const provisionTopology = async (
  topology: Topology,
  endpoints: LocalEndpoints,
): Promise<void> => {
  const pubsub = localPubSubClient(endpoints);
  try {
    await provisionPubSub(pubsub, topology, endpoints.projectId);
    await provisionStorage(localStorageClient(endpoints), topology);
  } finally {
    await pubsub.close();
  }
};
