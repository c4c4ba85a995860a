import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { pollUntil } from './readiness';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessSpec {
  name: string;
  /** Arguments of `node`. */
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Every line the process prints is appended here. */
  logFile: string;
  /** The HTTP port it serves, if it has one worth showing. */
  port?: number;
  readiness: {
    /** What is being waited for, for the error when it does not come. */
    description: string;
    check: () => Promise<boolean>;
  };
  readyTimeoutMs: number;
  /** How long it may drain after SIGTERM before it is killed. */
  stopTimeoutMs: number;
  onLog?: (name: string, line: string) => void;
  /** An exit after it was ready that kill, stop or restart did not ask for. */
  onUnexpectedExit?: (process: ManagedProcess, status: ExitStatus) => void;
}

const LAST_LINES = 20;

export const describeExit = ({ code, signal }: ExitStatus): string =>
  signal ? `ended by ${signal}` : `exit code ${code}`;

/** `<name> <what happened> (full log: <file>); its last lines: ...` */
export const reportProcess = (
  process: ManagedProcess,
  what: string,
): string => {
  const lines = process.lastLines;
  const tail = lines.length
    ? `; its last lines:\n${lines.map((line) => `  | ${line}`).join('\n')}`
    : '; it printed nothing';
  return `${process.name} ${what} (full log: ${process.logFile})${tail}`;
};

/** A process that failed to start, with what it printed last. */
export class ProcessStartError extends Error {
  readonly processName: string;
  /** Whether it said a port it was to listen on was taken. */
  readonly addressInUse: boolean;

  constructor(process: ManagedProcess, reason: string) {
    super(reportProcess(process, reason));
    this.name = 'ProcessStartError';
    this.processName = process.name;
    this.addressInUse = process.lastLines.some((line) =>
      line.includes('EADDRINUSE'),
    );
  }
}

/** A start given up because its caller cancelled it. */
export class StartCancelledError extends Error {
  constructor() {
    super('start cancelled');
    this.name = 'StartCancelledError';
  }
}

/**
 * One Node process of the stack: started in its own process group, so that
 * a Ctrl-C in the terminal reaches only the parent, which stops the
 * processes in order. Output goes line by line to its log file, to `onLog`
 * and to a short memory of the last lines for error messages.
 */
export class ManagedProcess {
  private child?: ChildProcess;
  private exit: Promise<ExitStatus> = Promise.resolve({
    code: null,
    signal: null,
  });
  private status?: ExitStatus;
  private log?: WriteStream;
  private watchingForCrash = false;
  private readonly recent: string[] = [];

  constructor(private readonly spec: ProcessSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get logFile(): string {
    return this.spec.logFile;
  }

  get port(): number | undefined {
    return this.spec.port;
  }

  /** The latest process's id, kept after it exits. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.status === undefined;
  }

  get lastLines(): readonly string[] {
    return [...this.recent];
  }

  /** Spawns the process and waits until it is ready; rejects naming it if it exits or times out first. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.spawn();
    const ready = await pollUntil(this.spec.readiness.check, {
      timeoutMs: this.spec.readyTimeoutMs,
      giveUp: () => {
        if (this.status) {
          return this.startError(
            `exited (${describeExit(this.status)}) before it was ready`,
          );
        }
        return signal?.aborted ? new StartCancelledError() : undefined;
      },
    });
    if (!ready) {
      throw this.startError(
        `was not ready within ${this.spec.readyTimeoutMs / 1000} s (${this.spec.readiness.description})`,
      );
    }
    this.watchingForCrash = true;
  }

  /** Sends a signal; the exit that follows is not reported as a crash. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.running) return;
    this.watchingForCrash = false;
    this.child?.kill(signal);
  }

  /** Resolves once the latest process has exited and its output is flushed. */
  waitForExit(): Promise<ExitStatus> {
    return this.exit;
  }

  /** SIGTERM, then SIGKILL if it has not exited within the stop timeout. */
  async stop(): Promise<ExitStatus> {
    this.kill('SIGTERM');
    const timeout = new AbortController();
    const exited = await Promise.race([
      this.exit,
      delay(this.spec.stopTimeoutMs, undefined, {
        signal: timeout.signal,
      }).catch(() => undefined),
    ]);
    timeout.abort();
    if (exited) return exited;
    this.note(
      `did not exit within ${this.spec.stopTimeoutMs / 1000} s of SIGTERM; killing it`,
    );
    this.kill('SIGKILL');
    return this.exit;
  }

  /** Stops the process if it runs, then starts it again and waits until it is ready. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private spawn(): void {
    mkdirSync(dirname(this.spec.logFile), { recursive: true });
    const log = createWriteStream(this.spec.logFile, { flags: 'a' });
    this.log = log;
    const child = spawn(process.execPath, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.status = undefined;
    this.watchingForCrash = false;
    this.recent.length = 0;
    log.write(
      `--- ${new Date().toISOString()} ${this.name} started, pid ${child.pid}\n`,
    );
    for (const output of [child.stdout, child.stderr]) {
      if (!output) continue;
      createInterface({ input: output, crlfDelay: Infinity }).on(
        'line',
        (line) => this.line(line),
      );
    }
    this.exit = new Promise((resolve) => {
      child.once('error', (error) => this.note(`failed: ${error.message}`));
      child.once('close', (code, signal) => {
        const status = { code, signal };
        this.status = status;
        this.log = undefined;
        log.end(`--- ${new Date().toISOString()} ${describeExit(status)}\n`);
        if (this.watchingForCrash) this.spec.onUnexpectedExit?.(this, status);
        this.watchingForCrash = false;
        resolve(status);
      });
    });
  }

  private line(line: string): void {
    this.log?.write(`${line}\n`);
    this.recent.push(line);
    if (this.recent.length > LAST_LINES) this.recent.shift();
    this.spec.onLog?.(this.name, line);
  }

  /** A line of the stack's own about the process, among its output. */
  private note(message: string): void {
    this.line(`[stack] ${message}`);
  }

  private startError(reason: string): ProcessStartError {
    return new ProcessStartError(this, reason);
  }
}
