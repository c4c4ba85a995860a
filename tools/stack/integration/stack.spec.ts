import Database from 'better-sqlite3';
import { SERVICE_NODE_FLAGS } from '@event-pipeline/schema';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { ingestFiles } from '../src/ingest-files';
import { freePort, httpGet } from '../src/readiness';
import { ProcessStartError } from '../src/service-process';
import { Stack, startStack } from '../src/stack';
import { PORT_VARIABLES } from '../src/stack.config';
import { StackPortsBusyError } from '../src/stack-probe';
import { WORKSPACE_ROOT } from '../src/workspace';

jest.setTimeout(180_000);

const SAMPLES = resolve(WORKSPACE_ROOT, 'samples');
const SAMPLE_FILES = [
  'ga4_export_day1.zip',
  'ga4_export_day2.zip',
  'adapty_events_export.csv',
  'adapty_case_layout.csv',
];

/** Free ports everywhere, a data folder of the test's own, short retry backoffs. */
const testEnv = (dataDir: string, extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(PORT_VARIABLES.map((name) => [name, '0'])),
  DATA_DIR: dataDir,
  WAREHOUSE_SQLITE_PATH: '',
  RETRY_MIN_BACKOFF_SECONDS: '1',
  RETRY_MAX_BACKOFF_SECONDS: '2',
  ...extra,
});

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const pidOf = (process: { name: string; pid: number | undefined }) => {
  if (process.pid === undefined) throw new Error(`${process.name} has no pid`);
  return process.pid;
};

const readyStatus = async (url: string) =>
  (await httpGet(`${url}/readyz`))?.status;

/** Every pid and end time the processes' log files recorded. */
const logRecords = async (logDir: string) => {
  const records: { name: string; pids: number[]; endedAt?: string }[] = [];
  for (const file of await readdir(logDir)) {
    const text = await readFile(join(logDir, file), 'utf8');
    const pids = [...text.matchAll(/^--- \S+ \S+ started, pid (\d+)$/gm)].map(
      (match) => Number(match[1]),
    );
    const ends = [...text.matchAll(/^--- (\S+) (?:exit code|ended by) /gm)];
    records.push({
      name: file.replace(/\.log$/, ''),
      pids,
      endedAt: ends.at(-1)?.[1],
    });
  }
  return records;
};

describe('a running stack', () => {
  let dataDir: string;
  let stack: Stack;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'stack-e2e-'));
    stack = await startStack({ env: testEnv(dataDir) });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs local-cloud and each service as a process of its own, each service ready on its own port', async () => {
    const pids = [stack.localCloud, ...stack.services].map(pidOf);
    expect(new Set(pids).size).toBe(5);
    for (const pid of pids) {
      expect(pid).not.toBe(process.pid);
      expect(isAlive(pid)).toBe(true);
    }
    expect(stack.services.map((service) => service.name)).toEqual([
      'file-ingestor',
      'event-streamer',
      'profile-updater',
      'error-archiver',
    ]);
    expect(new Set(stack.services.map((s) => s.port)).size).toBe(4);
    for (const service of stack.services) {
      expect(stack.endpoints.services[service.name]).toBe(
        `http://127.0.0.1:${service.port}`,
      );
      await expect(
        readyStatus(stack.endpoints.services[service.name]),
      ).resolves.toBe(200);
    }
    expect(stack.env).toEqual({
      GOOGLE_CLOUD_PROJECT: 'local-project',
      PUBSUB_EMULATOR_HOST: stack.endpoints.pubsub,
      STORAGE_EMULATOR_HOST: stack.endpoints.storage,
      METADATA_SERVER_DETECTION: 'none',
      WAREHOUSE: 'sqlite',
      WAREHOUSE_SQLITE_PATH: join(dataDir, 'warehouse.sqlite'),
    });
  });

  it('runs each service with its own Node flags', async () => {
    for (const service of stack.services) {
      const commandLine = (
        await readFile(`/proc/${pidOf(service)}/cmdline`, 'utf8')
      ).split('\0');
      expect([service.name, commandLine.slice(2, -2)]).toEqual([
        service.name,
        SERVICE_NODE_FLAGS[service.name],
      ]);
    }
  });

  it('refuses to start a second stack on the same ports', async () => {
    const samePorts = {
      PUBSUB_PORT: String(stack.config.ports.pubsub),
      STORAGE_PORT: String(stack.config.ports.storage),
      FILE_INGESTOR_PORT: String(stack.config.ports['file-ingestor']),
      EVENT_STREAMER_PORT: String(stack.config.ports['event-streamer']),
      PROFILE_UPDATER_PORT: String(stack.config.ports['profile-updater']),
      ERROR_ARCHIVER_PORT: String(stack.config.ports['error-archiver']),
    };
    const second = startStack({ env: testEnv(dataDir, samePorts) });
    await expect(second).rejects.toThrow(StackPortsBusyError);
    await expect(second).rejects.toThrow(/already running/);
  });

  it('restarts a service killed with SIGKILL on its port', async () => {
    const [streamer] = stack.services.filter(
      (service) => service.name === 'event-streamer',
    );
    const killedPid = pidOf(streamer);
    streamer.kill('SIGKILL');
    await expect(streamer.waitForExit()).resolves.toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    expect(isAlive(killedPid)).toBe(false);
    await expect(
      readyStatus(stack.endpoints.services['event-streamer']),
    ).resolves.toBeUndefined();

    await streamer.restart();
    expect(streamer.pid).not.toBe(killedPid);
    await expect(
      readyStatus(stack.endpoints.services['event-streamer']),
    ).resolves.toBe(200);
  });

  it('ingests the four samples: every file done and balanced, 389 events and 42 profiles', async () => {
    const progress = new PassThrough();
    const progressLines: string[] = [];
    progress.on('data', (chunk: Buffer) =>
      progressLines.push(chunk.toString()),
    );
    const rows = await ingestFiles(
      SAMPLE_FILES.map((name) => join(SAMPLES, name)),
      {
        stack,
        // Three of the four files (all but the 4.5 KB case-layout CSV) go
        // up in resumable uploads.
        resumableThresholdBytes: 12_000,
        progress,
        timeoutMs: 120_000,
      },
    );

    expect(
      rows.map(({ file, status, kind }) => ({ file, status, kind })),
    ).toEqual(
      SAMPLE_FILES.map((name) => ({
        file: expect.stringMatching(
          new RegExp(`/${name.replace('.', '\\.')}$`),
        ),
        status: 'done',
        kind: name.startsWith('ga4') ? 'ga4' : 'adapty',
      })),
    );
    for (const row of rows) {
      expect(row.balanced).toBe(true);
      expect(row.sourceFile).toMatch(
        new RegExp(`^gs://event-inbox/[^#]+#\\d+$`),
      );
      expect(row.seconds).toEqual(expect.any(Number));
    }
    expect(rows.reduce((sum, row) => sum + (row.loaded ?? 0), 0)).toBe(389);
    expect(progressLines.join('')).toMatch(/\(resumable\) \[#+\] 100%/);

    const warehouse = new Database(stack.warehousePath, { readonly: true });
    try {
      const count = (table: string) =>
        (
          warehouse.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as {
            n: number;
          }
        ).n;
      expect(count('unified_events')).toBe(389);
      expect(count('profiles')).toBe(42);
    } finally {
      warehouse.close();
    }
  });

  it('stops the services first, then local-cloud, and leaves no process behind', async () => {
    await stack.stop();
    const records = await logRecords(stack.logDir);
    const pids = records.flatMap((record) => record.pids);
    expect(pids.length).toBe(6);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);

    const endOf = (name: string) =>
      Date.parse(records.find((r) => r.name === name)?.endedAt ?? '');
    const cloudEnded = endOf('local-cloud');
    for (const service of stack.services) {
      expect(endOf(service.name)).toBeLessThanOrEqual(cloudEnded);
    }
  });
});

describe('a stack with a service that cannot start', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'stack-e2e-failing-'));
  });

  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('fails naming the service and its last lines, and stops the others', async () => {
    const start = startStack({
      env: testEnv(dataDir, { EVENTS_PER_BATCH: '0' }),
    });
    await expect(start).rejects.toThrow(ProcessStartError);
    await expect(start).rejects.toThrow(
      /^file-ingestor exited \(.*\) before it was ready \(full log: .*file-ingestor\.log\); its last lines:\n[^]*EVENTS_PER_BATCH/,
    );
    const records = await logRecords(join(dataDir, 'logs'));
    expect(records.map((record) => record.name).sort()).toEqual([
      'error-archiver',
      'event-streamer',
      'file-ingestor',
      'local-cloud',
      'profile-updater',
    ]);
    for (const pid of records.flatMap((record) => record.pids)) {
      expect(isAlive(pid)).toBe(false);
    }
  });
});

describe('a stack handed a free port that is then taken', () => {
  let dataDir: string;
  const holder = createServer();
  let stack: Stack | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'stack-e2e-port-race-'));
    await new Promise<void>((resolve) =>
      holder.listen(0, '127.0.0.1', resolve),
    );
  });

  afterAll(async () => {
    await stack?.stop();
    holder.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts again on other ports', async () => {
    const { port: taken } = holder.address() as AddressInfo;
    const handedOut: number[] = [];
    const takenFirst = async (host: string) => {
      const port = handedOut.length === 0 ? taken : await freePort(host);
      handedOut.push(port);
      return port;
    };
    stack = await startStack({ env: testEnv(dataDir), freePort: takenFirst });
    expect(handedOut[0]).toBe(taken);
    expect(Object.values(stack.config.ports)).not.toContain(taken);
    const logDir = join(dataDir, 'logs');
    const logs = await Promise.all(
      (await readdir(logDir)).map((file) =>
        readFile(join(logDir, file), 'utf8'),
      ),
    );
    expect(logs.join('\n')).toContain(
      `EADDRINUSE: address already in use 127.0.0.1:${taken}`,
    );
  });
});
