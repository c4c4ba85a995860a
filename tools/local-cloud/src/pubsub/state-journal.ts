import type { StoredMessage } from './pubsub-message';
import type { Subscription } from './protos';
import type { Topic } from './protos';

/** Everything needed to rebuild the broker, as compaction writes it. */
export interface BrokerState {
  nextMessageNumber: number;
  topics: Topic[];
  subscriptions: SavedSubscription[];
  /** Live messages in publish order, each with who still holds it. */
  messages: Iterable<HeldMessage>;
}

export interface SavedSubscription {
  resource: Subscription;
  uid: string;
  /** Its topic was deleted; it keeps its backlog but gets nothing new. */
  topicDeleted: boolean;
}

export interface HeldMessage {
  message: StoredMessage;
  /** Subscription name and delivery count of each subscription holding it. */
  holders: [string, number][];
}

/** Where the broker records each change, so that a restart can replay it. */
export interface StateJournal {
  topicSaved(resource: Topic): void;
  topicDeleted(name: string): void;
  subscriptionSaved(saved: SavedSubscription): void;
  subscriptionDeleted(name: string): void;
  published(topic: string, messages: readonly StoredMessage[]): void;
  /** Messages published to a topic without subscriptions: only ids are spent. */
  numbersSpent(nextMessageNumber: number): void;
  removed(subscription: string, numbers: readonly number[]): void;
  close(): void;
}

/** In-memory mode: nothing is recorded. */
export const NO_JOURNAL: StateJournal = {
  topicSaved: () => undefined,
  topicDeleted: () => undefined,
  subscriptionSaved: () => undefined,
  subscriptionDeleted: () => undefined,
  published: () => undefined,
  numbersSpent: () => undefined,
  removed: () => undefined,
  close: () => undefined,
};
