import { isAbsolute, join, resolve } from 'node:path';
import { portFromEnv, resolveTopology, Topology } from '@event-pipeline/schema';
import { positiveSeconds } from './seconds';
import { SERVICE_NAMES, ServiceName } from './stack-projects';

type Env = Readonly<Record<string, string | undefined>>;

export interface StackConfig {
  /** Absolute. Emulator data, the warehouse and the logs live under it. */
  dataDir: string;
  /** Absolute path of the SQLite warehouse. */
  warehousePath: string;
  /** Interface every process binds to. */
  host: string;
  projectId: string;
  /** 0 picks a free port when the stack starts. */
  ports: { pubsub: number; storage: number } & Record<ServiceName, number>;
  topology: Topology;
  readyTimeoutMs: number;
  /** How long a process may take to drain after SIGTERM before it is killed. */
  stopTimeoutMs: number;
}

export const DEFAULT_PORTS: StackConfig['ports'] = {
  'file-ingestor': 8081,
  'event-streamer': 8082,
  'profile-updater': 8083,
  'error-archiver': 8084,
  pubsub: 8085,
  storage: 4443,
};

/** `file-ingestor` → `FILE_INGESTOR_PORT`. */
export const portVariable = (name: string): string =>
  `${name.replace(/-/g, '_').toUpperCase()}_PORT`;

/** Every variable that sets a port of the stack. */
export const PORT_VARIABLES = [
  'PUBSUB_PORT',
  'STORAGE_PORT',
  ...SERVICE_NAMES.map(portVariable),
] as const;

const seconds = (env: Env, name: string, fallback: number): number => {
  const raw = env[name];
  return raw === undefined || raw === ''
    ? fallback * 1000
    : positiveSeconds(raw, name);
};

const absolute = (path: string, cwd: string) =>
  isAbsolute(path) ? path : resolve(cwd, path);

/**
 * The stack's settings from the environment: DATA_DIR (default `.data`),
 * WAREHOUSE_SQLITE_PATH (default `<DATA_DIR>/warehouse.sqlite`), STACK_HOST,
 * GOOGLE_CLOUD_PROJECT, PUBSUB_PORT, STORAGE_PORT, `<SERVICE>_PORT`,
 * STACK_READY_TIMEOUT_SECONDS, STACK_STOP_TIMEOUT_SECONDS, and the topology
 * overrides of the schema. Throws on a bad value, naming the variable.
 */
export const readStackConfig = (
  env: Env = process.env,
  cwd: string = process.cwd(),
): StackConfig => {
  const dataDir = absolute(env['DATA_DIR'] || '.data', cwd);
  return {
    dataDir,
    warehousePath: absolute(
      env['WAREHOUSE_SQLITE_PATH'] || join(dataDir, 'warehouse.sqlite'),
      cwd,
    ),
    host: env['STACK_HOST'] || '127.0.0.1',
    projectId: env['GOOGLE_CLOUD_PROJECT'] || 'local-project',
    ports: {
      pubsub: portFromEnv(env, 'PUBSUB_PORT', DEFAULT_PORTS.pubsub),
      storage: portFromEnv(env, 'STORAGE_PORT', DEFAULT_PORTS.storage),
      ...(Object.fromEntries(
        SERVICE_NAMES.map((name) => [
          name,
          portFromEnv(env, portVariable(name), DEFAULT_PORTS[name]),
        ]),
      ) as Record<ServiceName, number>),
    },
    topology: resolveTopology(env),
    readyTimeoutMs: seconds(env, 'STACK_READY_TIMEOUT_SECONDS', 60),
    stopTimeoutMs: seconds(env, 'STACK_STOP_TIMEOUT_SECONDS', 30),
  };
};

/** Where a stack with this configuration keeps things, and where it answers. */
export interface StackLocation {
  endpoints: {
    projectId: string;
    /** `host:port`, the value of PUBSUB_EMULATOR_HOST. */
    pubsub: string;
    /** `http://host:port`, the value of STORAGE_EMULATOR_HOST. */
    storage: string;
    services: Record<ServiceName, string>;
  };
  dataDir: string;
  warehousePath: string;
  logDir: string;
  /** The inbox bucket's folder: a file copied here is an upload. */
  inboxDir: string;
  /** The errors bucket's folder. */
  errorsDir: string;
  topology: Topology;
}

/** The location of a stack whose ports are all known (none is 0). */
export const stackLocation = (config: StackConfig): StackLocation => {
  const url = (port: number) => `http://${config.host}:${port}`;
  const bucketDir = (bucket: string) => join(config.dataDir, 'storage', bucket);
  return {
    endpoints: {
      projectId: config.projectId,
      pubsub: `${config.host}:${config.ports.pubsub}`,
      storage: url(config.ports.storage),
      services: Object.fromEntries(
        SERVICE_NAMES.map((name) => [name, url(config.ports[name])]),
      ) as Record<ServiceName, string>,
    },
    dataDir: config.dataDir,
    warehousePath: config.warehousePath,
    logDir: join(config.dataDir, 'logs'),
    inboxDir: bucketDir(config.topology.buckets.inbox),
    errorsDir: bucketDir(config.topology.buckets.errors),
    topology: config.topology,
  };
};
