import type { Message } from '@google-cloud/pubsub';
import { captureLog, count, receive, startTestEnv, within, type PubSubTestEnv } from './pubsub-test-env';

describe('Pub/Sub emulator: publish and subscribe', () => {
  let env: PubSubTestEnv;
  const log = captureLog();

  beforeAll(async () => {
    env = await startTestEnv({ logger: log.logger });
  });
  afterAll(() => env.stop());

  const topicWithSubscription = async (options = {}) => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [subscription] = await topic.createSubscription(env.id('sub'), options);
    return { topic, subscription };
  };

  it('delivers data, attributes, a unique id and the publish time', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const before = Date.now();
    const id = await topic.publishMessage({ data: Buffer.from('hello'), attributes: { kind: 'greeting' } });
    const [message] = await within(5000, 'the message', receive(subscription, count(1)));
    await subscription.close();
    expect(message.id).toBe(id);
    expect(message.data.toString()).toBe('hello');
    expect(message.attributes).toEqual({ kind: 'greeting' });
    expect(message.publishTime.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(message.publishTime.getTime()).toBeLessThanOrEqual(Date.now());
    expect(message.deliveryAttempt).toBe(0);
  });

  it('does not deliver what was published before the subscription existed', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    await topic.publishMessage({ data: Buffer.from('too early') });
    const [subscription] = await topic.createSubscription(env.id('sub'));
    await topic.publishMessage({ data: Buffer.from('in time') });
    const received = await within(5000, 'the message', receive(subscription, count(1)));
    const [response] = await env.subscriber.pull({
      subscription: subscription.name,
      maxMessages: 10,
      returnImmediately: true,
    });
    await subscription.close();
    expect(received.map((message) => message.data.toString())).toEqual(['in time']);
    expect(response.receivedMessages).toEqual([]);
  });

  it('copies every message to every subscription of the topic', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [first] = await topic.createSubscription(env.id('sub'));
    const [second] = await topic.createSubscription(env.id('sub'));
    await Promise.all([1, 2, 3].map((n) => topic.publishMessage({ json: { n } })));
    const [a, b] = await within(5000, 'both subscriptions', Promise.all([
      receive(first, count(3)),
      receive(second, count(3)),
    ]));
    await Promise.all([first.close(), second.close()]);
    const numbers = (messages: Message[]) => messages.map((m) => JSON.parse(m.data.toString()).n).sort();
    expect(numbers(a)).toEqual([1, 2, 3]);
    expect(numbers(b)).toEqual([1, 2, 3]);
  });

  it('sends client-side batches as single Publish calls and keeps every message', async () => {
    const { topic, subscription } = await topicWithSubscription();
    const batched = env.pubsub.topic(topic.name, {
      batching: { maxMessages: 50, maxMilliseconds: 1000 },
    });
    const publishCalls = () => log.lines.filter((line) => / Publish resource=/.test(line) && line.includes(topic.name)).length;
    const callsBefore = publishCalls();
    const ids = await Promise.all(
      Array.from({ length: 200 }, (_, n) => batched.publishMessage({ data: Buffer.from(`m${n}`) })),
    );
    expect(new Set(ids).size).toBe(200);
    expect(publishCalls() - callsBefore).toBe(4);
    const received = await within(10000, '200 messages', receive(subscription, count(200)));
    await subscription.close();
    expect(new Set(received.map((m) => m.data.toString())).size).toBe(200);
    expect(new Set(received.map((m) => m.id))).toEqual(new Set(ids));
  });

  it('does not redeliver acked messages', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await topic.publishMessage({ data: Buffer.from('once') });
    await within(5000, 'the message', receive(subscription, count(1)));
    await subscription.close();
    // Acks travel in the client's ack batch; close() flushes it.
    const [response] = await env.subscriber.pull({
      subscription: subscription.name,
      maxMessages: 10,
      returnImmediately: true,
    });
    expect(response.receivedMessages).toEqual([]);
  });

  it('redelivers a nacked message', async () => {
    const { topic, subscription } = await topicWithSubscription();
    await topic.publishMessage({ data: Buffer.from('retry me') });
    let nacked = false;
    const deliveries = await within(
      5000,
      'a redelivery',
      receive(subscription, count(2), (message) => {
        if (nacked) return message.ack();
        nacked = true;
        message.nack();
      }),
    );
    await subscription.close();
    expect(deliveries.map((m) => m.data.toString())).toEqual(['retry me', 'retry me']);
    expect(deliveries[0].id).toBe(deliveries[1].id);
    expect(deliveries[0].ackId).not.toBe(deliveries[1].ackId);
  });
});
