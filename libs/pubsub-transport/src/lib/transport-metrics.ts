/**
 * What the server reports, per `@EventPattern`. Implement it to feed your
 * own metrics backend, or use `PrometheusTransportMetrics`.
 */
export interface TransportMetrics {
  /** A message was delivered to this process. */
  received(pattern: string): void;
  /** The handler succeeded and the message was acked. */
  acked(pattern: string): void;
  /**
   * The message was nacked for redelivery: its handler failed, it was
   * dead-lettered unsuccessfully, or shutdown released it unhandled.
   */
  nacked(pattern: string): void;
  /** The message was invalid and went to the dead-letter topic. */
  deadLettered(pattern: string): void;
  /**
   * The message was invalid and its subscription has no dead-letter topic,
   * so it was logged and acked.
   */
  discarded(pattern: string): void;
  /** How long a handler ran, whatever its outcome. */
  handlerLatency(pattern: string, seconds: number): void;
}

const ignore = (): void => undefined;

/** The default when no metrics are wanted. */
export const NO_TRANSPORT_METRICS: TransportMetrics = Object.freeze({
  received: ignore,
  acked: ignore,
  nacked: ignore,
  deadLettered: ignore,
  discarded: ignore,
  handlerLatency: ignore,
});
