import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import {
  ExitStatus,
  ManagedProcess,
  ProcessSpec,
  ProcessStartError,
} from './service-process';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const pidOf = (child: ManagedProcess) => {
  if (child.pid === undefined) throw new Error(`${child.name} has no pid`);
  return child.pid;
};

describe('ManagedProcess', () => {
  let dir: string;
  const started: ManagedProcess[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stack-process-'));
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((child) => child.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  /** A process running `code`, ready once it has printed `ready`. */
  const managed = (code: string, spec: Partial<ProcessSpec> = {}) => {
    const child: ManagedProcess = new ManagedProcess({
      name: 'worker',
      args: ['-e', code],
      env: process.env,
      cwd: dir,
      logFile: join(dir, 'logs/worker.log'),
      readiness: {
        description: 'the line "ready"',
        check: async () => child.lastLines.includes('ready'),
      },
      readyTimeoutMs: 10_000,
      stopTimeoutMs: 5000,
      ...spec,
    });
    started.push(child);
    return child;
  };

  const idle = 'setInterval(() => {}, 1000);';

  it('fails naming the process and its last lines when it exits before it is ready', async () => {
    const child = managed(
      "console.log('loading'); console.error('bad config: PORT'); process.exit(3);",
    );
    const failure = child.start();
    await expect(failure).rejects.toThrow(ProcessStartError);
    await expect(failure).rejects.toThrow(
      /^worker exited \(exit code 3\) before it was ready \(full log: .*worker\.log\); its last lines:\n {2}\| loading\n {2}\| bad config: PORT$/,
    );
    await expect(failure).rejects.toMatchObject({ addressInUse: false });
  });

  it('says when it failed because its port was taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) =>
      holder.listen(0, '127.0.0.1', resolve),
    );
    const { port } = holder.address() as AddressInfo;
    try {
      const child = managed(
        `require('node:net').createServer().listen(${port}, '127.0.0.1');`,
      );
      await expect(child.start()).rejects.toMatchObject({
        name: 'ProcessStartError',
        addressInUse: true,
      });
    } finally {
      holder.close();
    }
  });

  it('fails when it is not ready in time, saying what it waited for', async () => {
    const child = managed(`console.log('starting'); ${idle}`, {
      readyTimeoutMs: 300,
    });
    await expect(child.start()).rejects.toThrow(
      /^worker was not ready within 0\.3 s \(the line "ready"\).*\n {2}\| starting$/,
    );
    expect(child.running).toBe(true);
    await child.stop();
    expect(child.running).toBe(false);
  });

  it('can be killed with SIGKILL and restarted on a new pid, without a crash report', async () => {
    const onUnexpectedExit = jest.fn();
    const child = managed(`console.log('ready'); ${idle}`, {
      onUnexpectedExit,
    });
    await child.start();
    const firstPid = pidOf(child);
    child.kill('SIGKILL');
    await expect(child.waitForExit()).resolves.toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    expect(isAlive(firstPid)).toBe(false);
    await child.restart();
    expect(child.running).toBe(true);
    expect(child.pid).not.toBe(firstPid);
    expect(onUnexpectedExit).not.toHaveBeenCalled();
  });

  it('reports an exit nobody asked for once it was ready', async () => {
    const crashes: ExitStatus[] = [];
    const child = managed(`console.log('ready'); ${idle}`, {
      onUnexpectedExit: (_, status) => crashes.push(status),
    });
    await child.start();
    process.kill(pidOf(child), 'SIGKILL');
    await child.waitForExit();
    expect(crashes).toEqual([{ code: null, signal: 'SIGKILL' }]);
  });

  it('kills a process that does not exit within the stop timeout of SIGTERM', async () => {
    const child = managed(
      `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); ${idle}`,
      { stopTimeoutMs: 300 },
    );
    await child.start();
    await expect(child.stop()).resolves.toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    expect(isAlive(pidOf(child))).toBe(false);
  });

  it('writes every line to its log file, with a line for each start and exit', async () => {
    const child = managed(
      `console.log('ready'); console.error('to stderr'); ${idle}`,
    );
    await child.start();
    await child.restart();
    await child.stop();
    const log = await readFile(join(dir, 'logs/worker.log'), 'utf8');
    const run = String.raw`--- \S+ worker started, pid \d+\nready\nto stderr\n--- \S+ ended by SIGTERM\n`;
    expect(log).toMatch(new RegExp(`^${run}${run}$`));
  });
});
