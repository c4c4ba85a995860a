import type { Message } from '@google-cloud/pubsub';
import { clientFor, deferred, startTestEnv, within, type PubSubTestEnv } from './pubsub-test-env';

describe('Pub/Sub emulator: flow control and competing subscribers', () => {
  let env: PubSubTestEnv;

  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.stop());

  it("holds a stream to the first request's max_outstanding_messages", async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [subscription] = await topic.createSubscription(env.id('sub'));
    await Promise.all(Array.from({ length: 10 }, (_, n) => topic.publishMessage({ data: Buffer.from(`m${n}`) })));

    const stream = env.subscriber.streamingPull();
    const batches: { ackId: string }[][] = [];
    const next = { wait: deferred() };
    stream.on('data', (response: { receivedMessages: { ackId: string }[] }) => {
      if (response.receivedMessages.length === 0) return;
      batches.push(response.receivedMessages);
      next.wait.resolve();
    });
    stream.on('error', () => undefined);
    stream.write({ subscription: subscription.name, streamAckDeadlineSeconds: 60, maxOutstandingMessages: 3 });

    await within(5000, 'the first batch', next.wait.promise);
    expect(batches.map((batch) => batch.length)).toEqual([3]);

    next.wait = deferred();
    stream.write({ ackIds: [batches[0][0].ackId] });
    await within(5000, 'the batch after an ack', next.wait.promise);
    expect(batches.map((batch) => batch.length)).toEqual([3, 1]);
    stream.cancel();
  });

  it('gives each message to one of many subscribers on one subscription, losing none', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [{ name }] = await topic.createSubscription(env.id('sub'));
    const clients = [env.pubsub, clientFor(env.emulator), clientFor(env.emulator), clientFor(env.emulator)];
    const total = 2000;
    const owners = new Map<string, number[]>();
    const all = deferred();
    const subscriptions = clients.map((client, index) => {
      const subscription = client.subscription(name, { flowControl: { maxMessages: 50 } });
      subscription.on('message', (message: Message) => {
        owners.set(message.id, [...(owners.get(message.id) ?? []), index]);
        message.ack();
        if (owners.size === total) all.resolve();
      });
      return subscription;
    });
    const batched = env.pubsub.topic(topic.name, { batching: { maxMessages: 100 } });
    const ids = await Promise.all(
      Array.from({ length: total }, (_, n) => batched.publishMessage({ data: Buffer.from(`m${n}`) })),
    );
    await within(20000, `${total} messages`, all.promise);
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await Promise.all(clients.slice(1).map((client) => client.close()));

    expect(new Set(owners.keys())).toEqual(new Set(ids));
    expect([...owners.values()].filter((who) => who.length > 1)).toEqual([]);
    const perSubscriber = clients.map((_, index) => [...owners.values()].filter(([who]) => who === index).length);
    expect(perSubscriber.filter((n) => n > 0).length).toBeGreaterThan(1);
  });
});
