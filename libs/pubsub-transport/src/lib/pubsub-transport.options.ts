import { resolveTopology, Topology } from '@event-pipeline/schema';
import type { TransportMetrics } from './transport-metrics';

type Env = Readonly<Record<string, string | undefined>>;

/** Where the Google client connects, shared by the server and the client. */
export interface PubSubConnectionOptions {
  /**
   * Google Cloud project of the topics and subscriptions. Defaults to
   * `GOOGLE_CLOUD_PROJECT`, then `PUBSUB_PROJECT_ID`; start-up stops when
   * none is set, because a client left to discover its project asks the
   * metadata server and stalls off Google Cloud.
   */
  projectId?: string;
  /**
   * `host:port` of a Pub/Sub emulator. Defaults to `PUBSUB_EMULATOR_HOST`;
   * when neither is set the client talks to Google.
   */
  emulatorHost?: string;
  /**
   * Topic and subscription names that patterns may refer to by key.
   * Defaults to `resolveTopology(process.env)`.
   */
  topology?: Topology;
}

export interface PubSubServerOptions extends PubSubConnectionOptions {
  /**
   * Flow control per subscription: at most this many messages (and bytes)
   * are held by the process, which is also the number of handlers that run
   * at once.
   */
  flowControl?: { maxMessages?: number; maxBytes?: number };
  /**
   * How long shutdown waits for in-flight handlers before the messages they
   * hold are nacked (and so redelivered).
   */
  shutdownTimeoutMs?: number;
  /** Receives the per-pattern counters and latencies. */
  metrics?: TransportMetrics;
}

export interface PubSubClientOptions extends PubSubConnectionOptions {
  /** Publish batching, per topic. */
  batching?: {
    maxMessages?: number;
    maxBytes?: number;
    maxMilliseconds?: number;
  };
}

export interface ResolvedConnection {
  projectId: string;
  emulatorHost: string | undefined;
  topology: Topology;
}

export interface ResolvedServerOptions extends ResolvedConnection {
  flowControl: { maxMessages: number; maxBytes: number };
  shutdownTimeoutMs: number;
}

export interface ResolvedClientOptions extends ResolvedConnection {
  batching: { maxMessages: number; maxBytes: number; maxMilliseconds: number };
}

export const PUBSUB_TRANSPORT_DEFAULTS = Object.freeze({
  flowControl: Object.freeze({ maxMessages: 100, maxBytes: 100 * 1024 * 1024 }),
  /**
   * Cloud Run kills a container 10 s after SIGTERM (Kubernetes after 30 s by
   * default): leave room for the final nacks, the publish flush and closing.
   */
  shutdownTimeoutMs: 8_000,
  batching: Object.freeze({
    maxMessages: 100,
    maxBytes: 1024 * 1024,
    maxMilliseconds: 10,
  }),
});

/**
 * The client library switches from waiting to nacking one second before
 * the close timeout; a shorter timeout would nack in-flight work at once.
 */
const MIN_SHUTDOWN_TIMEOUT_MS = 1_000;

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, found ${value}`);
  }
  return value;
};

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

export const resolveConnection = (
  options: PubSubConnectionOptions,
  env: Env = process.env,
): ResolvedConnection => {
  const projectId =
    nonEmpty(options.projectId) ??
    nonEmpty(env['GOOGLE_CLOUD_PROJECT']) ??
    nonEmpty(env['PUBSUB_PROJECT_ID']);
  if (!projectId) {
    throw new Error(
      'Pub/Sub project id missing: set the projectId option, GOOGLE_CLOUD_PROJECT or PUBSUB_PROJECT_ID',
    );
  }
  return {
    projectId,
    emulatorHost:
      nonEmpty(options.emulatorHost) ?? nonEmpty(env['PUBSUB_EMULATOR_HOST']),
    topology: options.topology ?? resolveTopology(env),
  };
};

export const resolveServerOptions = (
  options: PubSubServerOptions,
  env: Env = process.env,
): ResolvedServerOptions => {
  const defaults = PUBSUB_TRANSPORT_DEFAULTS;
  const shutdownTimeoutMs =
    options.shutdownTimeoutMs ?? defaults.shutdownTimeoutMs;
  if (
    !Number.isFinite(shutdownTimeoutMs) ||
    shutdownTimeoutMs < MIN_SHUTDOWN_TIMEOUT_MS
  ) {
    throw new Error(
      `shutdownTimeoutMs must be at least ${MIN_SHUTDOWN_TIMEOUT_MS}, found ${shutdownTimeoutMs}`,
    );
  }
  return {
    ...resolveConnection(options, env),
    flowControl: {
      maxMessages: positiveInteger(
        'flowControl.maxMessages',
        options.flowControl?.maxMessages ?? defaults.flowControl.maxMessages,
      ),
      maxBytes: positiveInteger(
        'flowControl.maxBytes',
        options.flowControl?.maxBytes ?? defaults.flowControl.maxBytes,
      ),
    },
    shutdownTimeoutMs,
  };
};

export const resolveClientOptions = (
  options: PubSubClientOptions,
  env: Env = process.env,
): ResolvedClientOptions => {
  const defaults = PUBSUB_TRANSPORT_DEFAULTS.batching;
  const batching = options.batching ?? {};
  return {
    ...resolveConnection(options, env),
    batching: {
      maxMessages: positiveInteger(
        'batching.maxMessages',
        batching.maxMessages ?? defaults.maxMessages,
      ),
      maxBytes: positiveInteger(
        'batching.maxBytes',
        batching.maxBytes ?? defaults.maxBytes,
      ),
      maxMilliseconds: positiveInteger(
        'batching.maxMilliseconds',
        batching.maxMilliseconds ?? defaults.maxMilliseconds,
      ),
    },
  };
};
