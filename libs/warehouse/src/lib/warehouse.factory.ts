import { BigQueryWarehouse } from './bigquery/bigquery.warehouse';
import { SqliteWarehouse } from './sqlite/sqlite.warehouse';
import { WarehouseConfig } from './warehouse.config';
import { Warehouse } from './warehouse.port';

/** The adapter the configuration names; add a case per adapter. */
export const createWarehouse = async (
  config: WarehouseConfig,
): Promise<Warehouse> => {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteWarehouse(config.sqlite);
    case 'bigquery':
      return new BigQueryWarehouse(config.bigquery);
  }
};
