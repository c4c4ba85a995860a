export * from './stack';
export * from './stack.config';
export * from './stack-projects';
export * from './stack-probe';
export * from './ingest-files';
export * from './accounting-table';
export * from './build';
export {
  describeExit,
  ManagedProcess,
  ProcessStartError,
  StartCancelledError,
  type ExitStatus,
} from './service-process';
export { pollUntil } from './readiness';
