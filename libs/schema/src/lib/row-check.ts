import { ColumnSpec, ColumnType } from './columns';

/**
 * A check of one row, such as those compiled from column specs: no per-row
 * allocation and no reflection, because rows are checked by the hundred
 * thousand per second. Returns null for a valid row, else the first
 * problem, `<field>: expected …, found …`, or `expected …, found …` when
 * the row itself is not an object.
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

/** What a value of each column type is called in a problem text. */
export const EXPECTED_FOR_TYPE: Record<ColumnType, string> = {
  STRING: 'a string',
  INT64: 'a safe integer',
  NUMERIC: 'a decimal string with at most 29 integer and 9 fractional digits',
  JSON: 'an object',
  TIMESTAMP: 'an ISO-8601 string',
  BOOL: 'a boolean',
};

/** A row check compiled from column specs: one generated function per column list. */
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
    const expected = `${EXPECTED_FOR_TYPE[type]}${mode === 'NULLABLE' ? ' or null' : ''}`;
    return rowProblem(name, expected, found);
  };
  const check = new Function(
    'numeric',
    'problem',
    'rowProblem',
    `return function checkRow(row) {
      if (typeof row !== 'object' || row === null) return rowProblem('', 'an object', row);
      ${body}
      return null;
    };`,
  );
  return check(NUMERIC_PATTERN, problem, rowProblem) as RowCheck;
};

/**
 * A row check's problem text: what was expected and what was found, after
 * `path: ` for a field, alone for the row itself (an empty path).
 */
export const rowProblem = (
  path: string,
  expected: string,
  found: unknown,
): string =>
  `${path === '' ? '' : `${path}: `}expected ${expected}, found ${describeValue(found)}`;

/** A found value for a problem text: JSON (or its text, if JSON has none), cut to 80 characters. */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};
