import type { Message } from '@google-cloud/pubsub';
import { PROJECT, count, receive, startTestEnv, within, type PubSubTestEnv } from './pubsub-test-env';

describe('Pub/Sub emulator: retry backoff and dead-lettering', () => {
  let env: PubSubTestEnv;

  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.stop());

  it('backs off exponentially, counts attempts and forwards to the dead-letter topic after the last one', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [deadLetters] = await env.pubsub.createTopic(env.id('dead-letters'));
    const [archive] = await deadLetters.createSubscription(env.id('archive'));
    const subscriptionId = env.id('sub');
    const [subscription] = await topic.createSubscription(subscriptionId, {
      retryPolicy: { minimumBackoff: { nanos: 100e6 }, maximumBackoff: { nanos: 300e6 } },
      deadLetterPolicy: { deadLetterTopic: deadLetters.name, maxDeliveryAttempts: 5 },
    });
    const id = await topic.publishMessage({ data: Buffer.from('poison'), attributes: { source: 'test' } });

    const times: number[] = [];
    const attempts = await within(
      10000,
      'five failed deliveries',
      receive(subscription, count(5), (message) => {
        times.push(Date.now());
        message.nack();
      }),
    );
    const [forwarded] = await within(5000, 'the dead letter', receive(archive, count(1)));

    expect(attempts.map((message) => message.deliveryAttempt)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(attempts.map((message) => message.id))).toEqual(new Set([id]));
    // Delays double from the minimum and stop at the maximum: 100, 200, 300, 300 ms.
    const gaps = times.slice(1).map((time, index) => time - times[index]);
    [100, 200, 300, 300].forEach((expected, index) => expect(gaps[index]).toBeGreaterThanOrEqual(expected - 15));
    expect(gaps[3]).toBeLessThan(gaps[2] + 150);

    expect(forwarded.data.toString()).toBe('poison');
    expect(forwarded.id).not.toBe(id);
    expect(forwarded.attributes).toEqual({
      source: 'test',
      CloudPubSubDeadLetterSourceDeliveryCount: '5',
      CloudPubSubDeadLetterSourceSubscription: subscriptionId,
      CloudPubSubDeadLetterSourceSubscriptionProject: PROJECT,
      CloudPubSubDeadLetterSourceTopicPublishTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/),
    });
    expect(Date.parse(forwarded.attributes['CloudPubSubDeadLetterSourceTopicPublishTime'])).toBe(
      attempts[0].publishTime.getTime(),
    );
    // Gone from the source subscription.
    const [left] = await env.subscriber.pull({ subscription: subscription.name, maxMessages: 1, returnImmediately: true });
    expect(left.receivedMessages).toEqual([]);
  });

  it('counts an expired lease as a failed attempt', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [deadLetters] = await env.pubsub.createTopic(env.id('dead-letters'));
    const [subscription] = await topic.createSubscription(env.id('sub'), {
      deadLetterPolicy: { deadLetterTopic: deadLetters.name, maxDeliveryAttempts: 5 },
    });
    await topic.publishMessage({ data: Buffer.from('slow') });
    const pull = async () => {
      const [response] = await env.subscriber.pull({ subscription: subscription.name, maxMessages: 1 });
      return (response.receivedMessages ?? [])[0];
    };
    const first = await pull();
    await env.subscriber.modifyAckDeadline({
      subscription: subscription.name,
      ackIds: [first.ackId as string],
      ackDeadlineSeconds: 1,
    });
    const second = await pull();
    expect([first.deliveryAttempt, second.deliveryAttempt]).toEqual([1, 2]);
  });

  it('leaves delivery_attempt unset without a dead-letter policy', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [subscription] = await topic.createSubscription(env.id('sub'));
    await topic.publishMessage({ data: Buffer.from('x') });
    let nacked = false;
    const deliveries: Message[] = await within(
      5000,
      'two deliveries',
      receive(subscription, count(2), (message) => {
        if (nacked) return message.ack();
        nacked = true;
        message.nack();
      }),
    );
    expect(deliveries.map((message) => message.deliveryAttempt)).toEqual([0, 0]);
  });
});
