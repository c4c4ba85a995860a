import type { Schedulable } from './deadline-scheduler';
import { FifoQueue } from './fifo-queue';
import type { StoredMessage } from './pubsub-message';

/**
 * - ready: may be delivered now
 * - blocked: waits behind an earlier message with its ordering key
 * - leased: delivered, waiting for an ack before its deadline
 * - backoff: failed, waiting out the retry policy's delay
 * - done: acked, dead-lettered or expired; left in queues to be skipped
 */
export type PendingState = 'ready' | 'blocked' | 'leased' | 'backoff' | 'done';

/** A message a subscription has not yet seen acked. */
export interface PendingMessage extends Schedulable {
  readonly message: StoredMessage;
  state: PendingState;
  /** How many times it was delivered; also its delivery attempt. */
  deliveries: number;
  /** Who holds the current lease, for its flow-control accounting. */
  holder: LeaseHolder | undefined;
}

export interface LeaseHolder {
  released(pending: PendingMessage): void;
}

/**
 * The messages of one subscription waiting for delivery or an ack. With
 * ordering on, only the oldest message of each ordering key is ever ready,
 * leased or backing off; the others stay blocked behind it until it is done.
 */
export class SubscriptionQueue {
  /** In publish order, which the retention sweep relies on. */
  private readonly pending = new Map<number, PendingMessage>();
  private readonly fresh = new FifoQueue<PendingMessage>();
  /** Redeliveries go first so a failed message does not wait out a backlog. */
  private readonly retries = new FifoQueue<PendingMessage>();
  private readonly keys = new Map<string, FifoQueue<PendingMessage>>();

  constructor(private readonly ordered: boolean) {}

  get size(): number {
    return this.pending.size;
  }

  get(number: number): PendingMessage | undefined {
    return this.pending.get(number);
  }

  values(): IterableIterator<PendingMessage> {
    return this.pending.values();
  }

  add(message: StoredMessage, deliveries = 0): PendingMessage {
    const pending: PendingMessage = {
      message,
      state: 'ready',
      deliveries,
      holder: undefined,
      timerToken: 0,
      timerAt: undefined,
    };
    this.pending.set(message.number, pending);
    const key = this.ordered ? message.orderingKey : '';
    if (key === '') {
      this.fresh.push(pending);
      return pending;
    }
    const line = this.keys.get(key);
    if (line) {
      pending.state = 'blocked';
      line.push(pending);
    } else {
      const newLine = new FifoQueue<PendingMessage>();
      newLine.push(pending);
      this.keys.set(key, newLine);
      this.fresh.push(pending);
    }
    return pending;
  }

  /** The next message to deliver, left in place. */
  peek(): PendingMessage | undefined {
    return this.skipDone(this.retries) ?? this.skipDone(this.fresh);
  }

  /** Takes out the message `peek` returned. */
  take(): PendingMessage | undefined {
    if (this.skipDone(this.retries)) return this.retries.shift();
    return this.skipDone(this.fresh) ? this.fresh.shift() : undefined;
  }

  /** Makes a leased or backed-off message ready again. */
  retry(pending: PendingMessage): void {
    pending.state = 'ready';
    this.retries.push(pending);
  }

  /** Forgets a message for good, letting the next one of its key through. */
  remove(pending: PendingMessage): void {
    if (pending.state === 'done') return;
    pending.state = 'done';
    this.pending.delete(pending.message.number);
    const key = this.ordered ? pending.message.orderingKey : '';
    if (key === '') return;
    const line = this.keys.get(key);
    if (!line || line.peek() !== pending) return;
    line.shift();
    while (line.size > 0 && line.peek()?.state === 'done') line.shift();
    const next = line.peek();
    if (next) {
      next.state = 'ready';
      this.fresh.push(next);
    } else {
      this.keys.delete(key);
    }
  }

  /** Removes and returns the messages published before `cutoffMs`. */
  expire(cutoffMs: number): PendingMessage[] {
    const expired: PendingMessage[] = [];
    for (const pending of this.pending.values()) {
      if (pending.message.publishedAtMs >= cutoffMs) break;
      expired.push(pending);
    }
    for (const pending of expired) this.remove(pending);
    return expired;
  }

  private skipDone(queue: FifoQueue<PendingMessage>): PendingMessage | undefined {
    let head = queue.peek();
    while (head && head.state !== 'ready') {
      queue.shift();
      head = queue.peek();
    }
    return head;
  }
}
