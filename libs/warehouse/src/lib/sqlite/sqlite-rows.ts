import { ColumnSpec, ColumnType, TableSpec } from '@event-pipeline/schema';

/** A value better-sqlite3 can bind or return. */
export type SqliteValue = string | number | bigint | Buffer | null;

type Encode = (value: unknown) => SqliteValue;
type Decode = (value: SqliteValue) => unknown;

const asIs: Encode = (value) => (value ?? null) as SqliteValue;

const ENCODE: Record<ColumnType, Encode> = {
  STRING: asIs,
  INT64: asIs,
  NUMERIC: asIs,
  TIMESTAMP: asIs,
  JSON: (value) => (value == null ? null : JSON.stringify(value)),
  BOOL: (value) => (value == null ? null : value ? 1 : 0),
};

const DECODE: Partial<Record<ColumnType, Decode>> = {
  JSON: (value) => (value === null ? null : JSON.parse(String(value))),
  BOOL: (value) => (value === null ? null : value === 1),
};

export const encodeColumn = (column: ColumnSpec): Encode => ENCODE[column.type];

/** Turns a row read from SQLite back into the row type its columns describe. */
export const rowDecoder = <Row>(columns: readonly ColumnSpec[]) => {
  const decoded = columns.flatMap((column) => {
    const decode = DECODE[column.type];
    return decode ? [{ name: column.name, decode }] : [];
  });
  return (raw: Record<string, SqliteValue>): Row => {
    const row: Record<string, unknown> = { ...raw };
    for (const { name, decode } of decoded) row[name] = decode(raw[name]);
    return row as Row;
  };
};

/** Turns a row object into named parameters, one per column. */
export const rowEncoder = <Row>(columns: readonly ColumnSpec[]) => {
  const encoders = columns.map((column) => ({
    name: column.name,
    encode: ENCODE[column.type],
  }));
  return (row: Row): Record<string, SqliteValue> => {
    const params: Record<string, SqliteValue> = {};
    for (const { name, encode } of encoders) {
      params[name] = encode((row as Record<string, unknown>)[name]);
    }
    return params;
  };
};

export const quoteIdentifier = (name: string): string =>
  `"${name.replace(/"/g, '""')}"`;

/** INSERT of a whole row, by named parameters (one per column). */
export const insertSql = (table: TableSpec): string => {
  const names = table.columns.map((c) => c.name);
  return (
    `INSERT INTO ${quoteIdentifier(table.name)} (${names.map(quoteIdentifier).join(', ')}) ` +
    `VALUES (${names.map((name) => `@${name}`).join(', ')})`
  );
};

/** INSERT of a whole row that replaces every column of an existing one. */
export const upsertSql = (table: TableSpec): string => {
  const keys = new Set<string>(table.primaryKey);
  const updates = table.columns
    .filter(({ name }) => !keys.has(name))
    .map(
      ({ name }) =>
        `${quoteIdentifier(name)} = excluded.${quoteIdentifier(name)}`,
    );
  return `${insertSql(table)} ON CONFLICT (${table.primaryKey.map(quoteIdentifier).join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
};

/** Rows whose key is in a list, read with one statement however long the list (a JSON array parameter). */
export const inListSql = (
  table: TableSpec,
  columns: readonly string[],
  key: string,
): string =>
  `SELECT ${columns.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(table.name)} ` +
  `WHERE ${quoteIdentifier(key)} IN (SELECT value FROM json_each(?))`;
