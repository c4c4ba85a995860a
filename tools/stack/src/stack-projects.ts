/** The four services, in the order they are listed. */
export const SERVICE_NAMES = [
  'file-ingestor',
  'event-streamer',
  'profile-updater',
  'error-archiver',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const LOCAL_CLOUD = 'local-cloud';

/** The Nx projects whose bundles the stack runs. */
export const STACK_PROJECTS = [LOCAL_CLOUD, ...SERVICE_NAMES] as const;
