import { randomBytes } from 'node:crypto';
import { formatAckId, parseAckId, type AckIdParts } from './ack-id';
import { ApiError, invalidArgument } from './api-error';
import type { Consumer } from './consumer';
import type { ReceivedMessage } from './protos';
import { DeadlineScheduler } from './deadline-scheduler';
import { PUBSUB_DEFAULTS } from './defaults';
import type { StoredMessage } from './pubsub-message';
import { retryDelayMs } from './retry-backoff';
import type { Subscription } from './protos';
import type { SubscriptionSettings } from './subscription-settings';
import { SubscriptionQueue, type PendingMessage } from './subscription-queue';

export type RemovalReason = 'acked' | 'dead-lettered' | 'expired';

/** What a subscription asks of the broker that holds it. */
export interface SubscriptionOwner {
  /** Publishes the message to the dead-letter topic; false if it cannot. */
  deadLetter(subscription: LiveSubscription, pending: PendingMessage): boolean;
  removed(subscription: LiveSubscription, messages: StoredMessage[], reason: RemovalReason): void;
}

export const newSubscriptionUid = () => randomBytes(6).toString('base64url');

/**
 * One subscription at run time: its pending messages, the consumers pulling
 * from it, leases and their deadlines, retries and dead-lettering.
 */
export class LiveSubscription {
  private readonly queue: SubscriptionQueue;
  private readonly consumers: Consumer[] = [];
  private readonly deadlines: DeadlineScheduler<PendingMessage>;
  private cursor = 0;
  private dispatchScheduled = false;
  private closed = false;

  constructor(
    public resource: Subscription,
    public settings: SubscriptionSettings,
    readonly uid: string,
    private readonly owner: SubscriptionOwner,
    private readonly now: () => number = Date.now,
  ) {
    this.queue = new SubscriptionQueue(settings.ordered);
    this.deadlines = new DeadlineScheduler((pending) => this.onDeadline(pending), now);
  }

  get name(): string {
    return this.settings.name;
  }

  /** Messages not yet acked, for logs and tests. */
  get backlog(): number {
    return this.queue.size;
  }

  pendingMessages(): IterableIterator<PendingMessage> {
    return this.queue.values();
  }

  pendingMessage(number: number): PendingMessage | undefined {
    return this.queue.get(number);
  }

  enqueue(message: StoredMessage, deliveries = 0): void {
    this.queue.add(message, deliveries);
    this.scheduleDispatch();
  }

  attach(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.scheduleDispatch();
  }

  detach(consumer: Consumer): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
  }

  /** Runs delivery now rather than on the next turn of the event loop. */
  dispatchNow(): void {
    this.dispatch();
  }

  /** Wakes consumers after they regained room. */
  scheduleDispatch(): void {
    if (this.dispatchScheduled || this.closed) return;
    this.dispatchScheduled = true;
    setImmediate(() => this.dispatch());
  }

  acknowledge(ackIds: readonly string[]): void {
    const settled: StoredMessage[] = [];
    for (const parts of this.parseAll(ackIds)) {
      // A late ack of an earlier delivery still counts: the work was done.
      const pending = this.find(parts, false);
      if (pending) settled.push(this.settle(pending));
    }
    if (settled.length > 0) this.owner.removed(this, settled, 'acked');
  }

  modifyAckDeadline(ackIds: readonly string[], seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > PUBSUB_DEFAULTS.maxAckDeadlineSeconds) {
      throw invalidArgument(
        `ack_deadline_seconds must be between 0 and ${PUBSUB_DEFAULTS.maxAckDeadlineSeconds}, found ${seconds}`,
      );
    }
    for (const parts of this.parseAll(ackIds)) {
      const pending = this.find(parts, true);
      if (!pending) continue;
      if (seconds === 0) this.fail(pending);
      else this.deadlines.schedule(pending, this.now() + seconds * 1000);
    }
  }

  /** Drops messages by number, as replaying recorded acks does. */
  forget(numbers: readonly number[]): void {
    const settled: StoredMessage[] = [];
    for (const number of numbers) {
      const pending = this.queue.get(number);
      if (pending) settled.push(this.settle(pending));
    }
    if (settled.length > 0) this.owner.removed(this, settled, 'acked');
  }

  /** Drops the messages published before `cutoffMs`. */
  expire(cutoffMs: number): void {
    const expired = this.queue.expire(cutoffMs);
    for (const pending of expired) this.endLease(pending);
    if (expired.length > 0) {
      this.owner.removed(this, expired.map((pending) => pending.message), 'expired');
    }
  }

  /** Applies new settings; the ordering mode cannot change. */
  update(resource: Subscription, settings: SubscriptionSettings): void {
    this.resource = resource;
    this.settings = settings;
  }

  close(error: ApiError): void {
    this.closed = true;
    this.deadlines.close();
    for (const consumer of this.consumers.splice(0)) consumer.close(error);
  }

  private parseAll(ackIds: readonly string[]): AckIdParts[] {
    return ackIds.map((ackId) => {
      const parts = parseAckId(ackId);
      if (!parts) throw invalidArgument(`Invalid ack id ${JSON.stringify(ackId)} for ${this.name}`);
      return parts;
    });
  }

  private find(parts: AckIdParts, currentLeaseOnly: boolean): PendingMessage | undefined {
    if (parts.subscriptionUid !== this.uid) return undefined;
    const pending = this.queue.get(parts.messageNumber);
    if (!pending) return undefined;
    if (currentLeaseOnly && (pending.state !== 'leased' || pending.deliveries !== parts.delivery)) {
      return undefined;
    }
    return pending;
  }

  private settle(pending: PendingMessage): StoredMessage {
    this.endLease(pending);
    this.queue.remove(pending);
    return pending.message;
  }

  private endLease(pending: PendingMessage): void {
    this.deadlines.cancel(pending);
    if (pending.holder) {
      pending.holder.released(pending);
      pending.holder = undefined;
      this.scheduleDispatch();
    }
  }

  /** A nack or an expired lease. */
  private fail(pending: PendingMessage): void {
    this.endLease(pending);
    const deadLetter = this.settings.deadLetter;
    if (
      deadLetter &&
      pending.deliveries >= deadLetter.maxDeliveryAttempts &&
      this.owner.deadLetter(this, pending)
    ) {
      this.owner.removed(this, [this.settle(pending)], 'dead-lettered');
      return;
    }
    const delay = retryDelayMs(this.settings.retry, pending.deliveries);
    if (delay > 0) {
      pending.state = 'backoff';
      this.deadlines.schedule(pending, this.now() + delay);
    } else {
      this.queue.retry(pending);
      this.scheduleDispatch();
    }
  }

  private onDeadline(pending: PendingMessage): void {
    if (pending.state === 'leased') {
      this.fail(pending);
    } else if (pending.state === 'backoff') {
      this.queue.retry(pending);
      this.scheduleDispatch();
    }
  }

  private dispatch(): void {
    this.dispatchScheduled = false;
    if (this.closed) return;
    let progress = true;
    while (progress && this.consumers.length > 0 && this.queue.peek()) {
      progress = false;
      const count = this.consumers.length;
      const start = this.cursor++ % count;
      // Delivering may close a consumer and shrink the list: iterate a copy.
      for (const consumer of this.consumers.slice(start).concat(this.consumers.slice(0, start))) {
        if (this.deliverTo(consumer) > 0) progress = true;
        if (!this.queue.peek()) break;
      }
    }
  }

  private deliverTo(consumer: Consumer): number {
    const room = consumer.room();
    const maxMessages = Math.min(room.messages, PUBSUB_DEFAULTS.maxMessagesPerResponse);
    const maxBytes = Math.min(room.bytes, PUBSUB_DEFAULTS.maxBytesPerResponse);
    const received: ReceivedMessage[] = [];
    const leased: PendingMessage[] = [];
    let bytes = 0;
    const deadline = this.now() + consumer.ackDeadlineMs;
    const countAttempts = this.settings.deadLetter !== undefined;
    while (received.length < maxMessages) {
      const next = this.queue.peek();
      if (!next) break;
      const size = next.message.size;
      const fits = received.length === 0 ? size <= room.bytes : bytes + size <= maxBytes;
      if (!fits) break;
      this.queue.take();
      bytes += size;
      next.state = 'leased';
      next.deliveries++;
      next.holder = consumer;
      this.deadlines.schedule(next, deadline);
      leased.push(next);
      received.push({
        ackId: formatAckId({
          subscriptionUid: this.uid,
          messageNumber: next.message.number,
          delivery: next.deliveries,
        }),
        message: next.message.proto,
        deliveryAttempt: countAttempts ? next.deliveries : 0,
      });
    }
    if (received.length > 0) consumer.deliver(received, leased);
    return received.length;
  }
}
