import { integerFromEnv } from './env-integers';

/**
 * Names and policies of every topic, subscription and bucket: the one place
 * the code, the local emulators and the infrastructure definitions read them
 * from. Defaults can be overridden through the environment (see
 * `resolveTopology`).
 */

export interface RetryPolicy {
  minimumBackoffSeconds: number;
  maximumBackoffSeconds: number;
}

export interface DeadLetterPolicy {
  /** Topic key in `Topology.topics`. */
  topic: TopicKey;
  maxDeliveryAttempts: number;
}

export interface SubscriptionSpec {
  name: string;
  /** Topic key in `Topology.topics`. */
  topic: TopicKey;
  ackDeadlineSeconds: number;
  enableMessageOrdering: boolean;
  retryPolicy: RetryPolicy;
  /** Absent only on the dead-letter subscription itself, to avoid a loop. */
  deadLetterPolicy?: DeadLetterPolicy;
}

export const TOPIC_KEYS = [
  'gcsNotifications',
  'unifiedEvents',
  'profileChanges',
  'ingestErrors',
  'fileManifests',
  'deadLetters',
] as const;
export type TopicKey = (typeof TOPIC_KEYS)[number];

export const SUBSCRIPTION_KEYS = [
  'fileIngestor',
  'eventStreamer',
  'fileManifests',
  'profileUpdater',
  'errorArchiver',
  'deadLetterArchiver',
] as const;
export type SubscriptionKey = (typeof SUBSCRIPTION_KEYS)[number];

export interface Topology {
  topics: Record<TopicKey, string>;
  subscriptions: Record<SubscriptionKey, SubscriptionSpec>;
  buckets: { inbox: string; errors: string };
  /** Only objects under this prefix of the inbox bucket are ingested. */
  inboxPrefix: string;
  /** The inbox bucket's Pub/Sub notification. */
  notification: {
    topic: TopicKey;
    eventTypes: readonly string[];
    payloadFormat: 'JSON_API_V1';
  };
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  minimumBackoffSeconds: 10,
  maximumBackoffSeconds: 600,
});

export const DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;

const subscription = (
  name: string,
  topic: TopicKey,
  options: Partial<Omit<SubscriptionSpec, 'name' | 'topic'>> = {},
): SubscriptionSpec => ({
  name,
  topic,
  ackDeadlineSeconds: 60,
  enableMessageOrdering: false,
  retryPolicy: { ...DEFAULT_RETRY_POLICY },
  deadLetterPolicy: {
    topic: 'deadLetters',
    maxDeliveryAttempts: DEFAULT_MAX_DELIVERY_ATTEMPTS,
  },
  ...options,
});

export const DEFAULT_TOPOLOGY: Readonly<Topology> = Object.freeze<Topology>({
  topics: {
    gcsNotifications: 'gcs-notifications',
    unifiedEvents: 'unified-events',
    profileChanges: 'profile-changes',
    ingestErrors: 'ingest-errors',
    fileManifests: 'file-manifests',
    deadLetters: 'dead-letters',
  },
  subscriptions: {
    fileIngestor: subscription('file-ingestor', 'gcsNotifications', {
      ackDeadlineSeconds: 600,
    }),
    eventStreamer: subscription('event-streamer', 'unifiedEvents'),
    fileManifests: subscription(
      'event-streamer-file-manifests',
      'fileManifests',
    ),
    profileUpdater: subscription('profile-updater', 'profileChanges', {
      enableMessageOrdering: true,
    }),
    errorArchiver: subscription('error-archiver', 'ingestErrors'),
    deadLetterArchiver: subscription(
      'error-archiver-dead-letters',
      'deadLetters',
      {
        deadLetterPolicy: undefined,
      },
    ),
  },
  buckets: { inbox: 'event-inbox', errors: 'event-errors' },
  inboxPrefix: '',
  notification: {
    topic: 'gcsNotifications',
    eventTypes: ['OBJECT_FINALIZE'],
    payloadFormat: 'JSON_API_V1',
  },
});

/** SCREAMING_SNAKE_CASE of a camelCase key: `gcsNotifications` → `GCS_NOTIFICATIONS`. */
const envName = (key: string) => key.replace(/([A-Z])/g, '_$1').toUpperCase();

const positiveInteger = (
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number =>
  integerFromEnv(env, name, fallback, {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    takes: 'a positive integer',
  });

/**
 * The topology with environment overrides: `TOPIC_<KEY>` and
 * `SUBSCRIPTION_<KEY>` rename a topic or subscription (for example
 * `TOPIC_UNIFIED_EVENTS`), `INBOX_BUCKET`, `ERRORS_BUCKET` and `INBOX_PREFIX`
 * set the buckets, and `MAX_DELIVERY_ATTEMPTS`, `RETRY_MIN_BACKOFF_SECONDS`
 * and `RETRY_MAX_BACKOFF_SECONDS` tune every subscription's policies.
 */
export const resolveTopology = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): Topology => {
  const base = DEFAULT_TOPOLOGY;
  const topics = Object.fromEntries(
    TOPIC_KEYS.map((key) => [
      key,
      env[`TOPIC_${envName(key)}`] || base.topics[key],
    ]),
  ) as Record<TopicKey, string>;
  const retryPolicy: RetryPolicy = {
    minimumBackoffSeconds: positiveInteger(
      env,
      'RETRY_MIN_BACKOFF_SECONDS',
      DEFAULT_RETRY_POLICY.minimumBackoffSeconds,
    ),
    maximumBackoffSeconds: positiveInteger(
      env,
      'RETRY_MAX_BACKOFF_SECONDS',
      DEFAULT_RETRY_POLICY.maximumBackoffSeconds,
    ),
  };
  const maxDeliveryAttempts = positiveInteger(
    env,
    'MAX_DELIVERY_ATTEMPTS',
    DEFAULT_MAX_DELIVERY_ATTEMPTS,
  );
  const subscriptions = Object.fromEntries(
    SUBSCRIPTION_KEYS.map((key) => {
      const spec = base.subscriptions[key];
      return [
        key,
        {
          ...spec,
          name: env[`SUBSCRIPTION_${envName(key)}`] || spec.name,
          retryPolicy,
          deadLetterPolicy: spec.deadLetterPolicy && {
            ...spec.deadLetterPolicy,
            maxDeliveryAttempts,
          },
        },
      ];
    }),
  ) as Record<SubscriptionKey, SubscriptionSpec>;
  return {
    topics,
    subscriptions,
    buckets: {
      inbox: env['INBOX_BUCKET'] || base.buckets.inbox,
      errors: env['ERRORS_BUCKET'] || base.buckets.errors,
    },
    inboxPrefix: env['INBOX_PREFIX'] ?? base.inboxPrefix,
    notification: base.notification,
  };
};
