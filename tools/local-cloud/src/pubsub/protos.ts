/**
 * The google.pubsub.v1 message shapes, as typed by @google-cloud/pubsub
 * (type-only: nothing of the client is loaded at run time).
 */
import type { google } from '@google-cloud/pubsub/build/protos/protos';

type V1 = typeof google.pubsub.v1;
type Shape<K extends keyof V1> = V1[K] extends abstract new (properties?: infer P) => unknown ? NonNullable<P> : never;

export type Duration = google.protobuf.IDuration;
export type Timestamp = google.protobuf.ITimestamp;
export type Topic = Shape<'Topic'>;
export type Subscription = Shape<'Subscription'>;
export type PubsubMessage = Shape<'PubsubMessage'>;
export type ReceivedMessage = Shape<'ReceivedMessage'>;
export type RetryPolicy = Shape<'RetryPolicy'>;
export type DeadLetterPolicy = Shape<'DeadLetterPolicy'>;
export type PublishRequest = Shape<'PublishRequest'>;
export type PublishResponse = Shape<'PublishResponse'>;
export type GetTopicRequest = Shape<'GetTopicRequest'>;
export type UpdateTopicRequest = Shape<'UpdateTopicRequest'>;
export type ListTopicsRequest = Shape<'ListTopicsRequest'>;
export type ListTopicsResponse = Shape<'ListTopicsResponse'>;
export type ListTopicSubscriptionsRequest = Shape<'ListTopicSubscriptionsRequest'>;
export type ListTopicSubscriptionsResponse = Shape<'ListTopicSubscriptionsResponse'>;
export type DeleteTopicRequest = Shape<'DeleteTopicRequest'>;
export type GetSubscriptionRequest = Shape<'GetSubscriptionRequest'>;
export type UpdateSubscriptionRequest = Shape<'UpdateSubscriptionRequest'>;
export type ListSubscriptionsRequest = Shape<'ListSubscriptionsRequest'>;
export type ListSubscriptionsResponse = Shape<'ListSubscriptionsResponse'>;
export type DeleteSubscriptionRequest = Shape<'DeleteSubscriptionRequest'>;
export type AcknowledgeRequest = Shape<'AcknowledgeRequest'>;
export type ModifyAckDeadlineRequest = Shape<'ModifyAckDeadlineRequest'>;
export type PullRequest = Shape<'PullRequest'>;
export type PullResponse = Shape<'PullResponse'>;
export type StreamingPullRequest = Shape<'StreamingPullRequest'>;
export type StreamingPullResponse = Shape<'StreamingPullResponse'>;
export type SubscriptionProperties = google.pubsub.v1.StreamingPullResponse.ISubscriptionProperties;
