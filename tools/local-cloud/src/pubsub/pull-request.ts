import type { ServerUnaryCall } from '@grpc/grpc-js';
import { invalidArgument, type ApiError } from './api-error';
import type { Consumer } from './consumer';
import type { ReceivedMessage } from './protos';
import { PUBSUB_DEFAULTS } from './defaults';
import type { Room } from './flow-control';
import type { LiveSubscription } from './live-subscription';
import type { PullRequest, PullResponse } from './protos';

/**
 * A unary Pull as a one-shot consumer: it takes up to max_messages once,
 * waiting a bounded time for the first one unless told to return at once.
 */
class PullConsumer implements Consumer {
  readonly ackDeadlineMs: number;
  private done = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly subscription: LiveSubscription,
    private readonly maxMessages: number,
    private readonly resolve: (received: ReceivedMessage[]) => void,
    private readonly reject: (error: ApiError) => void,
  ) {
    this.ackDeadlineMs = subscription.settings.ackDeadlineMs;
  }

  get finished(): boolean {
    return this.done;
  }

  room(): Room {
    return this.done ? { messages: 0, bytes: 0 } : { messages: this.maxMessages, bytes: Infinity };
  }

  deliver(received: ReceivedMessage[]): void {
    this.finish();
    this.resolve(received);
  }

  released(): void {
    // A Pull holds no flow-control budget.
  }

  close(error: ApiError): void {
    this.finish();
    this.reject(error);
  }

  waitUpTo(ms: number): void {
    this.timer = setTimeout(() => this.deliver([]), ms);
  }

  finish(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.subscription.detach(this);
  }
}

export const pull = (
  subscription: LiveSubscription,
  request: PullRequest,
  call: ServerUnaryCall<PullRequest, PullResponse>,
): Promise<PullResponse> => {
  const maxMessages = request.maxMessages ?? 0;
  if (maxMessages <= 0) {
    throw invalidArgument(`max_messages must be positive, found ${maxMessages}`);
  }
  return new Promise((resolve, reject) => {
    const consumer = new PullConsumer(
      subscription,
      maxMessages,
      (received) => resolve({ receivedMessages: received }),
      reject,
    );
    subscription.attach(consumer);
    subscription.dispatchNow();
    if (consumer.finished) return;
    if (request.returnImmediately) {
      consumer.deliver([]);
      return;
    }
    consumer.waitUpTo(PUBSUB_DEFAULTS.pullWaitMs);
    call.once('cancelled', () => consumer.finish());
  });
};
