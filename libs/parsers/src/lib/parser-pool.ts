import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { Worker, WorkerOptions } from 'node:worker_threads';
import { ParsedChunk } from './parsed-chunk';
import {
  ParseReply,
  ParseRequest,
  ParseTask,
  transferableParseTask,
} from './parse-task';

export interface ParserPoolOptions {
  /**
   * Worker threads; by default one per CPU but one, the calling thread
   * reading, splitting and parsing too.
   */
  size?: number;
  /**
   * The worker entry. By default `parse-worker` beside this module, with
   * this module's extension: the TypeScript source when run from sources,
   * `parse-worker.js` beside a bundle that ships it as an entry.
   */
  workerFile?: string;
  /**
   * Young generation of each worker, in MiB. Parsing makes many short-lived
   * strings; a roomy young generation keeps them out of the old one.
   */
  youngGenerationMb?: number;
}

/** Worker threads that run parse tasks, shared by every file parsed. */
export interface ParserPool {
  readonly size: number;
  /** Tasks sent and not yet answered, over every worker. */
  readonly backlog: number;
  /** Parses a batch on a worker. */
  run(task: ParseTask): Promise<ParsedChunk>;
  /** Stops the workers; tasks still running are rejected. */
  close(): Promise<void>;
}

const DEFAULT_YOUNG_GENERATION_MB = 32;

/** Run from sources, a worker compiles TypeScript as it loads, with the workspace's path mappings. */
const typescriptWorker = (file: string, options: WorkerOptions): Worker => {
  let root = dirname(file);
  while (
    !existsSync(join(root, 'tsconfig.base.json')) &&
    dirname(root) !== root
  ) {
    root = dirname(root);
  }
  return new Worker(
    `require('@swc-node/register'); require(${JSON.stringify(file)});`,
    {
      ...options,
      eval: true,
      env: {
        ...process.env,
        SWC_NODE_PROJECT:
          process.env['SWC_NODE_PROJECT'] ?? join(root, 'tsconfig.base.json'),
      },
    },
  );
};

interface Pending {
  resolve: (chunk: ParsedChunk) => void;
  reject: (error: Error) => void;
}

/**
 * One worker thread and the tasks it owes; held (ref'd) only while it owes
 * any. A worker that fails before it even starts (a missing or broken worker
 * file) is not started again: every task sent to it fails with that error.
 */
class PoolWorker {
  readonly pending = new Map<number, Pending>();
  private worker: Worker;
  private started = false;
  private unusable: Error | null = null;

  constructor(private readonly start: () => Worker) {
    this.worker = this.spawn();
  }

  post(request: ParseRequest, transfer: ArrayBuffer[], pending: Pending) {
    if (this.unusable !== null) return pending.reject(this.unusable);
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(request.id, pending);
    this.worker.postMessage(request, transfer);
  }

  terminate(): Promise<number> {
    this.failAll(new Error('The parser pool was closed'));
    return this.worker.terminate();
  }

  private spawn(): Worker {
    const worker = this.start();
    worker.unref();
    worker.on('message', (reply: ParseReply) => this.settle(reply));
    worker.on('error', (error) => this.replace(error));
    worker.on('exit', (code) => {
      if (this.worker === worker && this.pending.size > 0) {
        this.replace(new Error(`A parser worker exited with code ${code}`));
      }
    });
    return worker;
  }

  private settle(reply: ParseReply) {
    if ('ready' in reply) {
      this.started = true;
      return;
    }
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply)
      pending.reject(new Error(`A parse task failed: ${reply.error}`));
    else pending.resolve(reply.chunk);
  }

  /** A crashed worker fails what it owed and gives way to a fresh one. */
  private replace(error: Error) {
    void this.worker.terminate();
    if (this.started) {
      this.failAll(error);
      this.started = false;
      this.worker = this.spawn();
    } else {
      this.unusable = new Error(
        `A parser worker could not start: ${error.message}`,
      );
      this.failAll(this.unusable);
    }
  }

  private failAll(error: Error) {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    this.worker.unref();
  }
}

/**
 * Starts worker threads for the CPU-heavy step of a file (papaparse or
 * JSON.parse, mapping, checks, the chunk's JSON), which spreads the file
 * over every core while the calling thread reads and splits it. Each task
 * goes to the least busy worker. Idle workers do not keep the process alive.
 */
export const createParserPool = (
  options: ParserPoolOptions = {},
): ParserPool => {
  const size = options.size ?? Math.max(1, availableParallelism() - 1);
  const file =
    options.workerFile ?? join(__dirname, `parse-worker${extname(__filename)}`);
  const workerOptions: WorkerOptions = {
    resourceLimits: {
      maxYoungGenerationSizeMb:
        options.youngGenerationMb ?? DEFAULT_YOUNG_GENERATION_MB,
    },
  };
  const start = () =>
    file.endsWith('.ts')
      ? typescriptWorker(file, workerOptions)
      : new Worker(file, workerOptions);
  const workers = Array.from({ length: size }, () => new PoolWorker(start));
  let nextId = 0;
  let closed = false;

  return {
    size,
    get backlog() {
      return workers.reduce((sum, worker) => sum + worker.pending.size, 0);
    },
    run(task) {
      if (closed) return Promise.reject(new Error('The parser pool is closed'));
      const worker = workers.reduce((least, candidate) =>
        candidate.pending.size < least.pending.size ? candidate : least,
      );
      const moved = transferableParseTask(task);
      return new Promise<ParsedChunk>((resolve, reject) =>
        worker.post({ id: nextId++, task: moved.task }, moved.transfer, {
          resolve,
          reject,
        }),
      );
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
};
