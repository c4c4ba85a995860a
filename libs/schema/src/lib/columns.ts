/**
 * Column specifications: the single description of every warehouse table.
 * The BigQuery schema, the SQLite DDL and the TypeScript row types are all
 * derived from these lists, so a column is declared exactly once.
 */

/** Warehouse column types, named as in BigQuery. */
export type ColumnType =
  | 'STRING'
  | 'INT64'
  | 'NUMERIC'
  | 'JSON'
  | 'TIMESTAMP'
  | 'BOOL';

export type ColumnMode = 'REQUIRED' | 'NULLABLE';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly mode: ColumnMode;
  readonly description: string;
}

/**
 * How each column type travels in a row object. INT64 columns in this project
 * hold microsecond timestamps and counters, which stay below 2^53 and are
 * checked to be safe integers before they are written; NUMERIC travels as a
 * decimal string so that money is never rounded through a binary float.
 */
export interface ColumnValueTypes {
  STRING: string;
  INT64: number;
  NUMERIC: string;
  JSON: Record<string, unknown>;
  TIMESTAMP: string;
  BOOL: boolean;
}

type ValueOf<C extends ColumnSpec> = C['mode'] extends 'REQUIRED'
  ? ColumnValueTypes[C['type']]
  : ColumnValueTypes[C['type']] | null;

/** The row object type that a column list describes. */
export type RowOf<Columns extends readonly ColumnSpec[]> = {
  -readonly [C in Columns[number] as C['name']]: ValueOf<C>;
};

export type ColumnName<Columns extends readonly ColumnSpec[]> =
  Columns[number]['name'];

export interface TableSpec<
  Columns extends readonly ColumnSpec[] = readonly ColumnSpec[],
> {
  readonly name: string;
  readonly description: string;
  readonly columns: Columns;
  readonly primaryKey: readonly ColumnName<Columns>[];
}

export const column = <
  const Name extends string,
  const Type extends ColumnType,
  const Mode extends ColumnMode,
>(
  name: Name,
  type: Type,
  mode: Mode,
  description: string,
) => ({ name, type, mode, description }) as const;
