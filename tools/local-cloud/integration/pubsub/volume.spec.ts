import { Duration, type Message } from '@google-cloud/pubsub';
import { deferred, startTestEnv, within, type PubSubTestEnv } from './pubsub-test-env';

describe('Pub/Sub emulator: volume', () => {
  let env: PubSubTestEnv;

  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.stop());

  it('moves 100,000 messages with every one delivered and none redelivered after its ack', async () => {
    const total = 100_000;
    const [created] = await env.pubsub.createTopic(env.id('topic'));
    const [{ name }] = await created.createSubscription(env.id('sub'), { ackDeadlineSeconds: 60 });
    // A long lease: on a loaded machine the client may not ack within the
    // default 10 s, and the redelivery that follows would be correct
    // at-least-once behaviour, not the loss or duplication this test looks for.
    const subscription = env.pubsub.subscription(name, {
      minAckDeadline: Duration.from({ seconds: 600 }),
      maxAckDeadline: Duration.from({ seconds: 600 }),
      flowControl: { maxMessages: 5000 },
      // Acks go out at the next turn of the event loop. The client's ack
      // queue can keep a batch timer past close(); had it a delay, it could
      // fire after the client is closed and build a new gRPC client once
      // Jest has torn the test file down.
      batching: { maxMessages: 3000, maxMilliseconds: 0 },
    });
    const seen = new Set<string>();
    let duplicates = 0;
    const done = deferred();
    subscription.on('message', (message: Message) => {
      if (seen.has(message.data.toString())) duplicates++;
      seen.add(message.data.toString());
      message.ack();
      if (seen.size === total) done.resolve();
    });
    subscription.on('error', done.reject);

    const topic = env.pubsub.topic(created.name, { batching: { maxMessages: 1000, maxMilliseconds: 10 } });
    const payload = 'x'.repeat(100);
    for (let start = 0; start < total; start += 10_000) {
      await Promise.all(
        Array.from({ length: 10_000 }, (_, n) => topic.publishMessage({ data: Buffer.from(`${start + n}:${payload}`) })),
      );
    }
    await within(60_000, `${total} messages`, done.promise);
    await subscription.close();

    expect(seen.size).toBe(total);
    expect(duplicates).toBe(0);
    const [left] = await env.subscriber.pull({ subscription: name, maxMessages: 10, returnImmediately: true });
    expect(left.receivedMessages).toEqual([]);
  }, 90_000);
});
