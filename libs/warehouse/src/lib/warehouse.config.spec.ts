import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SQLITE_PATH, readWarehouseConfig } from './warehouse.config';

describe('readWarehouseConfig', () => {
  it('defaults to SQLite at .data/warehouse.sqlite under the working folder', () => {
    expect(readWarehouseConfig({})).toEqual({
      kind: 'sqlite',
      sqlite: { path: resolve(DEFAULT_SQLITE_PATH) },
    });
    expect(DEFAULT_SQLITE_PATH).toBe('.data/warehouse.sqlite');
  });

  it('takes the SQLite path from WAREHOUSE_SQLITE_PATH', () => {
    expect(
      readWarehouseConfig({
        WAREHOUSE: 'sqlite',
        WAREHOUSE_SQLITE_PATH: '/var/lib/w.sqlite',
      }),
    ).toEqual({ kind: 'sqlite', sqlite: { path: '/var/lib/w.sqlite' } });
  });

  it('names WAREHOUSE when it names no adapter', () => {
    expect(() => readWarehouseConfig({ WAREHOUSE: 'postgres' })).toThrow(
      'WAREHOUSE must be one of sqlite, found "postgres"',
    );
  });

  it('names WAREHOUSE_SQLITE_PATH when it is a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warehouse-config-'));
    try {
      expect(() => readWarehouseConfig({ WAREHOUSE_SQLITE_PATH: dir })).toThrow(
        /^WAREHOUSE_SQLITE_PATH must name a database file, found the folder/,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
