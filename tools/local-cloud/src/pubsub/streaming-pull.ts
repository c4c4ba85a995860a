import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from '../shared/logger';
import { ApiError, invalidArgument, toServiceError } from './api-error';
import type { Broker } from './broker';
import type { Consumer } from './consumer';
import type { ReceivedMessage } from './protos';
import { PUBSUB_DEFAULTS } from './defaults';
import { FlowControl, type Room } from './flow-control';
import type { LiveSubscription } from './live-subscription';
import type { PendingMessage } from './subscription-queue';
import type { StreamingPullRequest, StreamingPullResponse, SubscriptionProperties } from './protos';

type Call = ServerDuplexStream<StreamingPullRequest, StreamingPullResponse>;

const NO_ROOM: Room = { messages: 0, bytes: 0 };

const streamAckDeadlineMs = (seconds: number, subscription: LiveSubscription): number => {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > PUBSUB_DEFAULTS.maxAckDeadlineSeconds) {
    throw invalidArgument(
      `stream_ack_deadline_seconds must be between 0 and ${PUBSUB_DEFAULTS.maxAckDeadlineSeconds}, found ${seconds}`,
    );
  }
  return seconds === 0 ? subscription.settings.ackDeadlineMs : seconds * 1000;
};

/**
 * One StreamingPull call. The first request names the subscription and sets
 * flow control for the life of the stream; later ones carry acks, deadline
 * changes and the client's keep-alives (empty requests).
 */
class StreamingPullSession implements Consumer {
  ackDeadlineMs = 0;
  private subscription: LiveSubscription | undefined;
  private flow = new FlowControl(0, 0);
  private properties: SubscriptionProperties = {};
  private writable = true;
  private ended = false;

  constructor(
    private readonly call: Call,
    private readonly broker: Broker,
    private readonly logger: Logger,
  ) {
    call.on('data', (request: StreamingPullRequest) => this.onRequest(request));
    call.on('end', () => this.end());
    call.on('cancelled', () => this.detach());
    call.on('close', () => this.detach());
    call.on('error', () => this.detach());
  }

  room(): Room {
    return this.writable && !this.ended ? this.flow.room() : NO_ROOM;
  }

  deliver(received: ReceivedMessage[], pending: readonly PendingMessage[]): void {
    for (const item of pending) this.flow.add(item.message.size);
    this.send(received);
  }

  released(pending: PendingMessage): void {
    this.flow.release(pending.message.size);
  }

  close(error: ApiError): void {
    if (this.ended) return;
    this.ended = true;
    this.detach();
    this.logger.debug('StreamingPull closed', { subscription: this.subscription?.name, code: error.code, error: error.message });
    // grpc-js turns an 'error' event into the call's final status.
    this.call.emit('error', toServiceError(error));
  }

  private onRequest(request: StreamingPullRequest): void {
    try {
      if (this.subscription) this.apply(this.subscription, request);
      else this.open(request);
    } catch (error) {
      this.close(error instanceof ApiError ? error : new ApiError(status.INTERNAL, String(error)));
    }
  }

  private open(request: StreamingPullRequest): void {
    if (!request.subscription) {
      throw invalidArgument('The first StreamingPull request must name a subscription');
    }
    const subscription = this.broker.subscription(request.subscription);
    this.logger.debug('StreamingPull', {
      subscription: subscription.name,
      maxOutstandingMessages: request.maxOutstandingMessages,
      maxOutstandingBytes: request.maxOutstandingBytes,
    });
    this.ackDeadlineMs = streamAckDeadlineMs(request.streamAckDeadlineSeconds ?? 0, subscription);
    this.flow = new FlowControl(Number(request.maxOutstandingMessages ?? 0), Number(request.maxOutstandingBytes ?? 0));
    this.properties = {
      exactlyOnceDeliveryEnabled: false,
      messageOrderingEnabled: subscription.settings.ordered,
    };
    this.subscription = subscription;
    this.apply(subscription, { ...request, streamAckDeadlineSeconds: 0 });
    // Tells the client the stream is up and how the subscription behaves.
    this.send([]);
    subscription.attach(this);
  }

  private apply(subscription: LiveSubscription, request: StreamingPullRequest): void {
    if (request.ackIds?.length) subscription.acknowledge(request.ackIds);
    const ids = request.modifyDeadlineAckIds ?? [];
    const seconds = request.modifyDeadlineSeconds ?? [];
    if (ids.length !== seconds.length) {
      throw invalidArgument(
        `modify_deadline_ack_ids has ${ids.length} entries but modify_deadline_seconds has ${seconds.length}`,
      );
    }
    ids.forEach((ackId, index) => subscription.modifyAckDeadline([ackId], seconds[index]));
    if (request.streamAckDeadlineSeconds) {
      this.ackDeadlineMs = streamAckDeadlineMs(request.streamAckDeadlineSeconds, subscription);
    }
  }

  private send(received: ReceivedMessage[]): void {
    this.writable = this.call.write({ receivedMessages: received, subscriptionProperties: this.properties });
    if (!this.writable) {
      this.call.once('drain', () => {
        this.writable = true;
        this.subscription?.scheduleDispatch();
      });
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.detach();
    this.call.end();
  }

  private detach(): void {
    this.ended = true;
    this.subscription?.detach(this);
  }
}

export const streamingPull =
  (broker: Broker, logger: Logger) =>
  (call: Call): void => {
    new StreamingPullSession(call, broker, logger);
  };
