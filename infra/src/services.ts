import type {
  ServiceName,
  SubscriptionKey,
  TopicKey,
  Topology,
  WAREHOUSE_TABLES,
} from '@event-pipeline/schema';

export type BucketKey = keyof Topology['buckets'];
export type WarehouseTableName = (typeof WAREHOUSE_TABLES)[number]['name'];

/**
 * What one deployed service touches, by topology key and table name. The
 * Terraform turns each entry into the narrowest grant that allows it, so a
 * service gets nothing that is not listed here.
 */
export interface ServiceSpec {
  /** Subscriptions it pulls from. */
  subscriptions: readonly SubscriptionKey[];
  /** Topics it publishes to. */
  publishes: readonly TopicKey[];
  /** Buckets whose objects it reads. */
  readsBuckets: readonly BucketKey[];
  /** Buckets it writes objects to, rewriting the same name on redelivery. */
  writesBuckets: readonly BucketKey[];
  /**
   * `dataset`: data editor on the whole dataset, for the adapters that
   * MERGE through work tables of their own; otherwise data editor on just
   * these tables.
   */
  warehouse: 'dataset' | readonly WarehouseTableName[];
  /** Cloud Run memory limit. */
  memory: string;
  maxInstances: number;
}

const ACCOUNTING_TABLES = [
  'file_accounting',
  'file_batches',
] as const satisfies readonly WarehouseTableName[];

/** The deployed services, keyed by their Nx app name. */
export const SERVICES = {
  'file-ingestor': {
    subscriptions: ['fileIngestor'],
    publishes: [
      'unifiedEvents',
      'profileChanges',
      'ingestErrors',
      'fileManifests',
    ],
    readsBuckets: ['inbox'],
    writesBuckets: [],
    warehouse: ACCOUNTING_TABLES,
    // About 290 MB plus the compressed archive, which the ZIP reader holds
    // whole (the JSON inside is streamed): archives up to about 700 MB.
    memory: '1Gi',
    maxInstances: 4,
  },
  'event-streamer': {
    subscriptions: ['eventStreamer', 'fileManifests'],
    // Rows the warehouse refuses become error records.
    publishes: ['ingestErrors'],
    readsBuckets: [],
    writesBuckets: [],
    warehouse: 'dataset',
    memory: '512Mi',
    maxInstances: 4,
  },
  'profile-updater': {
    subscriptions: ['profileUpdater'],
    publishes: [],
    readsBuckets: [],
    writesBuckets: [],
    warehouse: 'dataset',
    memory: '512Mi',
    maxInstances: 2,
  },
  'error-archiver': {
    subscriptions: ['errorArchiver', 'deadLetterArchiver'],
    publishes: [],
    readsBuckets: [],
    writesBuckets: ['errors'],
    warehouse: ACCOUNTING_TABLES,
    memory: '512Mi',
    maxInstances: 2,
  },
} as const satisfies Record<ServiceName, ServiceSpec>;
