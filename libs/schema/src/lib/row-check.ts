import { ColumnSpec, ColumnType } from './columns';

/**
 * A row check compiled from column specs: one generated function per column
 * list, with no per-row allocation and no reflection, because rows are
 * checked by the hundred thousand per second. Returns null for a valid row,
 * else the first problem, naming the column and what was found.
 */
export type RowCheck = (row: unknown) => string | null;

/** A plain decimal that fits BigQuery NUMERIC: at most 29 integer and 9 fractional digits. */
export const NUMERIC_PATTERN = /^-?\d{1,29}(?:\.\d{1,9})?$/;

const CONDITIONS: Record<ColumnType, (value: string) => string> = {
  STRING: (v) => `typeof ${v} === 'string'`,
  INT64: (v) => `Number.isSafeInteger(${v})`,
  NUMERIC: (v) => `typeof ${v} === 'string' && numeric.test(${v})`,
  JSON: (v) => `typeof ${v} === 'object' && !Array.isArray(${v})`,
  TIMESTAMP: (v) => `typeof ${v} === 'string'`,
  BOOL: (v) => `typeof ${v} === 'boolean'`,
};

const EXPECTED: Record<ColumnType, string> = {
  STRING: 'a string',
  INT64: 'a safe integer',
  NUMERIC: 'a decimal string with at most 29 integer and 9 fractional digits',
  JSON: 'an object',
  TIMESTAMP: 'an ISO-8601 string',
  BOOL: 'a boolean',
};

export const compileRowCheck = (columns: readonly ColumnSpec[]): RowCheck => {
  const body = columns
    .map(({ name, type, mode }, i) => {
      const value = `row[${JSON.stringify(name)}]`;
      const nullable = mode === 'NULLABLE';
      // JSON null is an object to typeof; a REQUIRED JSON column must reject it.
      const present = `${value} !== null && ${value} !== undefined`;
      const ok = nullable
        ? `(${value} === null || (${present} && ${CONDITIONS[type](value)}))`
        : `(${present} && ${CONDITIONS[type](value)})`;
      return `if (!${ok}) return problem(${i}, ${value});`;
    })
    .join('\n');
  const problem = (index: number, found: unknown) => {
    const { name, type, mode } = columns[index];
    const expected = `${EXPECTED[type]}${mode === 'NULLABLE' ? ' or null' : ''}`;
    return `${name}: expected ${expected}, found ${describe(found)}`;
  };
  const check = new Function(
    'numeric',
    'problem',
    `return function checkRow(row) {
      if (typeof row !== 'object' || row === null) return 'expected an object, found ' + (row === null ? 'null' : typeof row);
      ${body}
      return null;
    };`,
  );
  return check(NUMERIC_PATTERN, problem) as RowCheck;
};

const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};
