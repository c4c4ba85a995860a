import { invalidArgument } from './api-error';
import { PUBSUB_DEFAULTS } from './defaults';
import { msToTimestamp } from './durations';
import type { PubsubMessage } from './protos';

/**
 * A published message, stored once however many subscriptions hold it.
 * `proto` is what every delivery sends, so nothing is copied per delivery.
 */
export interface StoredMessage {
  /** The numeric message id. */
  readonly number: number;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey: string;
  readonly publishedAtMs: number;
  /** Data, attribute and ordering key bytes, as flow control counts them. */
  readonly size: number;
  readonly proto: PubsubMessage;
  /** How many subscriptions still hold it. */
  refs: number;
}

export interface MessageContent {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey: string;
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

export const createStoredMessage = (
  number: number,
  content: MessageContent,
  publishedAtMs: number,
): StoredMessage => {
  let size = content.data.length + byteLength(content.orderingKey);
  for (const key in content.attributes) {
    size += byteLength(key) + byteLength(content.attributes[key]);
  }
  return {
    number,
    ...content,
    publishedAtMs,
    size,
    proto: {
      data: content.data,
      attributes: content.attributes,
      messageId: String(number),
      publishTime: msToTimestamp(publishedAtMs),
      orderingKey: content.orderingKey,
    },
    refs: 0,
  };
};

/** The content of the `index`th message of a Publish, checked as Google does. */
export const messageContent = (
  message: PubsubMessage,
  index: number,
): MessageContent => {
  const where = `message ${index}`;
  const data = message.data ?? Buffer.alloc(0);
  const attributes = message.attributes ?? {};
  const orderingKey = message.orderingKey ?? '';
  const keys = Object.keys(attributes);
  if (data.length === 0 && keys.length === 0) {
    throw invalidArgument(
      `${where}: a message needs non-empty data or at least one attribute`,
    );
  }
  if (keys.length > PUBSUB_DEFAULTS.maxAttributes) {
    throw invalidArgument(
      `${where}: at most ${PUBSUB_DEFAULTS.maxAttributes} attributes, found ${keys.length}`,
    );
  }
  for (const key of keys) {
    if (key.startsWith('goog')) {
      throw invalidArgument(`${where}: attribute ${JSON.stringify(key)} uses the reserved prefix "goog"`);
    }
    if (byteLength(key) > PUBSUB_DEFAULTS.maxAttributeKeyBytes) {
      throw invalidArgument(`${where}: attribute key ${JSON.stringify(key.slice(0, 32))}... exceeds ${PUBSUB_DEFAULTS.maxAttributeKeyBytes} bytes`);
    }
    if (byteLength(attributes[key]) > PUBSUB_DEFAULTS.maxAttributeValueBytes) {
      throw invalidArgument(`${where}: attribute ${JSON.stringify(key)} has a value over ${PUBSUB_DEFAULTS.maxAttributeValueBytes} bytes`);
    }
  }
  if (byteLength(orderingKey) > PUBSUB_DEFAULTS.maxOrderingKeyBytes) {
    throw invalidArgument(`${where}: ordering key exceeds ${PUBSUB_DEFAULTS.maxOrderingKeyBytes} bytes`);
  }
  return { data: Buffer.isBuffer(data) ? data : Buffer.from(data as Uint8Array), attributes, orderingKey };
};
