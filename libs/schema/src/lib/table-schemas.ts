import { ColumnSpec, ColumnType, TableSpec } from './columns';
import { FILE_ACCOUNTING_TABLE, FILE_BATCHES_TABLE } from './file-accounting';
import { PROFILES_TABLE } from './profile';
import { UNIFIED_EVENTS_TABLE } from './unified-event';

export const WAREHOUSE_TABLES = [
  UNIFIED_EVENTS_TABLE,
  PROFILES_TABLE,
  FILE_ACCOUNTING_TABLE,
  FILE_BATCHES_TABLE,
] as const satisfies readonly TableSpec[];

/** A field of a BigQuery table schema, as the REST API and client take it. */
export interface BigQueryField {
  name: string;
  type: ColumnType;
  mode: 'REQUIRED' | 'NULLABLE';
  description: string;
}

export const toBigQueryFields = (
  columns: readonly ColumnSpec[],
): BigQueryField[] =>
  columns.map(({ name, type, mode, description }) => ({
    name,
    type,
    mode,
    description,
  }));

/**
 * SQLite storage of each column type. NUMERIC is kept as its decimal text so
 * that no money value passes through a float; JSON as its text.
 */
const SQLITE_TYPES: Record<ColumnType, string> = {
  STRING: 'TEXT',
  INT64: 'INTEGER',
  NUMERIC: 'TEXT',
  JSON: 'TEXT',
  TIMESTAMP: 'TEXT',
  BOOL: 'INTEGER',
};

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const toSqliteDdl = (table: TableSpec): string => {
  const columns = table.columns.map(
    (c) =>
      `  ${quoteIdentifier(c.name)} ${SQLITE_TYPES[c.type]}${c.mode === 'REQUIRED' ? ' NOT NULL' : ''}`,
  );
  const key = `  PRIMARY KEY (${table.primaryKey.map(quoteIdentifier).join(', ')})`;
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table.name)} (\n${[...columns, key].join(',\n')}\n)`;
};
