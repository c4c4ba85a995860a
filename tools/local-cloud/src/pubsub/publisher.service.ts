import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '../shared/logger';
import { invalidArgument } from './api-error';
import type { Broker } from './broker';
import { PUBSUB_DEFAULTS } from './defaults';
import { unary } from './grpc-unary';
import { messageContent } from './pubsub-message';
import type { DeleteTopicRequest, GetTopicRequest, ListTopicSubscriptionsRequest, ListTopicSubscriptionsResponse, ListTopicsRequest, ListTopicsResponse, PublishRequest, PublishResponse, Topic, UpdateTopicRequest } from './protos';

const EMPTY = {};

const checkPublish = (request: PublishRequest) => {
  const messages = request.messages ?? [];
  if (messages.length === 0) {
    throw invalidArgument(`Publish to ${request.topic} needs at least one message`);
  }
  if (messages.length > PUBSUB_DEFAULTS.maxMessagesPerPublish) {
    throw invalidArgument(
      `Publish to ${request.topic} has ${messages.length} messages; at most ${PUBSUB_DEFAULTS.maxMessagesPerPublish} are allowed`,
    );
  }
  const contents = messages.map(messageContent);
  const bytes = contents.reduce((sum, content) => sum + content.data.length, 0);
  if (bytes > PUBSUB_DEFAULTS.maxPublishRequestBytes) {
    throw invalidArgument(
      `Publish to ${request.topic} carries ${bytes} bytes; at most ${PUBSUB_DEFAULTS.maxPublishRequestBytes} are allowed`,
    );
  }
  return contents;
};

/** google.pubsub.v1.Publisher over the broker. */
export const publisherService = (broker: Broker, logger: Logger): UntypedServiceImplementation => ({
  CreateTopic: unary(logger, 'CreateTopic', (request: Topic) => broker.createTopic(request)),
  UpdateTopic: unary(logger, 'UpdateTopic', (request: UpdateTopicRequest) =>
    broker.updateTopic(request.topic ?? {}, request.updateMask?.paths),
  ),
  GetTopic: unary(logger, 'GetTopic', (request: GetTopicRequest) => broker.getTopic(request.topic ?? '')),
  ListTopics: unary(logger, 'ListTopics', (request: ListTopicsRequest): ListTopicsResponse => {
    const page = broker.listTopics(request.project ?? '', request);
    return { topics: page.items, nextPageToken: page.nextPageToken };
  }),
  ListTopicSubscriptions: unary(
    logger,
    'ListTopicSubscriptions',
    (request: ListTopicSubscriptionsRequest): ListTopicSubscriptionsResponse => {
      const page = broker.listTopicSubscriptions(request.topic ?? '', request);
      return { subscriptions: page.items, nextPageToken: page.nextPageToken };
    },
  ),
  DeleteTopic: unary(logger, 'DeleteTopic', (request: DeleteTopicRequest) => {
    broker.deleteTopic(request.topic ?? '');
    return EMPTY;
  }),
  Publish: unary(logger, 'Publish', (request: PublishRequest): PublishResponse => ({
    messageIds: broker.publish(request.topic ?? '', checkPublish(request)),
  })),
});
