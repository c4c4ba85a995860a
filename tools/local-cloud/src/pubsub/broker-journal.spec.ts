import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { createLogger } from '../shared/logger';
import { ApiError } from './api-error';
import { Broker } from './broker';
import { BrokerJournal } from './broker-journal';

const logger = createLogger({ level: 'silent' });
const topic = 'projects/p/topics/events';
const subscription = 'projects/p/subscriptions/events-sub';

describe('BrokerJournal', () => {
  let dataDir: string;
  const brokers: Broker[] = [];
  const open = () => {
    const broker = new Broker(logger);
    brokers.push(broker);
    return { broker, journal: BrokerJournal.open(dataDir, broker, logger) };
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'broker-journal-'));
  });
  afterEach(() => {
    brokers.splice(0).forEach((broker) => broker.close(new ApiError(status.CANCELLED, 'test finished')));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('compacts to the live state and replays it after a restart', () => {
    const { broker, journal } = open();
    broker.createTopic({ name: topic });
    broker.createSubscription({ name: subscription, topic, enableMessageOrdering: true });
    const ids = broker.publish(
      topic,
      Array.from({ length: 1000 }, (_, n) => ({
        data: Buffer.alloc(1000, n % 256),
        attributes: { n: String(n) },
        orderingKey: `k${n % 7}`,
      })),
    );
    broker.subscription(subscription).forget(ids.slice(0, 900).map(Number));
    const file = join(dataDir, 'pubsub.journal');
    const before = statSync(file).size;
    journal.compact();
    expect(statSync(file).size).toBeLessThan(before / 5);
    journal.close();

    const reopened = open();
    const live = reopened.broker.subscription(subscription);
    expect(live.backlog).toBe(100);
    const kept = [...live.pendingMessages()].map((pending) => pending.message);
    expect(kept.map((message) => message.proto.messageId)).toEqual(ids.slice(900));
    expect(kept[0].attributes).toEqual({ n: '900' });
    expect(kept[0].orderingKey).toBe('k4');
    expect(kept[0].data.equals(Buffer.alloc(1000, 900 % 256))).toBe(true);
    const [next] = reopened.broker.publish(topic, [{ data: Buffer.from('x'), attributes: {}, orderingKey: '' }]);
    expect(Number(next)).toBe(1001);
    reopened.journal.close();
  });
});
