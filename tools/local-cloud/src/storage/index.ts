export {
  startStorageEmulator,
  type StorageEmulator,
  type StorageEmulatorOptions,
} from './storage-emulator';
export { STORAGE_DEFAULTS } from './storage-defaults';
