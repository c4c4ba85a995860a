import { createHash } from 'node:crypto';
import { DEAD_LETTER_ATTRIBUTES } from '@event-pipeline/pubsub-transport';
import {
  ErrorRecord,
  errorRecord,
  SourceFileRef,
  sourceFileUri,
} from '@event-pipeline/schema';

/** Attributes Pub/Sub adds when it forwards a message after its last attempt. */
const GOOGLE = {
  subscription: 'CloudPubSubDeadLetterSourceSubscription',
  deliveryCount: 'CloudPubSubDeadLetterSourceDeliveryCount',
  publishTime: 'CloudPubSubDeadLetterSourceTopicPublishTime',
} as const;

/** Attributes that change from one dead-lettering of a message to the next. */
const DELIVERY_ATTRIBUTES = new Set<string>([
  GOOGLE.deliveryCount,
  DEAD_LETTER_ATTRIBUTES.deliveryAttempt,
  DEAD_LETTER_ATTRIBUTES.messageId,
]);

export interface DeadLetter {
  /** The subscription the message could not be handled on. */
  subscription: string;
  /** Identifies the message, stable however often it is dead-lettered. */
  key: string;
  /** The source file the message belongs to, when it names one. */
  file: SourceFileRef | undefined;
  publishedAt: Date;
  /** The archive line: an error record plus the whole message, to replay it. */
  record: ErrorRecord & { dead_letter: Record<string, unknown> };
}

const isSourceFile = (value: unknown): value is SourceFileRef =>
  typeof value === 'object' &&
  value !== null &&
  ['bucket', 'name', 'generation'].every(
    (key) => typeof (value as Record<string, unknown>)[key] === 'string',
  );

/** Batches name their file; Cloud Storage notifications carry it in attributes. */
const sourceFileOf = (
  data: Buffer,
  attributes: Readonly<Record<string, string>>,
): SourceFileRef | undefined => {
  if (
    attributes['bucketId'] &&
    attributes['objectId'] &&
    attributes['objectGeneration']
  ) {
    return {
      bucket: attributes['bucketId'],
      name: attributes['objectId'],
      generation: attributes['objectGeneration'],
    };
  }
  try {
    const file = (JSON.parse(data.toString('utf8')) as { file?: unknown }).file;
    return isSourceFile(file) ? file : undefined;
  } catch {
    return undefined;
  }
};

const messageKey = (
  data: Buffer,
  attributes: Readonly<Record<string, string>>,
): string => {
  const hash = createHash('sha256').update(data);
  for (const name of Object.keys(attributes).sort()) {
    if (!DELIVERY_ATTRIBUTES.has(name))
      hash.update(`\0${name}\0${attributes[name]}`);
  }
  return hash.digest('hex').slice(0, 32);
};

const describeCause = (
  attributes: Readonly<Record<string, string>>,
): string => {
  const reason = attributes[DEAD_LETTER_ATTRIBUTES.reason];
  if (reason) {
    return `was refused (${reason}): ${attributes[DEAD_LETTER_ATTRIBUTES.errors] ?? 'no details'}`;
  }
  const attempts = attributes[GOOGLE.deliveryCount];
  return `failed ${attempts ? `${attempts} delivery attempts` : 'every delivery attempt'}; see the service's logs for the cause`;
};

/**
 * Reads a message from the dead-letters topic: where it came from, which
 * file it belongs to, and the record to archive, which keeps the message
 * whole (base64 data and attributes) so that it can be published again.
 */
export const readDeadLetter = (
  data: Buffer,
  attributes: Readonly<Record<string, string>>,
  receivedPublishTime: Date,
): DeadLetter => {
  const subscription = (
    attributes[GOOGLE.subscription] ??
    attributes[DEAD_LETTER_ATTRIBUTES.subscription] ??
    'unknown-subscription'
  ).replace(/^projects\/[^/]+\/subscriptions\//, '');
  const published =
    attributes[GOOGLE.publishTime] ??
    attributes[DEAD_LETTER_ATTRIBUTES.publishTime];
  const publishedAt =
    published && !Number.isNaN(Date.parse(published))
      ? new Date(published)
      : receivedPublishTime;
  const file = sourceFileOf(data, attributes);
  return {
    subscription,
    key: messageKey(data, attributes),
    file,
    publishedAt,
    record: {
      ...errorRecord({
        source_file: file ? sourceFileUri(file) : '',
        location: {},
        code: 'DEAD_LETTERED',
        message: `A message on subscription ${subscription} ${describeCause(attributes)}`,
        raw: data.toString('utf8'),
      }),
      dead_letter: {
        subscription,
        attributes,
        data_base64: data.toString('base64'),
        published_at: publishedAt.toISOString(),
      },
    },
  };
};
