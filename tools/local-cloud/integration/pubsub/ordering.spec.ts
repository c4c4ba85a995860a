import type { Message } from '@google-cloud/pubsub';
import { receive, startTestEnv, within, type PubSubTestEnv } from './pubsub-test-env';

describe('Pub/Sub emulator: ordering keys', () => {
  let env: PubSubTestEnv;

  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.stop());

  const orderedTopic = async () => {
    const [created] = await env.pubsub.createTopic(env.id('topic'));
    const [{ name }] = await created.createSubscription(env.id('sub'), { enableMessageOrdering: true });
    // Acks leave at once rather than in the client's 100 ms batches: each
    // message of a key waits for the previous one's ack.
    const subscription = env.pubsub.subscription(name, { batching: { maxMilliseconds: 1 } });
    const topic = env.pubsub.topic(created.name, {
      messageOrdering: true,
      batching: { maxMessages: 100, maxMilliseconds: 5 },
    });
    return { topic, subscription };
  };

  it('keeps per-key order with many keys and concurrent handlers', async () => {
    const { topic, subscription } = await orderedTopic();
    const keys = 25;
    const perKey = 40;
    const publishes: Promise<string>[] = [];
    for (let n = 0; n < perKey; n++) {
      for (let k = 0; k < keys; k++) {
        publishes.push(topic.publishMessage({ data: Buffer.from(String(n)), orderingKey: `user-${k}` }));
      }
    }
    await Promise.all(publishes);

    const seen = new Map<string, number[]>();
    const inFlight = new Set<string>();
    const overlaps: string[] = [];
    const received = await within(
      20000,
      `${keys * perKey} ordered messages`,
      receive(
        subscription,
        (all) => all.length >= keys * perKey,
        (message: Message) => {
          const key = message.orderingKey as string;
          if (inFlight.has(key)) overlaps.push(key);
          inFlight.add(key);
          seen.set(key, [...(seen.get(key) ?? []), Number(message.data.toString())]);
          // Handlers finish in a scrambled order across keys.
          setImmediate(() => {
            inFlight.delete(key);
            message.ack();
          });
        },
      ),
    );
    expect(received).toHaveLength(keys * perKey);
    expect(overlaps).toEqual([]);
    const expected = Array.from({ length: perKey }, (_, n) => n);
    for (let k = 0; k < keys; k++) expect(seen.get(`user-${k}`)).toEqual(expected);
  });

  it('holds later messages of a key back until a nacked one is redelivered and acked', async () => {
    const { topic, subscription } = await orderedTopic();
    await Promise.all(
      ['1', '2', '3'].map((data) => topic.publishMessage({ data: Buffer.from(data), orderingKey: 'k' })),
    );
    let nacks = 0;
    const received = await within(
      10000,
      'the key to drain',
      receive(
        subscription,
        (all) => all.length >= 5,
        (message) => {
          // The first message fails twice before it succeeds.
          if (message.data.toString() === '1' && nacks < 2) {
            nacks++;
            message.nack();
          } else {
            message.ack();
          }
        },
      ),
    );
    expect(received.map((message) => message.data.toString())).toEqual(['1', '1', '1', '2', '3']);
  });
});
