/** The four services, by Nx app name. */
export type ServiceName =
  | 'file-ingestor'
  | 'event-streamer'
  | 'profile-updater'
  | 'error-archiver';

/**
 * A consumer that is busy for minutes lets V8 grow its heap far past what
 * it holds live (measured: the profile-updater at 500 MB RSS on a
 * 1,000,000-row file); a cap on the old generation makes V8 collect sooner
 * instead. The young generation is named too, because a capped heap would
 * otherwise get a smaller one and spend more time in scavenges.
 */
const CAPPED_HEAP = ['--max-old-space-size=192', '--max-semi-space-size=16'];

/**
 * Node flags each service runs with, locally and on Cloud Run. The
 * file-ingestor runs uncapped: its heap stays small (its memory is the
 * archive and the publish buffers, outside the heap), and it is the
 * pipeline's busiest process, where any extra collection slows a file.
 */
export const SERVICE_NODE_FLAGS: Readonly<
  Record<ServiceName, readonly string[]>
> = {
  'file-ingestor': [],
  'event-streamer': CAPPED_HEAP,
  'profile-updater': CAPPED_HEAP,
  'error-archiver': CAPPED_HEAP,
};
