import {
  BigQueryWarehouse,
  BigQueryWarehouseDependencies,
  BigQueryWarehouseOptions,
} from '../bigquery.warehouse';
import { DatasetRef } from '../bigquery-statements';
import { RetryPolicy } from '../retry';
import { FakeBigQueryServer } from './fake-bigquery.server';
import { WarehouseEmulator } from './warehouse-emulator';

export const TEST_DATASET: DatasetRef = {
  projectId: 'test-project',
  datasetId: 'warehouse',
};

/** Retries that wait milliseconds. */
export const QUICK_RETRY: RetryPolicy = {
  attempts: 4,
  firstDelayMs: 1,
  maxDelayMs: 5,
};

export interface FakeWarehouse {
  server: FakeBigQueryServer;
  emulator: WarehouseEmulator;
  warehouse: BigQueryWarehouse;
  /** Another adapter instance on the same server, as a second service would be. */
  another(dependencies?: BigQueryWarehouseDependencies): BigQueryWarehouse;
  close(): Promise<void>;
}

/** A BigQuery adapter over the official client, talking to a local fake of BigQuery. */
export const startFakeWarehouse = async (
  options: Partial<BigQueryWarehouseOptions> = {},
  dependencies: BigQueryWarehouseDependencies = {},
): Promise<FakeWarehouse> => {
  const server = await FakeBigQueryServer.start();
  const emulator = new WarehouseEmulator(server);
  const instances: BigQueryWarehouse[] = [];
  const another = (more: BigQueryWarehouseDependencies = {}) => {
    const warehouse = new BigQueryWarehouse(
      {
        projectId: TEST_DATASET.projectId,
        dataset: TEST_DATASET.datasetId,
        apiEndpoint: server.url,
        eventWrites: { mode: 'streaming' },
        reconcileIntervalMinutes: 60,
        ...options,
      },
      {
        client: server.clientOptions(),
        retry: QUICK_RETRY,
        ...dependencies,
        ...more,
      },
    );
    instances.push(warehouse);
    return warehouse;
  };
  return {
    server,
    emulator,
    warehouse: another(),
    another,
    close: async () => {
      await Promise.all(instances.map((warehouse) => warehouse.close()));
      await server.close();
    },
  };
};
