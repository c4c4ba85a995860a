export {
  startPubSubEmulator,
  type PubSubEmulator,
  type PubSubEmulatorOptions,
} from './pubsub-emulator';
export { PUBSUB_DEFAULTS } from './defaults';
