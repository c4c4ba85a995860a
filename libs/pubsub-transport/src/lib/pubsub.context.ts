import type { Message } from '@google-cloud/pubsub';
import { BaseRpcContext } from '@nestjs/microservices';

type PubSubContextArgs = [
  message: Message,
  pattern: string,
  subscription: string,
];

/**
 * What a handler can know about the delivery it is handling, through
 * `@Ctx() context: PubSubContext`. The transport acks or nacks the message
 * itself once the handler settles; handlers never do.
 */
export class PubSubContext extends BaseRpcContext<PubSubContextArgs> {
  /** The client library's message (data, attributes, ids). */
  getMessage(): Message {
    return this.args[0];
  }

  /** The `@EventPattern` the message was routed by. */
  getPattern(): string {
    return this.args[1];
  }

  /** The subscription name the message was pulled from. */
  getSubscription(): string {
    return this.args[2];
  }

  getMessageId(): string {
    return this.args[0].id;
  }

  /**
   * 1 on the first delivery, counting up on redeliveries. Pub/Sub only
   * tracks it on subscriptions with a dead-letter policy; elsewhere it is 0.
   */
  getDeliveryAttempt(): number {
    return this.args[0].deliveryAttempt;
  }

  getPublishTime(): Date {
    return this.args[0].publishTime;
  }

  /** The ordering key, or undefined for a message published without one. */
  getOrderingKey(): string | undefined {
    return this.args[0].orderingKey || undefined;
  }

  getAttributes(): Readonly<Record<string, string>> {
    return this.args[0].attributes;
  }
}
