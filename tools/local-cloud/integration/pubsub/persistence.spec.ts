import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { protos } from '@google-cloud/pubsub';
import { startTestEnv, type PubSubTestEnv } from './pubsub-test-env';

const pullAll = async (env: PubSubTestEnv, subscription: string, expected: number) => {
  const received: protos.google.pubsub.v1.IReceivedMessage[] = [];
  while (received.length < expected) {
    const [response] = await env.subscriber.pull({ subscription, maxMessages: expected - received.length });
    if (!response.receivedMessages?.length) break;
    received.push(...response.receivedMessages);
  }
  return received;
};

describe('Pub/Sub emulator: persistence in a data folder', () => {
  const folders: string[] = [];
  const newFolder = () => {
    const folder = mkdtempSync(join(tmpdir(), 'pubsub-data-'));
    folders.push(folder);
    return folder;
  };
  afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  it('keeps topics, subscriptions and unacked messages across a restart, and not acked ones', async () => {
    const dataDir = newFolder();
    const first = await startTestEnv({ dataDir });
    const [topic] = await first.pubsub.createTopic(first.id('topic'));
    const [deadLetters] = await first.pubsub.createTopic(first.id('dead'));
    const [subscription] = await topic.createSubscription(first.id('sub'), {
      ackDeadlineSeconds: 30,
      enableMessageOrdering: true,
      deadLetterPolicy: { deadLetterTopic: deadLetters.name, maxDeliveryAttempts: 7 },
    });
    const [before] = await subscription.getMetadata();
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        topic.publishMessage({ data: Buffer.from(`m${n}`), attributes: { n: String(n) } }),
      ),
    );
    const delivered = await pullAll(first, subscription.name, 10);
    const acked = delivered.slice(0, 4);
    await first.subscriber.acknowledge({
      subscription: subscription.name,
      ackIds: acked.map((received) => received.ackId as string),
    });
    await first.stop();

    const second = await startTestEnv({ dataDir });
    try {
      const [after] = await second.pubsub.subscription(subscription.name).getMetadata();
      expect(after).toEqual(before);
      const [topics] = await second.pubsub.getTopics();
      expect(topics.map((t) => t.name).sort()).toEqual([deadLetters.name, topic.name].sort());

      const redelivered = await pullAll(second, subscription.name, 6);
      const ackedIds = new Set(acked.map((received) => received.message?.messageId));
      expect(new Set(redelivered.map((received) => received.message?.messageId))).toEqual(
        new Set(ids.filter((id) => !ackedIds.has(id))),
      );
      for (const received of redelivered) {
        const n = received.message?.attributes?.['n'];
        expect(received.message?.data?.toString()).toBe(`m${n}`);
      }
      const newId = await second.pubsub.topic(topic.name).publishMessage({ data: Buffer.from('later') });
      expect(Number(newId)).toBeGreaterThan(Math.max(...ids.map(Number)));
    } finally {
      await second.stop();
    }
  });

  it('recovers what was written before a crash, dropping a record cut in half', async () => {
    const dataDir = newFolder();
    const live = await startTestEnv({ dataDir });
    const [topic] = await live.pubsub.createTopic(live.id('topic'));
    const [subscription] = await topic.createSubscription(live.id('sub'));
    const ids = await Promise.all(['a', 'b', 'c', 'd'].map((data) => topic.publishMessage({ data: Buffer.from(data) })));
    const [ackedOne] = await pullAll(live, subscription.name, 1);
    await live.subscriber.acknowledge({ subscription: subscription.name, ackIds: [ackedOne.ackId as string] });

    // What a crash right now leaves behind: the journal as written so far,
    // here with a torn last record on top.
    const crashed = newFolder();
    for (const file of readdirSync(dataDir)) copyFileSync(join(dataDir, file), join(crashed, file));
    for (const file of readdirSync(crashed)) appendFileSync(join(crashed, file), Buffer.from([200, 0, 0, 0, 1, 0, 0, 0, 123]));
    await live.stop();

    const recovered = await startTestEnv({ dataDir: crashed });
    try {
      const left = await pullAll(recovered, subscription.name, 3);
      expect(new Set(left.map((received) => received.message?.messageId))).toEqual(
        new Set(ids.filter((id) => id !== ackedOne.message?.messageId)),
      );
    } finally {
      await recovered.stop();
    }
  });
});
