import type { PubSub, Topic } from '@google-cloud/pubsub';
import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { describeError } from './error-message';
import { resolveTopicName } from './pattern-resolution';
import { createPubSub } from './pubsub-connection';
import { PubSubRecord } from './pubsub.record';
import {
  PubSubClientOptions,
  resolveClientOptions,
  ResolvedClientOptions,
} from './pubsub-transport.options';

/**
 * JSON of the data; a Buffer is taken as JSON its producer already encoded
 * (a producer that measures its messages encodes them once, not twice).
 */
const encode = (data: unknown, topic: string): Buffer => {
  if (Buffer.isBuffer(data)) return data;
  const json = JSON.stringify(data);
  if (json === undefined) {
    throw new TypeError(
      `cannot publish to topic ${topic}: data is not JSON-serialisable`,
    );
  }
  return Buffer.from(json);
};

/**
 * Publishes events to Pub/Sub topics. `emit(topic, data)` sends `data` as
 * JSON (wrap it in a `PubSubRecord` to add attributes or an ordering key)
 * and completes, with the message id, once Pub/Sub has accepted it.
 * The topic is a topology key (`profileChanges`) or a topic name.
 */
export class PubSubClient extends ClientProxy {
  private readonly options: ResolvedClientOptions;
  private pubsub?: PubSub;
  private readonly topics = new Map<string, Topic>();

  constructor(options: PubSubClientOptions = {}) {
    super();
    this.options = resolveClientOptions(options);
  }

  async connect(): Promise<PubSub> {
    return this.client();
  }

  /** Waits for every pending publish, then closes the Google client. */
  async close(): Promise<void> {
    const pubsub = this.pubsub;
    if (!pubsub) return;
    this.pubsub = undefined;
    const topics = [...this.topics.values()];
    this.topics.clear();
    await Promise.all(topics.map((topic) => topic.flush()));
    await pubsub.close();
  }

  unwrap<T>(): T {
    if (!this.pubsub) {
      throw new Error(
        'PubSubClient is not connected: call connect() or emit() first',
      );
    }
    return this.pubsub as T;
  }

  /** Request-response is refused: this system is event-driven. */
  protected publish(
    packet: ReadPacket,
    callback: (packet: WritePacket) => void,
  ): () => void {
    callback({
      err: new Error(
        `PubSubClient does not support send() (pattern ${JSON.stringify(packet.pattern)}): ` +
          'Pub/Sub carries events, not requests; use emit()',
      ),
      isDisposed: true,
    });
    return () => undefined;
  }

  protected async dispatchEvent<T = string>(packet: ReadPacket): Promise<T> {
    const name = resolveTopicName(
      this.normalizePattern(packet.pattern),
      this.options.topology,
    );
    const record =
      packet.data instanceof PubSubRecord
        ? packet.data
        : new PubSubRecord(packet.data);
    const { attributes, orderingKey } = record.options;
    const data = encode(record.data, name);
    const topic = this.topic(name);
    try {
      const messageId = await topic.publishMessage({
        data,
        attributes,
        orderingKey,
      });
      return messageId as T;
    } catch (error) {
      // The client library's contract: after a failed publish with a key,
      // publishing on that key stays paused until resumed. The caller holds
      // this rejection and decides what to publish again.
      if (orderingKey) topic.resumePublishing(orderingKey);
      const key = orderingKey ? ` with ordering key ${orderingKey}` : '';
      throw new Error(
        `publish to topic ${name}${key} failed: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  private client(): PubSub {
    this.pubsub ??= createPubSub(this.options);
    return this.pubsub;
  }

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      // Ordering only changes how keyed messages are queued; unkeyed ones
      // are batched as usual, so one handle per topic serves both.
      topic = this.client().topic(name, {
        messageOrdering: true,
        batching: this.options.batching,
      });
      this.topics.set(name, topic);
    }
    return topic;
  }
}
