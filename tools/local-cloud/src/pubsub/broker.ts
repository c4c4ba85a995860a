import { status } from '@grpc/grpc-js';
import type { Logger } from '../shared/logger';
import { ApiError, alreadyExists, notFound } from './api-error';
import { PUBSUB_DEFAULTS } from './defaults';
import { msToDuration } from './durations';
import {
  LiveSubscription,
  newSubscriptionUid,
  type RemovalReason,
  type SubscriptionOwner,
} from './live-subscription';
import { paginate, type Page } from './pagination';
import { createStoredMessage, type MessageContent, type StoredMessage } from './pubsub-message';
import { idOf, parseProjectName, parseSubscriptionName, parseTopicName, projectOf } from './resource-names';
import { NO_JOURNAL, type BrokerState, type HeldMessage, type SavedSubscription, type StateJournal } from './state-journal';
import { resolveSubscription, updateSubscription } from './subscription-settings';
import type { PendingMessage } from './subscription-queue';
import type { Subscription, Topic } from './protos';
import { resolveTopic, updateTopic } from './topic-settings';

interface TopicState {
  resource: Topic;
  retentionMs: number | undefined;
  subscriptions: Set<LiveSubscription>;
}

/** What Google shows as the topic of a subscription whose topic was deleted. */
const DELETED_TOPIC = '_deleted-topic_';

/** Google's attribute values show the publish time with a numeric zone. */
const formatPublishTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

export interface PageRequest {
  pageSize?: number | null;
  pageToken?: string | null;
}

/**
 * Topics, subscriptions and the messages between them. Each published
 * message is stored once and shared by the subscriptions that hold it.
 */
export class Broker implements SubscriptionOwner {
  private readonly topics = new Map<string, TopicState>();
  private readonly subscriptions = new Map<string, LiveSubscription>();
  /** Subscriptions whose topic was deleted. */
  private readonly orphans = new Set<LiveSubscription>();
  /** Messages some subscription still holds, in publish order. */
  private readonly messages = new Map<number, StoredMessage>();
  private nextMessageNumber = 1;
  private readonly sweepTimer: NodeJS.Timeout;
  journal: StateJournal = NO_JOURNAL;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.sweepTimer = setInterval(() => this.expireMessages(), PUBSUB_DEFAULTS.retentionSweepMs);
    this.sweepTimer.unref();
  }

  // Topics

  createTopic(request: Topic): Topic {
    const { resource, retentionMs } = resolveTopic(request);
    const name = resource.name as string;
    if (this.topics.has(name)) throw alreadyExists('Topic', name);
    this.topics.set(name, { resource, retentionMs, subscriptions: new Set() });
    this.journal.topicSaved(resource);
    return resource;
  }

  getTopic(name: string): Topic {
    return this.requireTopic(name).resource;
  }

  updateTopic(patch: Topic, paths: readonly string[] | null | undefined): Topic {
    const topic = this.requireTopic(patch.name ?? '');
    const { resource, retentionMs } = updateTopic(topic.resource, patch, paths);
    topic.resource = resource;
    topic.retentionMs = retentionMs;
    this.journal.topicSaved(resource);
    return resource;
  }

  listTopics(project: string, page: PageRequest): Page<Topic> {
    const id = parseProjectName(project);
    const topics = [...this.topics.values()]
      .map((topic) => topic.resource)
      .filter((resource) => projectOf(resource.name as string) === id);
    return paginate(topics, (topic) => topic.name as string, page.pageSize, page.pageToken);
  }

  listTopicSubscriptions(topicName: string, page: PageRequest): Page<string> {
    const topic = this.requireTopic(topicName);
    const names = [...topic.subscriptions].map((subscription) => subscription.name);
    return paginate(names, (name) => name, page.pageSize, page.pageToken);
  }

  deleteTopic(name: string): void {
    const topic = this.requireTopic(name);
    this.topics.delete(name);
    for (const subscription of topic.subscriptions) this.orphans.add(subscription);
    this.journal.topicDeleted(name);
  }

  publish(topicName: string, contents: readonly MessageContent[]): string[] {
    const topic = this.requireTopic(topicName);
    const publishedAt = this.now();
    const stored = contents.map((content) =>
      createStoredMessage(this.nextMessageNumber++, content, publishedAt),
    );
    if (topic.subscriptions.size === 0) {
      this.journal.numbersSpent(this.nextMessageNumber);
    } else {
      this.journal.published(topicName, stored);
      this.fanOut(topic, stored);
    }
    return stored.map((message) => message.proto.messageId as string);
  }

  // Subscriptions

  createSubscription(request: Subscription): Subscription {
    const resolved = resolveSubscription(request);
    const { name, topic: topicName, deadLetter } = resolved.settings;
    const topic = this.requireTopic(topicName);
    if (deadLetter && !this.topics.has(deadLetter.topic)) throw notFound('Dead-letter topic', deadLetter.topic);
    if (this.subscriptions.has(name)) throw alreadyExists('Subscription', name);
    const subscription = new LiveSubscription(resolved.resource, resolved.settings, newSubscriptionUid(), this, this.now);
    this.subscriptions.set(name, subscription);
    topic.subscriptions.add(subscription);
    this.journal.subscriptionSaved(this.saved(subscription));
    return this.describe(subscription);
  }

  getSubscription(name: string): Subscription {
    return this.describe(this.subscription(name));
  }

  updateSubscription(
    patch: Subscription,
    paths: readonly string[] | null | undefined,
  ): Subscription {
    const subscription = this.subscription(patch.name ?? '');
    const resolved = updateSubscription(subscription.resource, patch, paths);
    const deadLetter = resolved.settings.deadLetter;
    if (deadLetter && !this.topics.has(deadLetter.topic)) throw notFound('Dead-letter topic', deadLetter.topic);
    subscription.update(resolved.resource, resolved.settings);
    this.journal.subscriptionSaved(this.saved(subscription));
    return this.describe(subscription);
  }

  listSubscriptions(project: string, page: PageRequest): Page<Subscription> {
    const id = parseProjectName(project);
    const subscriptions = [...this.subscriptions.values()].filter(
      (subscription) => projectOf(subscription.name) === id,
    );
    const result = paginate(subscriptions, (subscription) => subscription.name, page.pageSize, page.pageToken);
    return { items: result.items.map((subscription) => this.describe(subscription)), nextPageToken: result.nextPageToken };
  }

  deleteSubscription(name: string): void {
    const subscription = this.subscription(name);
    this.subscriptions.delete(name);
    this.orphans.delete(subscription);
    this.topics.get(subscription.settings.topic)?.subscriptions.delete(subscription);
    subscription.close(new ApiError(status.NOT_FOUND, `Subscription was deleted: ${name}`));
    this.release([...subscription.pendingMessages()].map((pending) => pending.message));
    this.journal.subscriptionDeleted(name);
  }

  /** The live subscription, or NOT_FOUND. */
  subscription(name: string): LiveSubscription {
    parseSubscriptionName(name);
    const subscription = this.subscriptions.get(name);
    if (!subscription) throw notFound('Subscription', name);
    return subscription;
  }

  // SubscriptionOwner

  deadLetter(subscription: LiveSubscription, pending: PendingMessage): boolean {
    const deadLetterTopic = subscription.settings.deadLetter?.topic ?? '';
    if (!this.topics.has(deadLetterTopic)) {
      this.logger.warn('dead-letter topic is missing, message stays on its subscription', {
        subscription: subscription.name,
        deadLetterTopic,
      });
      return false;
    }
    const { message } = pending;
    this.publish(deadLetterTopic, [
      {
        data: message.data,
        orderingKey: message.orderingKey,
        attributes: {
          ...message.attributes,
          CloudPubSubDeadLetterSourceDeliveryCount: String(pending.deliveries),
          CloudPubSubDeadLetterSourceSubscription: idOf(subscription.name),
          CloudPubSubDeadLetterSourceSubscriptionProject: projectOf(subscription.name),
          CloudPubSubDeadLetterSourceTopicPublishTime: formatPublishTime(message.publishedAtMs),
        },
      },
    ]);
    return true;
  }

  removed(subscription: LiveSubscription, messages: StoredMessage[], reason: RemovalReason): void {
    // Expiry is not recorded: replay expires the same messages again.
    if (reason !== 'expired') {
      this.journal.removed(subscription.name, messages.map((message) => message.number));
    }
    this.release(messages);
  }

  // Persistence

  /** Rebuilds one message from a snapshot, for the subscriptions listed. */
  restoreMessage(message: StoredMessage, holders: readonly [string, number][]): void {
    this.nextMessageNumber = Math.max(this.nextMessageNumber, message.number + 1);
    for (const [name, deliveries] of holders) {
      const subscription = this.subscriptions.get(name);
      if (!subscription) continue;
      message.refs++;
      subscription.enqueue(message, deliveries);
    }
    if (message.refs > 0) this.messages.set(message.number, message);
  }

  /** Replays a recorded publish with the ids it was given. */
  replayPublish(topicName: string, messages: StoredMessage[]): void {
    const last = messages[messages.length - 1];
    if (last) this.spendNumbers(last.number + 1);
    const topic = this.topics.get(topicName);
    if (topic) this.fanOut(topic, messages);
  }

  spendNumbers(nextMessageNumber: number): void {
    this.nextMessageNumber = Math.max(this.nextMessageNumber, nextMessageNumber);
  }

  restoreSubscription(saved: SavedSubscription): void {
    const resolved = resolveSubscription(saved.resource);
    const existing = this.subscriptions.get(resolved.settings.name);
    if (existing) {
      existing.update(resolved.resource, resolved.settings);
      return;
    }
    const subscription = new LiveSubscription(resolved.resource, resolved.settings, saved.uid, this, this.now);
    this.subscriptions.set(subscription.name, subscription);
    const topic = saved.topicDeleted ? undefined : this.topics.get(resolved.settings.topic);
    if (topic) topic.subscriptions.add(subscription);
    else this.orphans.add(subscription);
  }

  restoreTopic(resource: Topic): void {
    const resolved = resolveTopic(resource);
    const name = resolved.resource.name as string;
    const existing = this.topics.get(name);
    if (existing) {
      existing.resource = resolved.resource;
      existing.retentionMs = resolved.retentionMs;
    } else {
      this.topics.set(name, { ...resolved, subscriptions: new Set() });
    }
  }

  /** The state to compact the journal into. */
  exportState(): BrokerState {
    const subscriptions = [...this.subscriptions.values()];
    const held = function* (messages: Iterable<StoredMessage>): Generator<HeldMessage> {
      for (const message of messages) {
        const holders: [string, number][] = [];
        for (const subscription of subscriptions) {
          const pending = subscription.pendingMessage(message.number);
          if (pending) holders.push([subscription.name, pending.deliveries]);
        }
        if (holders.length > 0) yield { message, holders };
      }
    };
    return {
      nextMessageNumber: this.nextMessageNumber,
      topics: [...this.topics.values()].map((topic) => topic.resource),
      subscriptions: subscriptions.map((subscription) => this.saved(subscription)),
      messages: held([...this.messages.values()]),
    };
  }

  /** Bytes of message data held, to size compaction against. */
  liveBytes(): number {
    let bytes = 0;
    for (const message of this.messages.values()) bytes += message.data.length;
    return bytes;
  }

  /** Drops messages older than their subscription's retention. */
  expireMessages(): void {
    const now = this.now();
    for (const subscription of this.subscriptions.values()) {
      const topicRetention = this.topics.get(subscription.settings.topic)?.retentionMs ?? 0;
      subscription.expire(now - Math.max(subscription.settings.retentionMs, topicRetention));
    }
  }

  close(error: ApiError): void {
    clearInterval(this.sweepTimer);
    for (const subscription of this.subscriptions.values()) subscription.close(error);
  }

  private fanOut(topic: TopicState, messages: readonly StoredMessage[]): void {
    for (const message of messages) {
      message.refs = topic.subscriptions.size;
      this.messages.set(message.number, message);
    }
    for (const subscription of topic.subscriptions) {
      for (const message of messages) subscription.enqueue(message);
    }
  }

  private release(messages: readonly StoredMessage[]): void {
    for (const message of messages) {
      if (--message.refs <= 0) this.messages.delete(message.number);
    }
  }

  private requireTopic(name: string): TopicState {
    parseTopicName(name);
    const topic = this.topics.get(name);
    if (!topic) throw notFound('Topic', name);
    return topic;
  }

  private saved(subscription: LiveSubscription): SavedSubscription {
    return { resource: subscription.resource, uid: subscription.uid, topicDeleted: this.orphans.has(subscription) };
  }

  private describe(subscription: LiveSubscription): Subscription {
    const topic = this.orphans.has(subscription) ? undefined : this.topics.get(subscription.settings.topic);
    return {
      ...subscription.resource,
      topic: topic ? subscription.resource.topic : DELETED_TOPIC,
      topicMessageRetentionDuration:
        topic?.retentionMs === undefined ? null : msToDuration(topic.retentionMs),
    };
  }
}
