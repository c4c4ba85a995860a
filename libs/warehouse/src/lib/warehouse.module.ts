import {
  DynamicModule,
  Inject,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { WarehouseConfig, readWarehouseConfig } from './warehouse.config';
import { WAREHOUSE } from './warehouse.constants';
import { createWarehouse } from './warehouse.factory';
import { Warehouse } from './warehouse.port';

/**
 * Provides the `Warehouse` port under the `WAREHOUSE` token and closes it
 * when the application shuts down, after in-flight handlers have finished.
 */
@Module({})
export class WarehouseModule implements OnApplicationShutdown {
  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  /** Without a config, reads it from the environment when the app starts. */
  static forRoot(config?: WarehouseConfig): DynamicModule {
    return {
      module: WarehouseModule,
      providers: [
        {
          provide: WAREHOUSE,
          useFactory: () => createWarehouse(config ?? readWarehouseConfig()),
        },
      ],
      exports: [WAREHOUSE],
    };
  }

  onApplicationShutdown(): Promise<void> {
    return this.warehouse.close();
  }
}
