import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '@event-pipeline/schema';
import { freePort, httpGet, isPortOpen } from './readiness';
import {
  ExitStatus,
  ManagedProcess,
  ProcessSpec,
  ProcessStartError,
  StartCancelledError,
} from './service-process';
import {
  readStackConfig,
  StackConfig,
  stackLocation,
  StackLocation,
} from './stack.config';
import { LOCAL_CLOUD, SERVICE_NAMES, ServiceName } from './stack-projects';
import { probeStack, StackPortsBusyError } from './stack-probe';
import { builtEntry, WORKSPACE_ROOT } from './workspace';

export interface StackOptions {
  /**
   * Variables laid over `process.env`, for the configuration (DATA_DIR,
   * ports...) and for every process (e.g. RETRY_MIN_BACKOFF_SECONDS).
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Each line a process prints; it goes to its log file either way. */
  onLog?: (processName: string, line: string) => void;
  /** A process that exits after it was ready without being asked to. */
  onUnexpectedExit?: (process: ManagedProcess, status: ExitStatus) => void;
  /** Aborting it while the stack starts stops what has started. */
  signal?: AbortSignal;
  /** Where ports set to 0 come from: by default, ports the system says are free. */
  freePort?: (host: string) => Promise<number>;
}

export type ServiceProcess = ManagedProcess & {
  readonly name: ServiceName;
  readonly port: number;
};

export interface Stack extends StackLocation {
  /** The configuration, with the free ports it was given. */
  config: StackConfig;
  /**
   * What a client process needs to use the stack: GOOGLE_CLOUD_PROJECT,
   * PUBSUB_EMULATOR_HOST, STORAGE_EMULATOR_HOST, METADATA_SERVER_DETECTION,
   * WAREHOUSE and WAREHOUSE_SQLITE_PATH.
   */
  env: Record<string, string>;
  localCloud: ManagedProcess;
  services: ServiceProcess[];
  /** Services first (they drain), then the emulators. Safe to call twice. */
  stop(): Promise<void>;
}

const withFreePorts = async (
  config: StackConfig,
  pickPort: (host: string) => Promise<number>,
): Promise<StackConfig> => {
  const ports = { ...config.ports };
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) {
    if (ports[key] === 0) ports[key] = await pickPort(config.host);
  }
  return { ...config, ports };
};

/**
 * A free port can be taken between the moment it is picked and the moment a
 * process listens on it (outgoing connections get their local ports from the
 * same range), so a start that lost such a race is tried again on new ports.
 */
const START_ATTEMPTS = 3;

/** Whether every process that failed to start found its port taken. */
const lostPortRace = (error: unknown): boolean =>
  error instanceof AggregateError
    ? error.errors.every(lostPortRace)
    : error instanceof ProcessStartError && error.addressInUse;

const entryOf = (project: string): string => {
  const entry = builtEntry(project);
  if (!existsSync(entry)) {
    throw new Error(
      `${entry} is missing: build it first (npm start does, or npx nx build ${project})`,
    );
  }
  return entry;
};

/** Provisioning ends with the inbox notification: once it is listed, the topology is in place. */
const localCloudReady = (location: StackLocation, config: StackConfig) => ({
  description: `Pub/Sub on ${location.endpoints.pubsub} and the ${location.topology.buckets.inbox} notification on ${location.endpoints.storage}`,
  check: async () => {
    if (!(await isPortOpen(config.host, config.ports.pubsub))) return false;
    const answer = await httpGet(
      `${location.endpoints.storage}/storage/v1/b/${location.topology.buckets.inbox}/notificationConfigs`,
    );
    if (answer?.status !== 200) return false;
    try {
      const { items } = JSON.parse(answer.body) as { items?: unknown[] };
      return (items?.length ?? 0) > 0;
    } catch {
      return false;
    }
  },
});

const serviceReady = (url: string) => ({
  description: `GET ${url}/readyz answering 200`,
  check: async () => (await httpGet(`${url}/readyz`))?.status === 200,
});

/** Starts processes side by side; the first failure cancels the others' wait. */
const startTogether = async (
  processes: readonly ManagedProcess[],
  signal: AbortSignal | undefined,
): Promise<void> => {
  const cancel = new AbortController();
  const abort = () => cancel.abort();
  signal?.addEventListener('abort', abort);
  const results = await Promise.allSettled(
    processes.map((process) =>
      process.start(cancel.signal).catch((error: unknown) => {
        cancel.abort();
        throw error;
      }),
    ),
  );
  signal?.removeEventListener('abort', abort);
  const failures = results
    .map((result) => (result.status === 'rejected' ? result.reason : null))
    .filter(
      (reason): reason is ProcessStartError =>
        reason instanceof ProcessStartError,
    );
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new AggregateError(
      failures,
      failures.map((error) => error.message).join('\n\n'),
    );
  }
  if (results.some((result) => result.status === 'rejected')) {
    throw new StartCancelledError();
  }
};

/**
 * Starts local-cloud, waits until it has provisioned the topology, then
 * starts the four services, each a separate Node process running its built
 * bundle, and waits until every one answers /readyz with 200. Fails naming
 * the process and its last lines when one exits or is not ready in time,
 * after stopping the rest. Ports set to 0 get free ports; a start that finds
 * one of them taken is tried again on others.
 */
export const startStack = async (
  options: StackOptions = {},
): Promise<Stack> => {
  if (options.signal?.aborted) throw new StartCancelledError();
  const env = { ...process.env, ...options.env };
  const requested = readStackConfig(env);
  const existing = await probeStack(requested);
  if (existing.state !== 'stopped') throw new StackPortsBusyError(existing);
  const picksPorts = Object.values(requested.ports).includes(0);
  for (let attempt = 1; ; attempt += 1) {
    const config = await withFreePorts(requested, options.freePort ?? freePort);
    try {
      return await launchStack(config, env, options);
    } catch (error) {
      const retry =
        picksPorts && attempt < START_ATTEMPTS && lostPortRace(error);
      if (!retry) throw error;
    }
  }
};

/** Starts every process of the stack on the ports of `config`. */
const launchStack = async (
  config: StackConfig,
  env: NodeJS.ProcessEnv,
  options: StackOptions,
): Promise<Stack> => {
  const location = stackLocation(config);
  const clientEnv = {
    GOOGLE_CLOUD_PROJECT: config.projectId,
    PUBSUB_EMULATOR_HOST: location.endpoints.pubsub,
    STORAGE_EMULATOR_HOST: location.endpoints.storage,
    METADATA_SERVER_DETECTION: 'none',
    // The local stack's warehouse is the SQLite file, whatever the shell says.
    WAREHOUSE: 'sqlite',
    WAREHOUSE_SQLITE_PATH: config.warehousePath,
  };
  const processSpec = (
    name: string,
    extraEnv: Record<string, string>,
    nodeFlags: readonly string[] = [],
  ): Omit<ProcessSpec, 'readiness'> => ({
    name,
    args: ['--enable-source-maps', ...nodeFlags, entryOf(name)],
    // Log files are read as text; colour codes would only clutter them.
    env: { NO_COLOR: '1', ...env, ...clientEnv, ...extraEnv },
    cwd: WORKSPACE_ROOT,
    logFile: join(location.logDir, `${name}.log`),
    readyTimeoutMs: config.readyTimeoutMs,
    stopTimeoutMs: config.stopTimeoutMs,
    onLog: options.onLog,
    onUnexpectedExit: options.onUnexpectedExit,
  });
  const localCloud = new ManagedProcess({
    ...processSpec(LOCAL_CLOUD, {
      LOCAL_CLOUD_HOST: config.host,
      PUBSUB_PORT: String(config.ports.pubsub),
      STORAGE_PORT: String(config.ports.storage),
      DATA_DIR: config.dataDir,
      PUBSUB_PERSIST: 'true',
      PROVISION: 'true',
    }),
    readiness: localCloudReady(location, config),
  });
  const services = SERVICE_NAMES.map(
    (name) =>
      new ManagedProcess({
        ...processSpec(
          name,
          { PORT: String(config.ports[name]), HTTP_HOST: config.host },
          SERVICE_NODE_FLAGS[name],
        ),
        port: config.ports[name],
        readiness: serviceReady(location.endpoints.services[name]),
      }) as ServiceProcess,
  );

  // Should this process end without stop(), its children must not outlive it.
  const killAll = () => {
    for (const child of [...services, localCloud]) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await Promise.all(services.map((service) => service.stop()));
      await localCloud.stop();
      process.off('exit', killAll);
    })());

  try {
    await localCloud.start(options.signal);
    await startTogether(services, options.signal);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ...location, config, env: clientEnv, localCloud, services, stop };
};
