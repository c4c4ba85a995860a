import type { ColumnName } from './columns';
import type { WAREHOUSE_TABLES } from './table-schemas';

type WarehouseTable = (typeof WAREHOUSE_TABLES)[number];
type ColumnOf<Name extends WarehouseTable['name']> = ColumnName<
  Extract<WarehouseTable, { name: Name }>['columns']
>;

/** BigQuery integer-range partitioning of an INT64 column. */
export interface RangePartitioning<Column extends string> {
  field: Column;
  start: number;
  end: number;
  interval: number;
}

export interface TableLayout<Column extends string> {
  /** Up to four columns, most selective filter first. */
  clustering: readonly Column[];
  rangePartitioning?: RangePartitioning<Column>;
}

const MICROS_PER_DAY = 86_400_000_000;
const micros = (isoDate: string) => Date.parse(isoDate) * 1000;

/**
 * How each warehouse table is laid out in BigQuery, read by the Terraform
 * generator and by the warehouse's BigQuery adapter alike. Only physical
 * layout lives here; columns, types and keys come from the table specs.
 */
export const WAREHOUSE_LAYOUT: {
  [Name in WarehouseTable['name']]: TableLayout<ColumnOf<Name>>;
} = {
  // event_datetime is INT64 microseconds, so the table is partitioned by
  // integer range, one partition per UTC day, rather than through a DATE
  // column that the contract does not have. 8,766 daily partitions stay under
  // BigQuery's 10,000; events outside the range land in __UNPARTITIONED__.
  unified_events: {
    clustering: ['user_id', 'event_name'],
    rangePartitioning: {
      field: 'event_datetime',
      start: micros('2016-01-01'),
      end: micros('2040-01-01'),
      interval: MICROS_PER_DAY,
    },
  },
  profiles: { clustering: ['user_id'] },
  file_accounting: { clustering: ['source_file'] },
  file_batches: { clustering: ['source_file', 'stream'] },
};
