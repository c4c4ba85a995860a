import { createStoredMessage } from './pubsub-message';
import { SubscriptionQueue } from './subscription-queue';

const message = (number: number, orderingKey = '', publishedAtMs = number) =>
  createStoredMessage(number, { data: Buffer.from(String(number)), attributes: {}, orderingKey }, publishedAtMs);

const drain = (queue: SubscriptionQueue) => {
  const taken: number[] = [];
  for (let next = queue.take(); next; next = queue.take()) {
    next.state = 'leased';
    taken.push(next.message.number);
  }
  return taken;
};

describe('SubscriptionQueue', () => {
  it('hands out messages in publish order, retries first', () => {
    const queue = new SubscriptionQueue(false);
    [1, 2, 3].forEach((n) => queue.add(message(n)));
    const first = queue.take();
    expect(first?.message.number).toBe(1);
    if (first) queue.retry(first);
    expect(drain(queue)).toEqual([1, 2, 3]);
  });

  it('lets only the oldest message of an ordering key out until it is removed', () => {
    const queue = new SubscriptionQueue(true);
    queue.add(message(1, 'a'));
    queue.add(message(2, 'a'));
    queue.add(message(3, 'b'));
    queue.add(message(4));
    expect(drain(queue)).toEqual([1, 3, 4]);
    const head = queue.get(1);
    if (head) queue.retry(head);
    expect(drain(queue)).toEqual([1]);
    if (head) queue.remove(head);
    expect(drain(queue)).toEqual([2]);
  });

  it('ignores ordering keys when ordering is off', () => {
    const queue = new SubscriptionQueue(false);
    queue.add(message(1, 'a'));
    queue.add(message(2, 'a'));
    expect(drain(queue)).toEqual([1, 2]);
  });

  it('expires messages older than the cutoff and releases their keys', () => {
    const queue = new SubscriptionQueue(true);
    queue.add(message(1, 'a', 100));
    queue.add(message(2, 'a', 200));
    queue.add(message(3, 'a', 300));
    expect(queue.expire(250).map((pending) => pending.message.number)).toEqual([1, 2]);
    expect(drain(queue)).toEqual([3]);
    expect(queue.size).toBe(1);
  });
});
