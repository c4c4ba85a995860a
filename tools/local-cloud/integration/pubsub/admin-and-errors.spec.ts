import { status } from '@grpc/grpc-js';
import { PROJECT, deferred, startTestEnv, within, type PubSubTestEnv } from './pubsub-test-env';

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; details: string };
  }
  throw new Error('expected the call to fail');
};

describe('Pub/Sub emulator: topics, subscriptions and error codes', () => {
  let env: PubSubTestEnv;

  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.stop());

  it('creates, gets, lists and deletes topics', async () => {
    const ids = [env.id('list-a'), env.id('list-b'), env.id('list-c')];
    for (const id of ids) await env.pubsub.createTopic(id);
    const [exists] = await env.pubsub.topic(ids[0]).exists();
    expect(exists).toBe(true);
    const [metadata] = await env.pubsub.topic(ids[0]).getMetadata();
    expect(metadata.name).toBe(`projects/${PROJECT}/topics/${ids[0]}`);
    const [firstPage, nextQuery] = await env.pubsub.getTopics({ pageSize: 2, autoPaginate: false });
    expect(firstPage).toHaveLength(2);
    expect(nextQuery).toMatchObject({ pageToken: expect.any(String) });
    const [topics] = await env.pubsub.getTopics();
    const names = topics.map((topic) => topic.name);
    for (const id of ids) expect(names).toContain(`projects/${PROJECT}/topics/${id}`);
    await env.pubsub.topic(ids[1]).delete();
    const [after] = await env.pubsub.topic(ids[1]).exists();
    expect(after).toBe(false);
  });

  it('creates subscriptions with their policies and lists them by project and by topic', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [deadLetters] = await env.pubsub.createTopic(env.id('dead'));
    const [subscription] = await topic.createSubscription(env.id('sub'), {
      ackDeadlineSeconds: 60,
      enableMessageOrdering: true,
      retryPolicy: { minimumBackoff: { seconds: 10 }, maximumBackoff: { seconds: 600 } },
      deadLetterPolicy: { deadLetterTopic: deadLetters.name, maxDeliveryAttempts: 5 },
      messageRetentionDuration: { seconds: 3600 },
    });
    const [metadata] = await subscription.getMetadata();
    expect(metadata).toMatchObject({
      name: subscription.name,
      topic: topic.name,
      ackDeadlineSeconds: 60,
      enableMessageOrdering: true,
      retryPolicy: { minimumBackoff: { seconds: '10' }, maximumBackoff: { seconds: '600' } },
      deadLetterPolicy: { deadLetterTopic: deadLetters.name, maxDeliveryAttempts: 5 },
      messageRetentionDuration: { seconds: '3600' },
    });
    const [all] = await env.pubsub.getSubscriptions();
    expect(all.map((s) => s.name)).toContain(subscription.name);
    const [ofTopic] = await topic.getSubscriptions();
    expect(ofTopic.map((s) => s.name)).toEqual([subscription.name]);
  });

  it('updates a subscription and shows a deleted topic as _deleted-topic_', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [subscription] = await topic.createSubscription(env.id('sub'));
    const [updated] = await subscription.setMetadata({ ackDeadlineSeconds: 120, labels: { team: 'data' } });
    expect(updated).toMatchObject({ ackDeadlineSeconds: 120, labels: { team: 'data' } });
    await topic.delete();
    const [metadata] = await subscription.getMetadata();
    expect(metadata.topic).toBe('_deleted-topic_');
    await subscription.delete();
    const [exists] = await subscription.exists();
    expect(exists).toBe(false);
  });

  it('answers NOT_FOUND for missing topics and subscriptions, naming them', async () => {
    const missingTopic = env.pubsub.topic(env.id('missing'));
    const publish = await rejection(missingTopic.publishMessage({ data: Buffer.from('x') }));
    expect(publish.code).toBe(status.NOT_FOUND);
    expect(publish.details).toContain(missingTopic.name);
    const get = await rejection(env.pubsub.subscription(env.id('missing')).getMetadata());
    expect(get.code).toBe(status.NOT_FOUND);
    expect(get.details).toMatch(/Subscription not found: projects\/local-test\/subscriptions\/missing-/);
    const create = await rejection(missingTopic.createSubscription(env.id('sub')));
    expect(create.code).toBe(status.NOT_FOUND);
    expect(create.details).toContain(missingTopic.name);
  });

  it('answers ALREADY_EXISTS for duplicates', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const again = await rejection(env.pubsub.createTopic(topic.name));
    expect(again.code).toBe(status.ALREADY_EXISTS);
    expect(again.details).toContain(topic.name);
    const [subscription] = await topic.createSubscription(env.id('sub'));
    const twice = await rejection(topic.createSubscription(subscription.name));
    expect(twice.code).toBe(status.ALREADY_EXISTS);
    expect(twice.details).toContain(subscription.name);
  });

  it('answers INVALID_ARGUMENT for bad names and out-of-range settings', async () => {
    const badName = await rejection(env.pubsub.createTopic('1-starts-with-a-digit'));
    expect(badName.code).toBe(status.INVALID_ARGUMENT);
    expect(badName.details).toContain('1-starts-with-a-digit');
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const deadline = await rejection(topic.createSubscription(env.id('sub'), { ackDeadlineSeconds: 601 }));
    expect(deadline.code).toBe(status.INVALID_ARGUMENT);
    expect(deadline.details).toContain('ack_deadline_seconds');
    const attempts = await rejection(
      topic.createSubscription(env.id('sub'), {
        deadLetterPolicy: { deadLetterTopic: topic.name, maxDeliveryAttempts: 3 },
      }),
    );
    expect(attempts.code).toBe(status.INVALID_ARGUMENT);
    expect(attempts.details).toContain('max_delivery_attempts');
    const empty = await rejection(topic.publishMessage({ data: Buffer.alloc(0) }));
    expect(empty.code).toBe(status.INVALID_ARGUMENT);
    const deadLetterTopic = `projects/${PROJECT}/topics/${env.id('nowhere')}`;
    const missingDeadLetter = await rejection(
      topic.createSubscription(env.id('sub'), { deadLetterPolicy: { deadLetterTopic } }),
    );
    expect(missingDeadLetter.code).toBe(status.NOT_FOUND);
    expect(missingDeadLetter.details).toContain(deadLetterTopic);
  });

  it('ends open streams with NOT_FOUND when their subscription is deleted', async () => {
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [subscription] = await topic.createSubscription(env.id('sub'));
    const first = deferred();
    const failed = new Promise<{ code: number }>((resolve) => subscription.once('error', resolve));
    // Kept for the whole test: removing the last listener closes the client's streams.
    subscription.on('message', (message) => {
      message.ack();
      first.resolve();
    });
    await topic.publishMessage({ data: Buffer.from('first') });
    await within(5000, 'the first message', first.promise);
    await env.pubsub.subscription(subscription.name).delete();
    const error = await within(5000, 'the stream error', failed);
    expect(error.code).toBe(status.NOT_FOUND);
    await subscription.close();
  });
});

describe('Pub/Sub emulator: shutdown', () => {
  it('ends open streams with UNAVAILABLE so clients retry', async () => {
    const env = await startTestEnv();
    const [topic] = await env.pubsub.createTopic(env.id('topic'));
    const [subscription] = await topic.createSubscription(env.id('sub'));
    const stream = env.subscriber.streamingPull();
    const opened = deferred();
    const ended = new Promise<{ code: number; details: string }>((resolve) => stream.once('status', resolve));
    stream.on('data', () => opened.resolve());
    stream.on('error', () => undefined);
    stream.write({ subscription: subscription.name, streamAckDeadlineSeconds: 10 });
    await within(5000, 'the stream to open', opened.promise);
    await within(5000, 'the emulator to stop', env.emulator.stop());
    const { code, details } = await within(5000, 'the stream status', ended);
    expect(code).toBe(status.UNAVAILABLE);
    expect(details).toContain('shutting down');
    await env.stop();
  });
});
