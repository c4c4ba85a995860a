import {
  notificationApplies,
  notificationConfigName,
  topicPath,
  type NotificationConfig,
} from './notification-configs';
import { toObjectResource } from './object-record';
import type { StorageEvent } from './object-store';

/** One Pub/Sub message to publish for a bucket's notification config. */
export interface OutgoingNotification {
  /** `projects/<project>/topics/<topic>` */
  topic: string;
  /** The object resource as JSON for JSON_API_V1, empty for NONE. */
  data: string;
  attributes: Record<string, string>;
}

const eventTime = (event: StorageEvent, now: Date): string => {
  if (event.type === 'OBJECT_FINALIZE') return event.object.timeCreated;
  if (event.type === 'OBJECT_METADATA_UPDATE') return event.object.updated;
  return now.toISOString();
};

/**
 * The messages Google would publish for an object event: one per config
 * whose event types and object name prefix match, with the attributes
 * Google sets and the config's custom attributes.
 */
export const notificationsFor = (
  event: StorageEvent,
  configs: readonly NotificationConfig[],
  baseUrl: string,
  now = new Date(),
): OutgoingNotification[] => {
  const { object } = event;
  const applicable = configs.filter((config) =>
    notificationApplies(config, event.type, object.name),
  );
  if (applicable.length === 0) return [];
  const resource = JSON.stringify(toObjectResource(object, baseUrl));
  return applicable.map((config) => ({
    topic: topicPath(config),
    data: config.payload_format === 'JSON_API_V1' ? resource : '',
    attributes: {
      ...config.custom_attributes,
      notificationConfig: notificationConfigName(object.bucket, config.id),
      eventType: event.type,
      payloadFormat: config.payload_format,
      bucketId: object.bucket,
      objectId: object.name,
      objectGeneration: object.generation,
      eventTime: eventTime(event, now),
      ...(event.type === 'OBJECT_FINALIZE' && event.overwroteGeneration
        ? { overwroteGeneration: event.overwroteGeneration }
        : {}),
      ...(event.type === 'OBJECT_DELETE' && event.overwrittenByGeneration
        ? { overwrittenByGeneration: event.overwrittenByGeneration }
        : {}),
    },
  }));
};
