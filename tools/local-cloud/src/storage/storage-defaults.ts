/** Every default of the Cloud Storage emulator, in one place. */
export const STORAGE_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 4443,
  dataDir: '.data',
  /** Where notifications go when neither an option nor PUBSUB_EMULATOR_HOST says. */
  pubsubEndpoint: '127.0.0.1:8085',
  projectId: 'local-project',
  /** A dropped file must keep its size and mtime this long to count as written. */
  dropFolderQuietMs: 1_000,
  /** Full walks of the bucket folders, a safety net behind file-system events. */
  dropFolderRescanMs: 5_000,
  /** The JSON API's default and largest page. */
  maxListResults: 1_000,
  /** JSON bodies (metadata, bucket and notification resources) are small. */
  maxJsonBodyBytes: 1024 * 1024,
  notificationRetry: { initialDelayMs: 250, maxDelayMs: 10_000 },
  /** Per publish attempt; retries are ours so that each failure is logged. */
  publishTimeoutMs: 5_000,
  /** How long stop() waits for in-flight requests before cutting connections. */
  shutdownGraceMs: 5_000,
});
