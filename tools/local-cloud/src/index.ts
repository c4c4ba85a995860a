export * from './local-cloud';
export * from './google-clients';
export * from './provision-topology';
export { startPubSubEmulator, type PubSubEmulator } from './pubsub';
export { startStorageEmulator, type StorageEmulator } from './storage';
export { createLogger, type Logger } from './shared/logger';
