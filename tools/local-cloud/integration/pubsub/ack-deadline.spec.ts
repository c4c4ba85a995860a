import { startTestEnv, type PubSubTestEnv } from './pubsub-test-env';

describe('Pub/Sub emulator: ack deadlines', () => {
  let env: PubSubTestEnv;

  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.stop());

  const pullOne = async (subscription: string, returnImmediately = false) => {
    const [response] = await env.subscriber.pull({ subscription, maxMessages: 10, returnImmediately });
    return response.receivedMessages ?? [];
  };

  it('redelivers a message whose ack deadline passed, and not before', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [subscription] = await topic.createSubscription(env.id('sub'), { ackDeadlineSeconds: 10 });
    const id = await topic.publishMessage({ data: Buffer.from('slow') });
    const [first] = await pullOne(subscription.name);
    expect(first.message?.messageId).toBe(id);
    expect(await pullOne(subscription.name, true)).toEqual([]);

    await env.subscriber.modifyAckDeadline({
      subscription: subscription.name,
      ackIds: [first.ackId as string],
      ackDeadlineSeconds: 1,
    });
    const shortened = Date.now();
    // Pull waits on the server until the lease runs out and the message is back.
    const [again] = await pullOne(subscription.name);
    expect(Date.now() - shortened).toBeGreaterThanOrEqual(900);
    expect(again.message?.messageId).toBe(id);
    expect(again.ackId).not.toBe(first.ackId);

    // The earlier delivery's ack id can no longer extend the new lease...
    await env.subscriber.modifyAckDeadline({
      subscription: subscription.name,
      ackIds: [first.ackId as string],
      ackDeadlineSeconds: 0,
    });
    expect(await pullOne(subscription.name, true)).toEqual([]);
    // ...but acking with the current one ends it for good.
    await env.subscriber.acknowledge({ subscription: subscription.name, ackIds: [again.ackId as string] });
    await env.subscriber.modifyAckDeadline({
      subscription: subscription.name,
      ackIds: [again.ackId as string],
      ackDeadlineSeconds: 0,
    });
    expect(await pullOne(subscription.name, true)).toEqual([]);
  });

  it('treats a zero deadline as a nack', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [subscription] = await topic.createSubscription(env.id('sub'));
    await topic.publishMessage({ data: Buffer.from('nack me') });
    const [first] = await pullOne(subscription.name);
    await env.subscriber.modifyAckDeadline({
      subscription: subscription.name,
      ackIds: [first.ackId as string],
      ackDeadlineSeconds: 0,
    });
    const [again] = await pullOne(subscription.name, true);
    expect(again.message?.messageId).toBe(first.message?.messageId);
  });
});
