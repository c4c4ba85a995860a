import type { Message } from '@google-cloud/pubsub';

/**
 * Attributes added to a message the transport dead-letters itself (one that
 * can never be handled), next to the message's own attributes, so that the
 * dead-letter consumer can tell where it came from and why.
 */
export const DEAD_LETTER_ATTRIBUTES = Object.freeze({
  subscription: 'deadLetterSourceSubscription',
  messageId: 'deadLetterSourceMessageId',
  publishTime: 'deadLetterSourcePublishTime',
  deliveryAttempt: 'deadLetterDeliveryAttempt',
  reason: 'deadLetterReason',
  /** A JSON array of strings, shortened to fit an attribute value. */
  errors: 'deadLetterErrors',
});

export const INVALID_MESSAGE_REASON = 'invalid-message';

/** Pub/Sub rejects a publish whose attribute values exceed 1024 bytes. */
const MAX_ATTRIBUTE_VALUE_BYTES = 1024;
const MAX_ERROR_CHARS = 300;
/** Room kept for the `,"… and N more"` entry. */
const OMISSION_RESERVE_BYTES = 32;

const clip = (error: string): string =>
  error.length > MAX_ERROR_CHARS
    ? `${error.slice(0, MAX_ERROR_CHARS)}…`
    : error;

/** The errors as a JSON array that fits in one attribute value. */
export const errorsAttribute = (
  errors: readonly string[],
  maxBytes = MAX_ATTRIBUTE_VALUE_BYTES,
): string => {
  const shown: string[] = [];
  let bytes = 2;
  for (const error of errors.map(clip)) {
    const entryBytes =
      Buffer.byteLength(JSON.stringify(error)) + (shown.length ? 1 : 0);
    if (bytes + entryBytes + OMISSION_RESERVE_BYTES > maxBytes) break;
    shown.push(error);
    bytes += entryBytes;
  }
  const omitted = errors.length - shown.length;
  return JSON.stringify(omitted ? [...shown, `… and ${omitted} more`] : shown);
};

/** The message to publish to the dead-letter topic for an invalid message. */
export const invalidMessageDeadLetter = (
  message: Pick<
    Message,
    'data' | 'attributes' | 'id' | 'publishTime' | 'deliveryAttempt'
  >,
  subscription: string,
  errors: readonly string[],
): { data: Buffer; attributes: Record<string, string> } => ({
  data: message.data,
  attributes: {
    ...message.attributes,
    [DEAD_LETTER_ATTRIBUTES.subscription]: subscription,
    [DEAD_LETTER_ATTRIBUTES.messageId]: message.id,
    [DEAD_LETTER_ATTRIBUTES.publishTime]: message.publishTime.toISOString(),
    [DEAD_LETTER_ATTRIBUTES.deliveryAttempt]: String(message.deliveryAttempt),
    [DEAD_LETTER_ATTRIBUTES.reason]: INVALID_MESSAGE_REASON,
    [DEAD_LETTER_ATTRIBUTES.errors]: errorsAttribute(errors),
  },
});
