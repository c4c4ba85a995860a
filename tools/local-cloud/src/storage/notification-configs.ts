import { badRequest } from './api-error';

export const EVENT_TYPES = [
  'OBJECT_FINALIZE',
  'OBJECT_METADATA_UPDATE',
  'OBJECT_DELETE',
  'OBJECT_ARCHIVE',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const PAYLOAD_FORMATS = ['JSON_API_V1', 'NONE'] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

/** A bucket's notification config, with the JSON API's snake_case field names. */
export interface NotificationConfig {
  id: string;
  /** `//pubsub.googleapis.com/projects/<project>/topics/<topic>` */
  topic: string;
  payload_format: PayloadFormat;
  /** Empty or absent: every event type. */
  event_types?: EventType[];
  object_name_prefix?: string;
  custom_attributes?: Record<string, string>;
}

const TOPIC =
  /^(?:\/\/pubsub\.googleapis\.com\/)?(projects\/[^/]+\/topics\/[^/]+)$/;

/** `projects/<project>/topics/<topic>`, the name the Pub/Sub client takes. */
export const topicPath = (config: NotificationConfig): string =>
  (TOPIC.exec(config.topic) as RegExpExecArray)[1];

/** `projects/_/buckets/<bucket>/notificationConfigs/<id>`, as in the attribute Google sets. */
export const notificationConfigName = (bucket: string, id: string): string =>
  `projects/_/buckets/${bucket}/notificationConfigs/${id}`;

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Validates a notificationConfigs.insert body; the id is assigned by the caller. */
export const parseNotificationConfig = (
  body: unknown,
  id: string,
): NotificationConfig => {
  const input = (
    typeof body === 'object' && body !== null ? body : {}
  ) as Record<string, unknown>;
  const topic = input['topic'];
  const match = typeof topic === 'string' ? TOPIC.exec(topic) : null;
  if (!match) {
    throw badRequest(
      `Invalid topic ${JSON.stringify(topic)}: expected //pubsub.googleapis.com/projects/<project>/topics/<topic>.`,
    );
  }
  const payloadFormat = input['payload_format'] ?? 'JSON_API_V1';
  if (!PAYLOAD_FORMATS.includes(payloadFormat as PayloadFormat)) {
    throw badRequest(
      `Invalid payload_format ${JSON.stringify(payloadFormat)}: expected one of ${PAYLOAD_FORMATS.join(', ')}.`,
    );
  }
  const eventTypes = input['event_types'];
  if (
    eventTypes !== undefined &&
    !(
      isStringArray(eventTypes) &&
      eventTypes.every((type) => EVENT_TYPES.includes(type as EventType))
    )
  ) {
    throw badRequest(
      `Invalid event_types ${JSON.stringify(eventTypes)}: expected a list of ${EVENT_TYPES.join(', ')}.`,
    );
  }
  const prefix = input['object_name_prefix'];
  if (prefix !== undefined && typeof prefix !== 'string') {
    throw badRequest('Invalid object_name_prefix: expected a string.');
  }
  const customAttributes = input['custom_attributes'];
  if (
    customAttributes !== undefined &&
    (typeof customAttributes !== 'object' ||
      customAttributes === null ||
      !Object.values(customAttributes).every((v) => typeof v === 'string'))
  ) {
    throw badRequest(
      'Invalid custom_attributes: expected an object of strings.',
    );
  }
  return {
    id,
    topic: `//pubsub.googleapis.com/${match[1]}`,
    payload_format: payloadFormat as PayloadFormat,
    ...(eventTypes?.length ? { event_types: eventTypes as EventType[] } : {}),
    ...(prefix ? { object_name_prefix: prefix } : {}),
    ...(customAttributes
      ? { custom_attributes: customAttributes as Record<string, string> }
      : {}),
  };
};

export const toNotificationResource = (
  bucket: string,
  config: NotificationConfig,
  baseUrl: string,
) => ({
  kind: 'storage#notification',
  selfLink: `${baseUrl}/storage/v1/b/${encodeURIComponent(bucket)}/notificationConfigs/${config.id}`,
  etag: config.id,
  ...config,
});

/** Whether an event on `objectName` goes out through `config`. */
export const notificationApplies = (
  config: NotificationConfig,
  eventType: EventType,
  objectName: string,
): boolean =>
  (!config.event_types || config.event_types.includes(eventType)) &&
  objectName.startsWith(config.object_name_prefix ?? '');
