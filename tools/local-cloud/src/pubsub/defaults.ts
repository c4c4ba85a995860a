/** Every default and limit of the Pub/Sub emulator, in one place. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

export const PUBSUB_DEFAULTS = {
  host: '127.0.0.1',
  port: 8085,

  /** Google's range for a subscription's ack deadline, and its default. */
  ackDeadlineSeconds: 10,
  minAckDeadlineSeconds: 10,
  maxAckDeadlineSeconds: 600,

  messageRetentionMs: 7 * DAY,
  minMessageRetentionMs: 10 * MINUTE,
  maxMessageRetentionMs: 31 * DAY,
  /** How often messages older than their retention are dropped. */
  retentionSweepMs: MINUTE,

  maxDeliveryAttempts: 5,
  minMaxDeliveryAttempts: 5,
  maxMaxDeliveryAttempts: 100,

  retryMinimumBackoffMs: 10 * SECOND,
  retryMaximumBackoffMs: 600 * SECOND,
  /** Upper bound of both backoff settings. */
  maxBackoffMs: 600 * SECOND,

  /** Google's publish limits. */
  maxMessagesPerPublish: 1000,
  maxPublishRequestBytes: 10 * 1024 * 1024,
  maxAttributes: 100,
  maxAttributeKeyBytes: 256,
  maxAttributeValueBytes: 1024,
  maxOrderingKeyBytes: 1024,

  /**
   * One response stays under grpc-js's default 4 MiB receive limit, so
   * clients that never raised it still read every response.
   */
  maxMessagesPerResponse: 1000,
  maxBytesPerResponse: 3 * 1024 * 1024,
  /** The server accepts a full 10 MB publish plus framing. */
  maxReceiveMessageBytes: 16 * 1024 * 1024,

  /** How long a Pull without return_immediately waits for a first message. */
  pullWaitMs: 5 * SECOND,
  /** HTTP/2 pings keep idle StreamingPull connections alive through NATs. */
  keepaliveMs: 30 * SECOND,
  /** After this, calls still open at stop() are cut. */
  shutdownGraceMs: 2 * SECOND,

  pageSize: 100,
  maxPageSize: 1000,

  /** The journal is compacted when it exceeds both of these. */
  compactionMinBytes: 64 * 1024 * 1024,
  compactionGrowthFactor: 2,
} as const;
