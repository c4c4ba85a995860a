import { ingestFiles, SERVICE_NAMES, ServiceName } from '@event-pipeline/stack';
import { readCounter } from '../src/support/metrics';
import { startTestStack } from '../src/support/test-stack';
import { processStats, ProcessStats } from './process-stats';

export interface EndToEndRun {
  events: number;
  /** From the start of the upload to the file's finished_at (its last commit). */
  seconds: number;
  /** Upload start to the file-ingestor's started_at, then to parsed_at (read and published), then to finished_at. */
  phases: { upload: number; read: number; drain: number };
  processes: Record<ServiceName | 'local-cloud', ProcessStats>;
  /** Messages each service received, from its /metrics. */
  messagesReceived: Record<ServiceName, number>;
  messages: { eventBatches: number; profileChangeBatches: number };
}

const seconds = (from: number | string, to: string | null) =>
  (Date.parse(String(to)) -
    (typeof from === 'number' ? from : Date.parse(from))) /
  1000;

const PATTERNS: Record<ServiceName, string[]> = {
  'file-ingestor': ['fileIngestor'],
  'event-streamer': ['eventStreamer', 'fileManifests'],
  'profile-updater': ['profileUpdater'],
  'error-archiver': ['errorArchiver', 'deadLetterArchiver'],
};

/**
 * Ingests one file through a fresh stack and measures it: the rate from
 * the start of the upload to the last commit, and each process's peak RSS
 * and CPU time, read from /proc before the stack stops.
 */
export const runEndToEnd = async (path: string): Promise<EndToEndRun> => {
  const env = await startTestStack('bench');
  try {
    const started = Date.now();
    const [row] = await ingestFiles([path], {
      stack: env.stack,
      timeoutMs: 30 * 60_000,
    });
    if (
      row.status !== 'done' ||
      !row.balanced ||
      row.rowErrors !== 0 ||
      row.fileErrors !== 0
    ) {
      throw new Error(`${path} did not load cleanly: ${JSON.stringify(row)}`);
    }
    const accounting = env.warehouse().accounting(row.sourceFile);
    if (
      !accounting?.started_at ||
      !accounting.parsed_at ||
      !accounting.finished_at
    ) {
      throw new Error(`${row.sourceFile} has no complete accounting`);
    }
    const pid = (name: string, value: number | undefined) => {
      if (value === undefined) throw new Error(`${name} has no pid`);
      return value;
    };
    const processes = {
      'local-cloud': processStats(pid('local-cloud', env.stack.localCloud.pid)),
      ...Object.fromEntries(
        env.stack.services.map((s) => [
          s.name,
          processStats(pid(s.name, s.pid)),
        ]),
      ),
    } as EndToEndRun['processes'];
    const messagesReceived = Object.fromEntries(
      await Promise.all(
        SERVICE_NAMES.map(async (name) => {
          let sum = 0;
          for (const pattern of PATTERNS[name]) {
            sum += await readCounter(
              env.stack.endpoints.services[name],
              'pubsub_messages_received_total',
              `pattern="${pattern}"`,
            );
          }
          return [name, sum];
        }),
      ),
    ) as EndToEndRun['messagesReceived'];
    return {
      events: accounting.rows_loaded,
      seconds: seconds(started, accounting.finished_at),
      phases: {
        upload: seconds(started, accounting.started_at),
        read: seconds(accounting.started_at, accounting.parsed_at),
        drain: seconds(accounting.parsed_at, accounting.finished_at),
      },
      processes,
      messagesReceived,
      messages: {
        eventBatches: Number(accounting.event_batches),
        profileChangeBatches: Number(accounting.profile_change_batches),
      },
    };
  } finally {
    await env.stop();
  }
};
