import { unsupported } from './api-error';
import { PUBSUB_DEFAULTS } from './defaults';
import { durationInRange, msToDuration } from './durations';
import { parseTopicName } from './resource-names';
import { applyUpdateMask } from './update-mask';
import type { Topic } from './protos';

export interface ResolvedTopic {
  /** What GetTopic returns. */
  resource: Topic;
  /** How long it asks subscriptions to keep messages, if set. */
  retentionMs: number | undefined;
}

/** A CreateTopic request checked and completed as Google does. */
export const resolveTopic = (request: Topic): ResolvedTopic => {
  const { name } = parseTopicName(request.name);
  if (request.schemaSettings?.schema) throw unsupported('Topic schemas');
  if (request.messageTransforms?.length) throw unsupported('Message transforms');
  const retentionMs = request.messageRetentionDuration
    ? durationInRange('message_retention_duration', request.messageRetentionDuration, {
        min: PUBSUB_DEFAULTS.minMessageRetentionMs,
        max: PUBSUB_DEFAULTS.maxMessageRetentionMs,
        fallback: PUBSUB_DEFAULTS.messageRetentionMs,
      })
    : undefined;
  return {
    resource: {
      name,
      labels: { ...request.labels },
      messageStoragePolicy: request.messageStoragePolicy ?? null,
      kmsKeyName: request.kmsKeyName ?? '',
      messageRetentionDuration:
        retentionMs === undefined ? null : msToDuration(retentionMs),
      state: 'ACTIVE',
    },
    retentionMs,
  };
};

const UPDATABLE: Record<string, keyof Topic> = {
  labels: 'labels',
  message_retention_duration: 'messageRetentionDuration',
  message_storage_policy: 'messageStoragePolicy',
  kms_key_name: 'kmsKeyName',
};

export const updateTopic = (
  current: Topic,
  patch: Topic,
  paths: readonly string[] | null | undefined,
): ResolvedTopic =>
  resolveTopic(applyUpdateMask('Topic', current, patch, paths, UPDATABLE));
