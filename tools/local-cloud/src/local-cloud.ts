import { join } from 'node:path';
import { Topology } from '@event-pipeline/schema';
import { LocalEndpoints } from './google-clients';
import { provisionTopology } from './provision-topology';
import { PubSubEmulator, startPubSubEmulator } from './pubsub';
import { createLogger, Logger } from './shared/logger';
import { StorageEmulator, startStorageEmulator } from './storage';

export interface LocalCloudOptions {
  /** Interface both emulators bind to. Default 127.0.0.1. */
  host?: string;
  /** Default 8085; 0 picks a free port. */
  pubsubPort?: number;
  /** Default 4443; 0 picks a free port. */
  storagePort?: number;
  /** Holds the buckets and, when `persistPubSub`, the Pub/Sub journal. */
  dataDir: string;
  /** Keep topics, subscriptions and unacked messages across restarts. */
  persistPubSub: boolean;
  projectId: string;
  /** Create the topology's topics, subscriptions, buckets and notification. */
  provision?: Topology;
  dropFolderQuietMs?: number;
  logger?: Logger;
}

export interface LocalCloud extends LocalEndpoints {
  pubsub: PubSubEmulator;
  storage: StorageEmulator;
  /** What a process needs in its environment to use the emulators. */
  environment: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts both emulators, Pub/Sub first since storage notifications publish to it. */
export const startLocalCloud = async (
  options: LocalCloudOptions,
): Promise<LocalCloud> => {
  // Offline, the Google auth library would probe for a metadata server and warn.
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  const logger = options.logger ?? createLogger();
  const pubsub = await startPubSubEmulator({
    host: options.host,
    port: options.pubsubPort,
    dataDir: options.persistPubSub
      ? join(options.dataDir, 'pubsub')
      : undefined,
    logger: logger.child('pubsub'),
  });
  let storage: StorageEmulator;
  try {
    storage = await startStorageEmulator({
      host: options.host,
      port: options.storagePort,
      dataDir: options.dataDir,
      pubsubEndpoint: pubsub.endpoint,
      projectId: options.projectId,
      dropFolderQuietMs: options.dropFolderQuietMs,
      logger: logger.child('storage'),
    });
  } catch (error) {
    await pubsub.stop();
    throw error;
  }
  const endpoints: LocalEndpoints = {
    projectId: options.projectId,
    pubsubEndpoint: pubsub.endpoint,
    storageUrl: storage.url,
  };
  const stop = async () => {
    // Storage first: its pending notifications still need Pub/Sub.
    await storage.stop();
    await pubsub.stop();
  };
  if (options.provision) {
    try {
      await provisionTopology(options.provision, endpoints);
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return {
    ...endpoints,
    pubsub,
    storage,
    environment: {
      GOOGLE_CLOUD_PROJECT: options.projectId,
      PUBSUB_EMULATOR_HOST: pubsub.endpoint,
      STORAGE_EMULATOR_HOST: storage.url,
      METADATA_SERVER_DETECTION: 'none',
    },
    stop,
  };
};
