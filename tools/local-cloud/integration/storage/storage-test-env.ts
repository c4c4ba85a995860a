import { Storage, type Bucket } from '@google-cloud/storage';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type LogLevel } from '../../src/shared/logger';
import {
  startStorageEmulator,
  type StorageEmulator,
  type StorageEmulatorOptions,
} from '../../src/storage';

export const PROJECT = 'local-test';

export interface StorageTestEnv {
  emulator: StorageEmulator;
  /** The official client, pointed at the emulator through `apiEndpoint`. */
  storage: Storage;
  dataDir: string;
  /** Creates a bucket with a fresh name. */
  newBucket(prefix?: string): Promise<Bucket>;
  /** Stops the emulator and starts it again on the same port and data folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const storageClient = (emulator: StorageEmulator) =>
  new Storage({ apiEndpoint: emulator.url, projectId: PROJECT });

export const testLogger = () =>
  createLogger({
    scope: 'storage',
    level: (process.env['LOG_LEVEL'] as LogLevel | undefined) ?? 'warn',
  });

/** A debug-level logger that keeps its lines, and waits for the one you expect. */
export const captureLog = () => {
  const lines: string[] = [];
  const waiting = new Set<{ pattern: RegExp; resolve: () => void }>();
  const logger = createLogger({
    scope: 'storage',
    level: 'debug',
    write: (line) => {
      lines.push(line);
      for (const waiter of waiting) {
        if (waiter.pattern.test(line)) {
          waiting.delete(waiter);
          waiter.resolve();
        }
      }
    },
  });
  const waitFor = (pattern: RegExp): Promise<void> =>
    lines.some((line) => pattern.test(line))
      ? Promise.resolve()
      : new Promise((resolve) => waiting.add({ pattern, resolve }));
  return { logger, lines, waitFor };
};

export const tempDataDir = () => mkdtemp(join(tmpdir(), 'storage-emulator-'));

export const uniqueName = (prefix: string) =>
  `${prefix}-${randomUUID().slice(0, 8)}`;

export const startStorageTestEnv = async (
  options: StorageEmulatorOptions = {},
): Promise<StorageTestEnv> => {
  // Offline, the auth library would otherwise probe for a metadata server.
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  const dataDir = options.dataDir ?? (await tempDataDir());
  const start = (port: number) =>
    startStorageEmulator({ logger: testLogger(), ...options, port, dataDir });
  let emulator = await start(options.port ?? 0);
  const env: StorageTestEnv = {
    emulator,
    storage: storageClient(emulator),
    dataDir,
    newBucket: async (prefix = 'bucket') => {
      const [bucket] = await env.storage.createBucket(uniqueName(prefix));
      return bucket;
    },
    restart: async () => {
      await emulator.stop();
      emulator = await start(emulator.port);
      env.emulator = emulator;
    },
    stop: async () => {
      await emulator.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return env;
};

/**
 * Resolves with the first truthy value of `probe`, asked again every 20 ms,
 * or rejects naming `what` after `ms`.
 */
export const eventually = async <T>(
  ms: number,
  what: string,
  probe: () => Promise<T | undefined | false>,
): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
