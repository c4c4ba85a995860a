import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PORT_VARIABLES,
  ServiceName,
  ServiceProcess,
  Stack,
  startStack,
} from '@event-pipeline/stack';
import { WarehouseReader } from './warehouse-reader';

export interface TestStack {
  stack: Stack;
  dataDir: string;
  service(name: ServiceName): ServiceProcess;
  /** Exits nobody asked for (a crash), as `<service> <code or signal>`. */
  unexpectedExits: string[];
  /** A read-only connection to the warehouse file, opened on first use. */
  warehouse(): WarehouseReader;
  /** Stops every process, then removes the data folder. */
  stop(): Promise<void>;
}

/**
 * A whole stack on free ports in a temporary folder of its own, with short
 * retry backoffs. `env` is laid over that (MAX_ENTRY_BYTES, ...).
 */
export const startTestStack = async (
  label: string,
  env: Record<string, string> = {},
): Promise<TestStack> => {
  const dataDir = await mkdtemp(join(tmpdir(), `pipeline-e2e-${label}-`));
  const unexpectedExits: string[] = [];
  let stack: Stack;
  try {
    stack = await startStack({
      env: {
        ...Object.fromEntries(PORT_VARIABLES.map((name) => [name, '0'])),
        DATA_DIR: dataDir,
        // Not inherited from the shell: the warehouse lives in DATA_DIR.
        WAREHOUSE_SQLITE_PATH: '',
        RETRY_MIN_BACKOFF_SECONDS: '1',
        RETRY_MAX_BACKOFF_SECONDS: '2',
        ...env,
      },
      onUnexpectedExit: (process, status) =>
        unexpectedExits.push(
          `${process.name} ${status.signal ?? `exit code ${status.code}`}`,
        ),
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  let reader: WarehouseReader | undefined;
  return {
    stack,
    dataDir,
    unexpectedExits,
    service: (name) => {
      const service = stack.services.find((s) => s.name === name);
      if (!service) throw new Error(`no service ${name} in the stack`);
      return service;
    },
    warehouse: () => (reader ??= new WarehouseReader(stack.warehousePath)),
    stop: async () => {
      reader?.close();
      await stack.stop();
      // KEEP_E2E_DATA=1 keeps the folder (logs, warehouse, buckets) to look into.
      if (!process.env['KEEP_E2E_DATA']) {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
};
