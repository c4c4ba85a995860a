export * from './lib/warehouse.port';
export * from './lib/warehouse.constants';
export * from './lib/warehouse.config';
export * from './lib/warehouse.factory';
export * from './lib/warehouse.module';
export * from './lib/sqlite/sqlite.warehouse';
export * from './lib/micro-batcher';
