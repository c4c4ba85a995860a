import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SqliteWarehouseOptions } from './sqlite/sqlite.warehouse';

/** The adapters `WAREHOUSE` can name. */
export const WAREHOUSE_KINDS = ['sqlite'] as const;
export type WarehouseKind = (typeof WAREHOUSE_KINDS)[number];

export const DEFAULT_SQLITE_PATH = '.data/warehouse.sqlite';

/** One variant per adapter, each with its own options. */
export type WarehouseConfig = {
  kind: 'sqlite';
  sqlite: SqliteWarehouseOptions;
};

type Env = Readonly<Record<string, string | undefined>>;

const isWarehouseKind = (value: string): value is WarehouseKind =>
  (WAREHOUSE_KINDS as readonly string[]).includes(value);

const isDirectory = (path: string): boolean =>
  statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

const readSqliteOptions = (env: Env): SqliteWarehouseOptions => {
  const raw = env['WAREHOUSE_SQLITE_PATH'] || DEFAULT_SQLITE_PATH;
  const path = resolve(raw);
  if (isDirectory(path)) {
    throw new Error(
      `WAREHOUSE_SQLITE_PATH must name a database file, found the folder ${JSON.stringify(raw)}`,
    );
  }
  return { path };
};

/**
 * The warehouse configuration from the environment: `WAREHOUSE` (default
 * `sqlite`) and the chosen adapter's variables. Throws on a bad value,
 * naming the variable.
 */
export const readWarehouseConfig = (
  env: Env = process.env,
): WarehouseConfig => {
  const kind = env['WAREHOUSE'] || 'sqlite';
  if (!isWarehouseKind(kind)) {
    throw new Error(
      `WAREHOUSE must be one of ${WAREHOUSE_KINDS.join(', ')}, found ${JSON.stringify(kind)}`,
    );
  }
  switch (kind) {
    case 'sqlite':
      return { kind, sqlite: readSqliteOptions(env) };
  }
};
