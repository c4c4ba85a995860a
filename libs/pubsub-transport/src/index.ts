export * from './lib/pubsub.server';
export * from './lib/pubsub.client';
export * from './lib/pubsub.context';
export * from './lib/pubsub.record';
export * from './lib/pubsub-transport.options';
export * from './lib/transport-metrics';
export * from './lib/prometheus-transport-metrics';
export type { PubSubMessageContract } from './lib/inbound-message';
export {
  DEAD_LETTER_ATTRIBUTES,
  INVALID_MESSAGE_REASON,
} from './lib/dead-letter';
export {
  resolveSubscriptionName,
  resolveTopicName,
} from './lib/pattern-resolution';
