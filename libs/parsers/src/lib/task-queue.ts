import { setImmediate } from 'node:timers/promises';
import { ParseContext } from './parse-options';
import { ParsedChunk } from './parsed-chunk';
import { ParseTask, runParseTask } from './parse-task';

/**
 * Tasks queued per worker: enough that a worker never waits for the next,
 * even while this thread runs a task of its own or collects garbage.
 */
const QUEUED_PER_WORKER = 4;

/**
 * Finished chunks this thread may hold, beyond the workers' queues, before
 * it stops reading to wait for a worker. Chunks leave in order, so the
 * tasks this thread runs itself queue up behind the workers' ones; waiting
 * as soon as those are due left this thread idle about a tenth of the time.
 * Bounds the memory of chunks parsed ahead of the consumer.
 */
const CHUNKS_AHEAD = 12;

/** A task started, here or on a worker: its chunk once there. */
interface Started {
  chunk: ParsedChunk | null;
  promise: Promise<ParsedChunk> | null;
}

/**
 * Parse tasks, their chunks handed back in the order the tasks were added.
 * With a pool, each worker is kept fed with a couple of tasks and this
 * thread runs the next task itself rather than wait, one at a time, letting
 * the workers' replies in between so that they are fed again at once: every
 * core is used whatever the balance between reading and parsing.
 */
export class TaskQueue {
  private readonly waiting: ParseTask[] = [];
  private readonly started: Started[] = [];

  constructor(private readonly context: ParseContext) {}

  add(task: ParseTask): void {
    this.waiting.push(task);
  }

  /**
   * Runs every task added and hands back chunks in order, leaving no more
   * than the workers' queues and `CHUNKS_AHEAD` in flight; all of them
   * when `all`.
   */
  async *take(all = false): AsyncGenerator<ParsedChunk> {
    const { pool } = this.context;
    const keep =
      all || pool === null ? 0 : pool.size * QUEUED_PER_WORKER + CHUNKS_AHEAD;
    for (;;) {
      this.feedPool();
      const oldest = this.started[0];
      if (oldest?.chunk) {
        this.started.shift();
        yield oldest.chunk;
      } else if (this.waiting.length > 0) {
        const task = this.waiting.shift() as ParseTask;
        this.started.push({ chunk: runParseTask(task), promise: null });
        if (pool !== null) await setImmediate();
      } else if (this.started.length > keep) {
        oldest.chunk = await (oldest.promise as Promise<ParsedChunk>);
      } else {
        return;
      }
    }
  }

  private feedPool(): void {
    const { pool } = this.context;
    if (pool === null) return;
    while (
      this.waiting.length > 0 &&
      pool.backlog < pool.size * QUEUED_PER_WORKER
    ) {
      const started: Started = { chunk: null, promise: null };
      started.promise = pool.run(this.waiting.shift() as ParseTask);
      started.promise.then(
        (chunk) => (started.chunk = chunk),
        // Thrown where the chunk is awaited, in order; not unhandled meanwhile.
        () => undefined,
      );
      this.started.push(started);
    }
  }
}
