import type { PubSub } from '@google-cloud/pubsub';
import { Logger } from '@nestjs/common';
import {
  CustomTransportStrategy,
  MessageHandler,
  Server,
} from '@nestjs/microservices';
import { describeError } from './error-message';
import type { PubSubMessageContract } from './inbound-message';
import { resolveSubscriptionName } from './pattern-resolution';
import { createPubSub } from './pubsub-connection';
import {
  PubSubServerOptions,
  resolveServerOptions,
  ResolvedServerOptions,
} from './pubsub-transport.options';
import { ConsumerSpec, SubscriptionConsumer } from './subscription-consumer';
import { NO_TRANSPORT_METRICS, TransportMetrics } from './transport-metrics';

export type PubSubServerStatus =
  | 'connecting'
  | 'ready'
  | 'closing'
  | 'closed'
  | 'broken';

/**
 * A Nest microservice transport over Pub/Sub pull subscriptions. Each
 * `@EventPattern` names a subscription (a topology subscription key such as
 * `profileUpdater`, or a subscription name) and may carry the DTOs its
 * messages must satisfy: `@EventPattern('profileUpdater', { dto: ProfileChangeBatchDto })`.
 */
export class PubSubServer
  extends Server<Record<string, never>, PubSubServerStatus>
  implements CustomTransportStrategy
{
  protected override readonly logger = new Logger(PubSubServer.name);
  private readonly options: ResolvedServerOptions;
  private readonly metrics: TransportMetrics;
  private pubsub?: PubSub;
  private consumers: SubscriptionConsumer[] = [];
  private state: PubSubServerStatus = 'connecting';
  private closing?: Promise<void>;

  constructor(options: PubSubServerOptions = {}) {
    super();
    this.options = resolveServerOptions(options);
    this.metrics = options.metrics ?? NO_TRANSPORT_METRICS;
  }

  /**
   * True once every subscription is open, false again from the start of
   * shutdown or as soon as a subscription's stream breaks for good.
   */
  isReady(): boolean {
    return (
      this.state === 'ready' &&
      this.consumers.every((consumer) => consumer.ready)
    );
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /**
   * Stops pulling, lets running handlers finish and their acks flush (up
   * to `shutdownTimeoutMs`), flushes dead-letter publishes, then closes the
   * client. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  unwrap<T>(): T {
    if (!this.pubsub) {
      throw new Error(
        'PubSubServer is not listening: start the microservice first',
      );
    }
    return this.pubsub as T;
  }

  on(): never {
    throw new Error(
      'PubSubServer emits no events: use isReady() or the status observable',
    );
  }

  private async start(): Promise<void> {
    this.setState('connecting');
    const specs = [...this.messageHandlers].map(([pattern, handler]) =>
      this.consumerSpec(pattern, handler),
    );
    assertOneHandlerPerSubscription(specs);
    if (specs.length === 0) {
      this.logger.warn(
        'no @EventPattern handlers registered: nothing to consume',
      );
    }
    const pubsub = (this.pubsub = createPubSub(this.options));
    const deps = {
      pubsub,
      options: this.options,
      metrics: this.metrics,
      logger: this.logger,
      onBroken: () => this.setState('broken'),
    };
    this.consumers = specs.map((spec) => new SubscriptionConsumer(spec, deps));
    const opened = await Promise.allSettled(
      this.consumers.map((c) => c.open()),
    );
    const failures = opened.flatMap((result) =>
      result.status === 'rejected' ? [describeError(result.reason)] : [],
    );
    if (failures.length > 0) {
      await this.close();
      throw new Error(`PubSubServer could not start: ${failures.join('; ')}`);
    }
    if (this.state === 'connecting') this.setState('ready');
  }

  private consumerSpec(pattern: string, handler: MessageHandler): ConsumerSpec {
    if (!handler.isEventHandler) {
      throw new Error(
        `@MessagePattern(${pattern}) is request-response, which Pub/Sub does not carry: use @EventPattern`,
      );
    }
    return {
      pattern,
      subscriptionName: resolveSubscriptionName(pattern, this.options.topology),
      handler,
      contract: (handler.extras ?? {}) as PubSubMessageContract,
    };
  }

  private async shutdown(): Promise<void> {
    this.setState('closing');
    await Promise.all(this.consumers.map((consumer) => consumer.close()));
    await this.pubsub?.close();
    this.setState('closed');
  }

  /** Once closing, the only way on is to closed. */
  private setState(state: PubSubServerStatus): void {
    const shuttingDown = this.state === 'closing' || this.state === 'closed';
    if (shuttingDown && state !== 'closed') return;
    this.state = state;
    this._status$.next(state);
  }
}

const assertOneHandlerPerSubscription = (specs: ConsumerSpec[]): void => {
  const patternBySubscription = new Map<string, string>();
  for (const { pattern, subscriptionName } of specs) {
    const other = patternBySubscription.get(subscriptionName);
    if (other !== undefined) {
      throw new Error(
        `patterns ${other} and ${pattern} both name subscription ${subscriptionName}`,
      );
    }
    patternBySubscription.set(subscriptionName, pattern);
  }
};
