import { Storage } from '@google-cloud/storage';
import {
  createWarehouse,
  readWarehouseConfig,
} from '@event-pipeline/warehouse';
import { AccountingTableRow, toTableRow } from './accounting-table';
import { waitForAccounting } from './accounting-wait';
import { collectInputFiles } from './input-files';
import { StackLocation } from './stack.config';
import { uploadFile } from './upload';

export const DEFAULT_INGEST_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_RESUMABLE_THRESHOLD_BYTES = 8 * 1024 * 1024;

export interface IngestOptions {
  /** The running stack: a `Stack`, or `stackLocation(config)` for one started elsewhere. */
  stack: Pick<
    StackLocation,
    'endpoints' | 'warehousePath' | 'errorsDir' | 'topology'
  >;
  /** How long to wait for every file to be done or failed; 10 minutes by default. */
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** Files from this size on go up in resumable uploads; 8 MiB by default. */
  resumableThresholdBytes?: number;
  /** Where upload progress lines go; none by default. */
  progress?: NodeJS.WritableStream;
}

/**
 * Uploads the files (folders: every file under them) to the inbox bucket
 * through the official client, one after the other, then waits until the
 * warehouse's accounting shows each uploaded generation done or failed, or
 * the time is up. Returns a table row per file; a file that did not finish
 * in time has status `processing` or `not started`.
 */
export const ingestFiles = async (
  paths: readonly string[],
  options: IngestOptions,
): Promise<AccountingTableRow[]> => {
  const { endpoints, topology } = options.stack;
  const files = await collectInputFiles(paths, {
    prefix: topology.inboxPrefix,
  });
  // Offline, the Google auth library would probe for a metadata server.
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  const storage = new Storage({
    projectId: endpoints.projectId,
    apiEndpoint: endpoints.storage,
  });
  const uploaded: { label: string; sourceFile: string }[] = [];
  for (const file of files) {
    const sourceFile = await uploadFile(storage, topology.buckets.inbox, file, {
      resumableThresholdBytes:
        options.resumableThresholdBytes ?? DEFAULT_RESUMABLE_THRESHOLD_BYTES,
      progress: options.progress,
    });
    uploaded.push({ label: file.label, sourceFile });
  }
  const warehouse = await createWarehouse(
    readWarehouseConfig({
      WAREHOUSE: 'sqlite',
      WAREHOUSE_SQLITE_PATH: options.stack.warehousePath,
    }),
  );
  try {
    const accounting = await waitForAccounting(
      (sourceFile) => warehouse.getFileAccounting(sourceFile),
      uploaded.map((file) => file.sourceFile),
      {
        timeoutMs: options.timeoutMs ?? DEFAULT_INGEST_TIMEOUT_MS,
        intervalMs: options.pollIntervalMs,
      },
    );
    return uploaded.map((file) =>
      toTableRow(file, accounting.get(file.sourceFile) ?? null, {
        bucket: topology.buckets.errors,
        dir: options.stack.errorsDir,
      }),
    );
  } finally {
    await warehouse.close();
  }
};
