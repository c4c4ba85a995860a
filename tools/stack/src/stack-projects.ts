// A type import only: the integration specs' global setup loads this module
// with Node's own resolver, which knows no workspace path aliases.
import type { ServiceName } from '@event-pipeline/schema';

/** The four services, in the order they are listed. */
export const SERVICE_NAMES = [
  'file-ingestor',
  'event-streamer',
  'profile-updater',
  'error-archiver',
] as const satisfies readonly ServiceName[];
export type { ServiceName };

export const LOCAL_CLOUD = 'local-cloud';

/** The Nx projects whose bundles the stack runs. */
export const STACK_PROJECTS = [LOCAL_CLOUD, ...SERVICE_NAMES] as const;
