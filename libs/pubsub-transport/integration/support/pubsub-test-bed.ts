import {
  resolveTopology,
  SUBSCRIPTION_KEYS,
  SubscriptionKey,
  TOPIC_KEYS,
  Topology,
} from '@event-pipeline/schema';
import { Message, PubSub, v1 } from '@google-cloud/pubsub';
import { startPubSubEmulator } from '@event-pipeline/local-cloud';
import { createPubSub } from '../../src/lib/pubsub-connection';
import { Observed } from './wait';

type Emulator = Awaited<ReturnType<typeof startPubSubEmulator>>;

const PROJECT_ID = 'pubsub-transport-it';

const envName = (key: string) => key.replace(/([A-Z])/g, '_$1').toUpperCase();

/** Collects what arrives on a subscription, through the official client. */
export class Collector extends Observed {
  readonly messages: Message[] = [];

  constructor(
    private readonly subscription: ReturnType<PubSub['subscription']>,
  ) {
    super();
    subscription.on('message', (message: Message) => {
      message.ack();
      this.messages.push(message);
      this.changed();
    });
  }

  close(): Promise<void> {
    return this.subscription.close();
  }
}

/**
 * The project's Pub/Sub emulator on a free port, an admin client for it,
 * and a fresh topology per test so tests never see each other's messages.
 */
export class PubSubTestBed {
  private topologies = 0;

  private constructor(
    private readonly emulator: Emulator,
    readonly admin: PubSub,
  ) {}

  static async start(): Promise<PubSubTestBed> {
    const emulator = await startPubSubEmulator({ port: 0 });
    const admin = createPubSub({
      projectId: PROJECT_ID,
      emulatorHost: emulator.endpoint,
    });
    return new PubSubTestBed(emulator, admin);
  }

  /** What the transport's options need to reach the emulator. */
  get connection() {
    return { projectId: PROJECT_ID, emulatorHost: this.emulator.endpoint };
  }

  /** The default topology with every topic and subscription name made unique. */
  topology(): Topology {
    const suffix = `-t${++this.topologies}`;
    const base = resolveTopology({});
    return resolveTopology({
      ...Object.fromEntries(
        TOPIC_KEYS.map((key) => [
          `TOPIC_${envName(key)}`,
          `${base.topics[key]}${suffix}`,
        ]),
      ),
      ...Object.fromEntries(
        SUBSCRIPTION_KEYS.map((key) => [
          `SUBSCRIPTION_${envName(key)}`,
          `${base.subscriptions[key].name}${suffix}`,
        ]),
      ),
    });
  }

  /**
   * Creates every topic of the topology and the given subscriptions as it
   * defines them, but with a 100 ms retry backoff, and without dead-letter
   * policy for those listed in `withoutDeadLetter`.
   */
  async provision(
    topology: Topology,
    subscriptions: SubscriptionKey[],
    withoutDeadLetter: SubscriptionKey[] = [],
  ): Promise<void> {
    await Promise.all(
      Object.values(topology.topics).map((topic) =>
        this.admin.createTopic(topic),
      ),
    );
    const backoff = { seconds: 0, nanos: 100_000_000 };
    for (const key of subscriptions) {
      const spec = topology.subscriptions[key];
      const deadLetter = withoutDeadLetter.includes(key)
        ? undefined
        : spec.deadLetterPolicy;
      await this.admin
        .topic(topology.topics[spec.topic])
        .createSubscription(spec.name, {
          ackDeadlineSeconds: spec.ackDeadlineSeconds,
          enableMessageOrdering: spec.enableMessageOrdering,
          retryPolicy: { minimumBackoff: backoff, maximumBackoff: backoff },
          deadLetterPolicy: deadLetter && {
            deadLetterTopic: this.admin.topic(topology.topics[deadLetter.topic])
              .name,
            maxDeliveryAttempts: deadLetter.maxDeliveryAttempts,
          },
        });
    }
  }

  collect(subscription: string): Collector {
    return new Collector(this.admin.subscription(subscription));
  }

  /** What a pull gets right now: nothing, once every message is acked. */
  async pullNow(subscription: string): Promise<string[]> {
    const { options } = this.admin;
    const client = new v1.SubscriberClient({
      ...options,
      port: Number(options.port),
    });
    try {
      const [response] = await client.pull({
        subscription: this.admin.subscription(subscription).name,
        maxMessages: 100,
        returnImmediately: true,
      });
      return (response.receivedMessages ?? []).map(
        (m) => m.message?.messageId ?? '',
      );
    } finally {
      await client.close();
    }
  }

  async stop(): Promise<void> {
    await this.admin.close();
    await this.emulator.stop();
  }
}
