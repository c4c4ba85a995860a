import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '../shared/logger';
import type { Broker } from './broker';
import { unary } from './grpc-unary';
import { pull } from './pull-request';
import { streamingPull } from './streaming-pull';
import type { AcknowledgeRequest, DeleteSubscriptionRequest, GetSubscriptionRequest, ListSubscriptionsRequest, ListSubscriptionsResponse, ModifyAckDeadlineRequest, PullRequest, Subscription, UpdateSubscriptionRequest } from './protos';

const EMPTY = {};

/** google.pubsub.v1.Subscriber over the broker. */
export const subscriberService = (broker: Broker, logger: Logger): UntypedServiceImplementation => ({
  CreateSubscription: unary(logger, 'CreateSubscription', (request: Subscription) =>
    broker.createSubscription(request),
  ),
  GetSubscription: unary(logger, 'GetSubscription', (request: GetSubscriptionRequest) =>
    broker.getSubscription(request.subscription ?? ''),
  ),
  UpdateSubscription: unary(logger, 'UpdateSubscription', (request: UpdateSubscriptionRequest) =>
    broker.updateSubscription(request.subscription ?? {}, request.updateMask?.paths),
  ),
  ListSubscriptions: unary(
    logger,
    'ListSubscriptions',
    (request: ListSubscriptionsRequest): ListSubscriptionsResponse => {
      const page = broker.listSubscriptions(request.project ?? '', request);
      return { subscriptions: page.items, nextPageToken: page.nextPageToken };
    },
  ),
  DeleteSubscription: unary(logger, 'DeleteSubscription', (request: DeleteSubscriptionRequest) => {
    broker.deleteSubscription(request.subscription ?? '');
    return EMPTY;
  }),
  Acknowledge: unary(logger, 'Acknowledge', (request: AcknowledgeRequest) => {
    broker.subscription(request.subscription ?? '').acknowledge(request.ackIds ?? []);
    return EMPTY;
  }),
  ModifyAckDeadline: unary(logger, 'ModifyAckDeadline', (request: ModifyAckDeadlineRequest) => {
    broker
      .subscription(request.subscription ?? '')
      .modifyAckDeadline(request.ackIds ?? [], request.ackDeadlineSeconds ?? 0);
    return EMPTY;
  }),
  Pull: unary(logger, 'Pull', (request: PullRequest, call) =>
    pull(broker.subscription(request.subscription ?? ''), request, call),
  ),
  StreamingPull: streamingPull(broker, logger),
});
