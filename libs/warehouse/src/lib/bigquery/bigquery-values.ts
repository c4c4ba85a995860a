import { BigQuery, IntegerTypeCastOptions } from '@google-cloud/bigquery';
import { ColumnSpec, ColumnType } from '@event-pipeline/schema';

/**
 * A query parameter's type as the client takes it: a type name, `[element]`
 * for an ARRAY, `{ field: type }` for a STRUCT.
 */
export type ParamType = ColumnType | readonly [ParamType] | StructParamType;
export interface StructParamType {
  readonly [field: string]: ParamType;
}

/** The STRUCT type of rows with these columns. */
export const structParamType = (
  columns: readonly ColumnSpec[],
): StructParamType =>
  Object.fromEntries(columns.map(({ name, type }) => [name, type]));

const safeInteger = (value: unknown, what: string): number => {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new Error(
      `${what}: expected a safe integer, found ${JSON.stringify(value)}`,
    );
  }
  return number;
};

const encodeScalar = (type: ColumnType, value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  switch (type) {
    // Digits travel as text, so no INT64 or NUMERIC value passes through a float.
    case 'INT64':
      return String(safeInteger(value, 'INT64 parameter'));
    case 'NUMERIC':
      return String(value);
    // The client reads a TIMESTAMP parameter's text from a wrapper object.
    case 'TIMESTAMP':
      return BigQuery.timestamp(String(value));
    default:
      return value;
  }
};

/** A parameter value in the form the client sends for `type`; null stays null. */
export const encodeParam = (type: ParamType, value: unknown): unknown => {
  if (typeof type === 'string') return encodeScalar(type, value);
  if (value === null || value === undefined) return null;
  if (Array.isArray(type)) {
    return (value as readonly unknown[]).map((item) =>
      encodeParam(type[0], item),
    );
  }
  const struct = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(type as StructParamType).map(([field, fieldType]) => [
      field,
      encodeParam(fieldType, struct[field] ?? null),
    ]),
  );
};

/**
 * How result INT64 values are read: as JavaScript numbers, refused when they
 * do not fit exactly (the project's INT64 columns are microseconds and
 * counts, far below 2^53).
 */
export const RESULT_INTEGERS: IntegerTypeCastOptions = {
  integerTypeCastFunction: (value: string) =>
    safeInteger(value, 'INT64 result'),
};

/** Values as the client parses them with RESULT_INTEGERS and parseJSON. */
const decodeScalar = (type: ColumnType, value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  switch (type) {
    // A Big decimal: toFixed() writes every digit, never an exponent.
    case 'NUMERIC':
      return (value as { toFixed(): string }).toFixed();
    // A BigQueryTimestamp; rows keep ISO-8601 text, as they were written.
    case 'TIMESTAMP':
      return new Date((value as { value: string }).value).toISOString();
    default:
      return value;
  }
};

/** A result row (or STRUCT) back into the row type its columns describe. */
export const decodeRow = <Row>(
  columns: readonly ColumnSpec[],
  raw: Record<string, unknown>,
): Row =>
  Object.fromEntries(
    columns.map(({ name, type }) => [name, decodeScalar(type, raw[name])]),
  ) as Row;

/**
 * A row as tabledata.insertAll (JSON as text, as the official clients send
 * it) or an NDJSON load (JSON as the object itself) takes it. NUMERIC stays
 * decimal text; INT64 values are safe integers, checked before.
 */
export const encodeRow = (
  columns: readonly ColumnSpec[],
  row: Record<string, unknown>,
  json: 'text' | 'object',
): Record<string, unknown> =>
  Object.fromEntries(
    columns.map(({ name, type }) => {
      const value = row[name] ?? null;
      return [
        name,
        type === 'JSON' && json === 'text' && value !== null
          ? JSON.stringify(value)
          : value,
      ];
    }),
  );
