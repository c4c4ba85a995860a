import {
  SUBSCRIPTION_KEYS,
  SubscriptionKey,
  TOPIC_KEYS,
  TopicKey,
  Topology,
} from '@event-pipeline/schema';

const isSubscriptionKey = (pattern: string): pattern is SubscriptionKey =>
  (SUBSCRIPTION_KEYS as readonly string[]).includes(pattern);

const isTopicKey = (pattern: string): pattern is TopicKey =>
  (TOPIC_KEYS as readonly string[]).includes(pattern);

/**
 * The subscription an `@EventPattern` listens to: a subscription key of the
 * topology (`profileUpdater`) names whatever the environment configured for
 * it; any other pattern is taken as a subscription name as is.
 */
export const resolveSubscriptionName = (
  pattern: string,
  topology: Topology,
): string =>
  isSubscriptionKey(pattern) ? topology.subscriptions[pattern].name : pattern;

/**
 * The topic `emit` publishes to: a topic key of the topology
 * (`profileChanges`) or a topic name as is.
 */
export const resolveTopicName = (
  pattern: string,
  topology: Topology,
): string => (isTopicKey(pattern) ? topology.topics[pattern] : pattern);
