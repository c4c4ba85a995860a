import type { ApiError } from './api-error';
import type { Room } from './flow-control';
import type { LeaseHolder, PendingMessage } from './subscription-queue';
import type { ReceivedMessage } from './protos';

/** A StreamingPull stream or a waiting Pull call, as a subscription sees it. */
export interface Consumer extends LeaseHolder {
  /** The lease a delivery to it starts with. */
  readonly ackDeadlineMs: number;
  room(): Room;
  deliver(received: ReceivedMessage[], pending: readonly PendingMessage[]): void;
  /** Ends the call with an error status, e.g. when the subscription goes. */
  close(error: ApiError): void;
}
