import { Inject, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { tempWarehousePath } from '../testing/fixtures';
import { SqliteWarehouse } from './sqlite/sqlite.warehouse';
import { WAREHOUSE } from './warehouse.constants';
import { WarehouseModule } from './warehouse.module';
import { Warehouse } from './warehouse.port';

@Injectable()
class ReadsAccounting {
  constructor(@Inject(WAREHOUSE) readonly warehouse: Warehouse) {}
}

describe('WarehouseModule', () => {
  let target: ReturnType<typeof tempWarehousePath>;

  beforeEach(() => {
    target = tempWarehousePath();
  });

  afterEach(() => target.remove());

  it('provides the configured adapter under the WAREHOUSE token and closes it on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        WarehouseModule.forRoot({
          kind: 'sqlite',
          sqlite: { path: target.path },
        }),
      ],
      providers: [ReadsAccounting],
    }).compile();
    const warehouse = moduleRef.get(ReadsAccounting).warehouse;
    expect(warehouse).toBeInstanceOf(SqliteWarehouse);
    expect(await warehouse.listFileAccounting()).toEqual([]);

    const close = jest.spyOn(warehouse, 'close');
    await moduleRef.close();
    expect(close).toHaveBeenCalledTimes(1);
    await expect(warehouse.listFileAccounting()).rejects.toThrow(/not open/);
  });

  it('reads the environment when given no configuration, and stops on a bad value', async () => {
    const saved = process.env['WAREHOUSE'];
    process.env['WAREHOUSE'] = 'bigtable';
    try {
      await expect(
        Test.createTestingModule({
          imports: [WarehouseModule.forRoot()],
        }).compile(),
      ).rejects.toThrow(
        'WAREHOUSE must be one of sqlite, bigquery, found "bigtable"',
      );
    } finally {
      if (saved === undefined) delete process.env['WAREHOUSE'];
      else process.env['WAREHOUSE'] = saved;
    }
  });
});
