import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createLogger, type Logger } from '../shared/logger';
import { BucketStore } from './bucket-store';
import { DataLayout } from './data-layout';
import { DropFolderWatcher } from './drop-folder-watcher';
import { NotificationOutbox } from './notification-outbox';
import { notificationsFor } from './notifications';
import { ObjectStore } from './object-store';
import { createPubSubPublisher } from './pubsub-publisher';
import { ResumableUploads } from './resumable-uploads';
import { STORAGE_DEFAULTS } from './storage-defaults';
import { listenStorageServer } from './storage-server';

export interface StorageEmulatorOptions {
  /** Interface to bind; loopback unless you mean otherwise. Default 127.0.0.1. */
  host?: string;
  /** Default 4443; 0 picks a free port. */
  port?: number;
  /** Default `.data`, relative to the working directory. */
  dataDir?: string;
  /**
   * `host:port` of the Pub/Sub emulator that receives bucket notifications.
   * Default: PUBSUB_EMULATOR_HOST, else 127.0.0.1:8085.
   */
  pubsubEndpoint?: string;
  /** Project of the Pub/Sub client. Default: GOOGLE_CLOUD_PROJECT, else `local-project`. */
  projectId?: string;
  /** How long a hand-dropped file must stay unchanged before it is picked up. Default 1000. */
  dropFolderQuietMs?: number;
  /** Interval of full scans of the bucket folders. Default 5000. */
  dropFolderRescanMs?: number;
  /** Default: a `storage` logger at LOG_LEVEL (else info) on stderr. */
  logger?: Logger;
}

export interface StorageEmulator {
  host: string;
  port: number;
  /** `http://host:port`: the value for STORAGE_EMULATOR_HOST or a client's `apiEndpoint`. */
  url: string;
  /** Absolute path of the data folder. */
  dataDir: string;
  /** Stops watching, lets running requests and writes finish, closes the Pub/Sub client. */
  stop(): Promise<void>;
}

const hostForUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

export const startStorageEmulator = async (
  options: StorageEmulatorOptions = {},
): Promise<StorageEmulator> => {
  const logger = options.logger ?? createLogger({ scope: 'storage' });
  const layout = new DataLayout(
    resolve(options.dataDir ?? STORAGE_DEFAULTS.dataDir),
  );
  // Staged files left by a crash were never acknowledged to anyone.
  await rm(layout.stagingDir, { recursive: true, force: true });
  await mkdir(layout.bucketsRoot, { recursive: true });

  const publisher = createPubSubPublisher({
    endpoint:
      options.pubsubEndpoint ??
      process.env['PUBSUB_EMULATOR_HOST'] ??
      STORAGE_DEFAULTS.pubsubEndpoint,
    projectId:
      options.projectId ??
      process.env['GOOGLE_CLOUD_PROJECT'] ??
      STORAGE_DEFAULTS.projectId,
    timeoutMs: STORAGE_DEFAULTS.publishTimeoutMs,
  });
  const outbox = new NotificationOutbox({
    dir: layout.outboxDir,
    stagingDir: layout.stagingDir,
    publish: (notification) => publisher.publish(notification),
    logger,
    retry: STORAGE_DEFAULTS.notificationRetry,
  });
  const buckets = new BucketStore(layout);
  let url = '';
  const objects = new ObjectStore(layout, buckets, logger, async (event) => {
    const { notificationConfigs } = await buckets.get(event.object.bucket);
    await outbox.add(notificationsFor(event, notificationConfigs, url));
  });
  const uploads = new ResumableUploads(layout);
  await uploads.removeExpired();

  const server = await listenStorageServer(
    { layout, buckets, objects, uploads, logger },
    options.host ?? STORAGE_DEFAULTS.host,
    options.port ?? STORAGE_DEFAULTS.port,
  );
  url = `http://${hostForUrl(server.host)}:${server.port}`;
  await outbox.start();
  const watcher = new DropFolderWatcher({
    layout,
    buckets,
    objects,
    logger,
    quietMs: options.dropFolderQuietMs ?? STORAGE_DEFAULTS.dropFolderQuietMs,
    rescanMs: options.dropFolderRescanMs ?? STORAGE_DEFAULTS.dropFolderRescanMs,
  });
  watcher.start();
  logger.info('Cloud Storage emulator listening', {
    url,
    dataDir: layout.dataDir,
  });

  let stopping: Promise<void> | undefined;
  return {
    host: server.host,
    port: server.port,
    url,
    dataDir: layout.dataDir,
    stop: () =>
      (stopping ??= (async () => {
        await watcher.stop();
        await server.close(STORAGE_DEFAULTS.shutdownGraceMs);
        await objects.drain();
        await outbox.stop();
        await publisher.close();
        logger.info('Cloud Storage emulator stopped', { url });
      })()),
  };
};
