import {
  Duration,
  Message,
  PubSub,
  Subscription,
  SubscriptionCloseBehaviors,
  Topic,
} from '@google-cloud/pubsub';
import type { LoggerService } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { invalidMessageDeadLetter } from './dead-letter';
import { describeError } from './error-message';
import { PubSubMessageContract, readInboundMessage } from './inbound-message';
import { OrderedDispatcher } from './ordered-dispatcher';
import { PubSubContext } from './pubsub.context';
import type { ResolvedServerOptions } from './pubsub-transport.options';
import type { TransportMetrics } from './transport-metrics';

type ConsumerState = 'opening' | 'open' | 'closing' | 'closed' | 'broken';

/** How a delivery ended, named after the metric it counts towards. */
type Outcome = 'acked' | 'nacked' | 'deadLettered' | 'discarded';

export interface ConsumerSpec {
  pattern: string;
  subscriptionName: string;
  handler: MessageHandler;
  contract: PubSubMessageContract;
}

export interface ConsumerDeps {
  pubsub: PubSub;
  options: Pick<ResolvedServerOptions, 'flowControl' | 'shutdownTimeoutMs'>;
  metrics: TransportMetrics;
  logger: LoggerService;
  /** Called when the stream ends for good without being asked to. */
  onBroken(): void;
}

/** Waits for what a Nest handler returned: a promise, an observable, or both. */
const settled = async (result: unknown): Promise<void> => {
  const value = await result;
  if (isObservable(value))
    await lastValueFrom(value, { defaultValue: undefined });
};

/**
 * One subscription and the `@EventPattern` handler it feeds: decodes and
 * validates each message, runs the handler, and acks or nacks only once the
 * handler has settled.
 */
export class SubscriptionConsumer {
  private state: ConsumerState = 'opening';
  private subscription?: Subscription;
  private deadLetterTopic?: Topic;
  private ordered = false;
  private readonly dispatcher: OrderedDispatcher;

  constructor(
    readonly spec: ConsumerSpec,
    private readonly deps: ConsumerDeps,
  ) {
    this.dispatcher = new OrderedDispatcher(
      deps.options.flowControl.maxMessages,
    );
  }

  get ready(): boolean {
    return this.state === 'open' && this.subscription?.isOpen === true;
  }

  async open(): Promise<void> {
    const { pubsub, options } = this.deps;
    const subscription = pubsub.subscription(this.spec.subscriptionName, {
      flowControl: options.flowControl,
      // The default, NACK, nacks messages whose handlers are still running;
      // WAIT stops the stream at once and lets them finish and their acks
      // flush, nacking only what is left a second before the timeout.
      closeOptions: {
        behavior: SubscriptionCloseBehaviors.WaitForProcessing,
        timeout: Duration.from({ milliseconds: options.shutdownTimeoutMs }),
      },
    });
    const metadata = await subscription.getMetadata().then(
      ([found]) => found,
      (error: unknown) => {
        throw new Error(
          `subscription ${this.spec.subscriptionName} (pattern ${this.spec.pattern}) cannot be opened: ${describeError(error)}`,
          { cause: error },
        );
      },
    );
    this.ordered = metadata.enableMessageOrdering === true;
    const deadLetterTopic = metadata.deadLetterPolicy?.deadLetterTopic;
    if (deadLetterTopic) this.deadLetterTopic = pubsub.topic(deadLetterTopic);
    this.subscription = subscription
      .on('error', (error) => this.onError(error))
      .on('close', () => this.onClose());
    if (this.state !== 'opening') return;
    this.state = 'open';
    subscription.on('message', (message: Message) => this.onMessage(message));
  }

  /**
   * Stops pulling at once, releases messages whose handlers have not
   * started, waits (up to the shutdown timeout) for running handlers and
   * their acks, then flushes dead-letter publishes.
   */
  async close(): Promise<void> {
    this.state = 'closing';
    this.dispatcher.cancelPending();
    await this.subscription?.close();
    this.state = 'closed';
    await this.deadLetterTopic?.flush();
  }

  private onMessage(message: Message): void {
    this.deps.metrics.received(this.spec.pattern);
    if (this.state !== 'open') {
      this.settle(message, 'nacked');
      return;
    }
    this.dispatcher.submit({
      key: this.ordered ? message.orderingKey || undefined : undefined,
      run: () => this.deliver(message),
      cancel: () => this.settle(message, 'nacked'),
    });
  }

  /** Resolves true when the message was acked, false when nacked. */
  private async deliver(message: Message): Promise<boolean> {
    const { pattern, subscriptionName, handler, contract } = this.spec;
    if (!this.ready) {
      // The stream broke while this waited its turn; the client library is
      // about to nack it anyway.
      this.settle(message, 'nacked');
      return false;
    }
    const inbound = readInboundMessage(
      message.data,
      message.attributes,
      contract,
    );
    if (!inbound.ok) return this.rejectInvalid(message, inbound.errors);
    const context = new PubSubContext([message, pattern, subscriptionName]);
    const started = performance.now();
    let outcome: Outcome = 'acked';
    try {
      await settled(handler(inbound.data, context));
    } catch (error) {
      outcome = 'nacked';
      this.deps.logger.warn(
        `nacked message ${message.id} of ${pattern} (delivery attempt ${message.deliveryAttempt}): ${describeError(error)}`,
      );
    }
    this.deps.metrics.handlerLatency(
      pattern,
      (performance.now() - started) / 1000,
    );
    this.settle(message, outcome);
    return outcome === 'acked';
  }

  /**
   * An invalid message fails the same way on every delivery: publish it to
   * the dead-letter topic with its errors and ack it, rather than let it
   * use up its delivery attempts.
   */
  private async rejectInvalid(
    message: Message,
    errors: string[],
  ): Promise<boolean> {
    const { pattern, subscriptionName } = this.spec;
    const what = `invalid message ${message.id} of ${pattern} (${errors.join('; ')})`;
    if (!this.deadLetterTopic) {
      this.deps.logger.error(
        `discarded ${what}: subscription ${subscriptionName} has no dead-letter topic`,
      );
      this.settle(message, 'discarded');
      return true;
    }
    try {
      await this.deadLetterTopic.publishMessage(
        invalidMessageDeadLetter(message, subscriptionName, errors),
      );
    } catch (error) {
      this.deps.logger.error(
        `could not dead-letter ${what}, nacked it instead: ${describeError(error)}`,
      );
      this.settle(message, 'nacked');
      return false;
    }
    this.deps.logger.warn(
      `dead-lettered ${what} to ${this.deadLetterTopic.name}`,
    );
    this.settle(message, 'deadLettered');
    return true;
  }

  private settle(message: Message, outcome: Outcome): void {
    if (this.state === 'closed') {
      // close() gave up waiting and nacked it; its ack queue is closed now.
      this.deps.logger.warn(
        `message ${message.id} of ${this.spec.pattern} finished after the shutdown timeout, once nacked; it will be redelivered`,
      );
      this.deps.metrics.nacked(this.spec.pattern);
      return;
    }
    if (outcome === 'nacked') message.nack();
    else message.ack();
    this.deps.metrics[outcome](this.spec.pattern);
  }

  private onError(error: Error): void {
    this.deps.logger.error(
      `subscription ${this.spec.subscriptionName}: ${describeError(error)}`,
    );
  }

  private onClose(): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'broken';
    this.deps.logger.error(
      `subscription ${this.spec.subscriptionName} stopped streaming and will not resume`,
    );
    this.deps.onBroken();
  }
}
