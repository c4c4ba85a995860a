import { invalidArgument, unsupported } from './api-error';
import { PUBSUB_DEFAULTS } from './defaults';
import { durationInRange, msToDuration } from './durations';
import { parseSubscriptionName, parseTopicName } from './resource-names';
import type { RetryBackoff } from './retry-backoff';
import { applyUpdateMask } from './update-mask';
import type { DeadLetterPolicy, RetryPolicy, Subscription } from './protos';

export interface DeadLetterSettings {
  topic: string;
  maxDeliveryAttempts: number;
}

/** What the delivery logic needs, in milliseconds. */
export interface SubscriptionSettings {
  name: string;
  topic: string;
  ackDeadlineMs: number;
  retentionMs: number;
  ordered: boolean;
  retry: RetryBackoff | undefined;
  deadLetter: DeadLetterSettings | undefined;
}

export interface ResolvedSubscription {
  /** What GetSubscription returns, defaults filled in. */
  resource: Subscription;
  settings: SubscriptionSettings;
}

const rejectUnsupported = (request: Subscription) => {
  if (request.pushConfig?.pushEndpoint) throw unsupported('Push delivery');
  if (request.bigqueryConfig?.table) throw unsupported('BigQuery subscriptions');
  if (request.cloudStorageConfig?.bucket) throw unsupported('Cloud Storage subscriptions');
  if (request.bigtableConfig?.table) throw unsupported('Bigtable subscriptions');
  if (request.filter) throw unsupported('Subscription filters');
  if (request.enableExactlyOnceDelivery) throw unsupported('Exactly-once delivery');
  if (request.messageTransforms?.length) throw unsupported('Message transforms');
};

const ackDeadlineSeconds = (value: number | null | undefined): number => {
  const seconds = value || PUBSUB_DEFAULTS.ackDeadlineSeconds;
  const { minAckDeadlineSeconds: min, maxAckDeadlineSeconds: max } = PUBSUB_DEFAULTS;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw invalidArgument(`ack_deadline_seconds must be between ${min} and ${max}, found ${seconds}`);
  }
  return seconds;
};

const retryPolicy = (policy: RetryPolicy | null | undefined) => {
  if (!policy) return undefined;
  const range = { min: 0, max: PUBSUB_DEFAULTS.maxBackoffMs };
  const minimumMs = durationInRange('retry_policy.minimum_backoff', policy.minimumBackoff, {
    ...range,
    fallback: PUBSUB_DEFAULTS.retryMinimumBackoffMs,
  });
  const maximumMs = durationInRange('retry_policy.maximum_backoff', policy.maximumBackoff, {
    ...range,
    fallback: PUBSUB_DEFAULTS.retryMaximumBackoffMs,
  });
  if (minimumMs > maximumMs) {
    throw invalidArgument(
      `retry_policy.minimum_backoff (${minimumMs / 1000}s) exceeds maximum_backoff (${maximumMs / 1000}s)`,
    );
  }
  return { minimumMs, maximumMs };
};

const deadLetterPolicy = (
  policy: DeadLetterPolicy | null | undefined,
): DeadLetterSettings | undefined => {
  if (!policy?.deadLetterTopic) return undefined;
  const topic = parseTopicName(policy.deadLetterTopic, 'dead_letter_policy.dead_letter_topic').name;
  const attempts = policy.maxDeliveryAttempts || PUBSUB_DEFAULTS.maxDeliveryAttempts;
  const { minMaxDeliveryAttempts: min, maxMaxDeliveryAttempts: max } = PUBSUB_DEFAULTS;
  if (!Number.isInteger(attempts) || attempts < min || attempts > max) {
    throw invalidArgument(
      `dead_letter_policy.max_delivery_attempts must be between ${min} and ${max}, found ${attempts}`,
    );
  }
  return { topic, maxDeliveryAttempts: attempts };
};

/** A CreateSubscription request checked and completed as Google does. */
export const resolveSubscription = (request: Subscription): ResolvedSubscription => {
  const { name } = parseSubscriptionName(request.name);
  const topic = parseTopicName(request.topic).name;
  rejectUnsupported(request);
  const deadline = ackDeadlineSeconds(request.ackDeadlineSeconds);
  const retentionMs = durationInRange('message_retention_duration', request.messageRetentionDuration, {
    min: PUBSUB_DEFAULTS.minMessageRetentionMs,
    max: PUBSUB_DEFAULTS.maxMessageRetentionMs,
    fallback: PUBSUB_DEFAULTS.messageRetentionMs,
  });
  const retry = retryPolicy(request.retryPolicy);
  const deadLetter = deadLetterPolicy(request.deadLetterPolicy);
  const ordered = Boolean(request.enableMessageOrdering);
  return {
    resource: {
      name,
      topic,
      pushConfig: {},
      ackDeadlineSeconds: deadline,
      retainAckedMessages: Boolean(request.retainAckedMessages),
      messageRetentionDuration: msToDuration(retentionMs),
      labels: { ...request.labels },
      enableMessageOrdering: ordered,
      expirationPolicy: request.expirationPolicy ?? null,
      filter: '',
      deadLetterPolicy: deadLetter
        ? { deadLetterTopic: deadLetter.topic, maxDeliveryAttempts: deadLetter.maxDeliveryAttempts }
        : null,
      retryPolicy: retry
        ? { minimumBackoff: msToDuration(retry.minimumMs), maximumBackoff: msToDuration(retry.maximumMs) }
        : null,
      detached: false,
      enableExactlyOnceDelivery: false,
      state: 'ACTIVE',
    },
    settings: {
      name,
      topic,
      ackDeadlineMs: deadline * 1000,
      retentionMs,
      ordered,
      retry,
      deadLetter,
    },
  };
};

const UPDATABLE: Record<string, keyof Subscription> = {
  ack_deadline_seconds: 'ackDeadlineSeconds',
  retry_policy: 'retryPolicy',
  dead_letter_policy: 'deadLetterPolicy',
  labels: 'labels',
  message_retention_duration: 'messageRetentionDuration',
  retain_acked_messages: 'retainAckedMessages',
  expiration_policy: 'expirationPolicy',
  push_config: 'pushConfig',
};

export const updateSubscription = (
  current: Subscription,
  patch: Subscription,
  paths: readonly string[] | null | undefined,
): ResolvedSubscription =>
  resolveSubscription(applyUpdateMask('Subscription', current, patch, paths, UPDATABLE));
