import { credentials } from '@grpc/grpc-js';
import { PubSub, v1, type Message, type Subscription } from '@google-cloud/pubsub';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/shared/logger';
import { startPubSubEmulator, type PubSubEmulator, type PubSubEmulatorOptions } from '../../src/pubsub';

export const PROJECT = 'local-test';

export interface PubSubTestEnv {
  emulator: PubSubEmulator;
  /** The official client, pointed at the emulator. */
  pubsub: PubSub;
  /** The official generated client, for Pull and raw RPCs. */
  subscriber: v1.SubscriberClient;
  /** A fresh resource id, so tests never share topics or subscriptions. */
  id(prefix: string): string;
  stop(): Promise<void>;
}

export const clientFor = (emulator: PubSubEmulator) =>
  new PubSub({ projectId: PROJECT, apiEndpoint: emulator.endpoint, emulatorMode: true });

/** Log lines of the emulator at debug level, to count the calls it served. */
export const captureLog = () => {
  const lines: string[] = [];
  const logger = createLogger({ scope: 'pubsub', level: 'debug', write: (line) => lines.push(line) });
  return { lines, logger };
};

export const startTestEnv = async (options: PubSubEmulatorOptions = {}): Promise<PubSubTestEnv> => {
  // Offline, the auth library would otherwise probe for a metadata server.
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  const emulator = await startPubSubEmulator({
    port: 0,
    logger: createLogger({ scope: 'pubsub', level: (process.env['LOG_LEVEL'] as never) ?? 'warn' }),
    ...options,
  });
  const pubsub = clientFor(emulator);
  const subscriber = new v1.SubscriberClient({
    servicePath: emulator.host,
    port: emulator.port,
    sslCreds: credentials.createInsecure(),
    projectId: PROJECT,
  });
  return {
    emulator,
    pubsub,
    subscriber,
    id: (prefix) => `${prefix}-${randomUUID().slice(0, 8)}`,
    stop: async () => {
      await pubsub.close();
      await subscriber.close();
      await emulator.stop();
    },
  };
};

/** Rejects with a message naming what was awaited if `promise` takes longer than `ms`. */
export const within = <T>(ms: number, what: string, promise: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

/**
 * Resolves once `done` says so, calling `handle` for each message (which
 * acks it unless `handle` is given). Fails on a subscriber error.
 */
export const receive = (
  subscription: Subscription,
  done: (received: Message[]) => boolean,
  handle: (message: Message) => void = (message) => message.ack(),
): Promise<Message[]> =>
  new Promise((resolve, reject) => {
    const received: Message[] = [];
    const onMessage = (message: Message) => {
      received.push(message);
      handle(message);
      if (done(received)) {
        subscription.off('message', onMessage);
        subscription.off('error', reject);
        resolve(received);
      }
    };
    subscription.on('message', onMessage);
    subscription.on('error', reject);
  });

export const count = (n: number) => (received: Message[]) => received.length >= n;

/** A promise with its resolvers, for waiting on a callback. */
export const deferred = <T = void>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((done, fail) => {
    resolve = done;
    reject = fail;
  });
  return { promise, resolve, reject };
};
