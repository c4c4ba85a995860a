import { decodeChunk, EncodedChunk } from './chunk-codec';
import { ParseContext } from './parse-options';
import { ParsedChunk } from './parsed-chunk';
import { ParseTask, runParseTask } from './parse-task';

/** Tasks queued per worker: enough that a worker never waits for the next. */
const QUEUED_PER_WORKER = 2;

/**
 * Parse tasks in flight, their chunks handed back in the order the tasks
 * were added. With a pool, each worker is kept fed with a couple of tasks
 * and any task beyond that runs here at once: this thread shares the work
 * rather than wait, so every core is used whatever the balance between
 * reading and parsing.
 */
export class TaskQueue {
  private readonly running: Promise<ParsedChunk | EncodedChunk>[] = [];

  constructor(private readonly context: ParseContext) {}

  add(task: ParseTask): void {
    const { pool } = this.context;
    if (pool !== null && pool.backlog < pool.size * QUEUED_PER_WORKER) {
      const chunk = pool.run(task);
      // Awaited in order by take(); until then a failure must not count as unhandled.
      chunk.catch(() => undefined);
      this.running.push(chunk);
    } else {
      this.running.push(Promise.resolve(runParseTask(task)));
    }
  }

  /**
   * Chunks of the oldest tasks, while more than the workers' queues hold;
   * every chunk when `all`. A chunk from a worker is decoded only now, so
   * the objects of chunks still waiting do not pile up.
   */
  async *take(all = false): AsyncGenerator<ParsedChunk> {
    const { pool } = this.context;
    const keep = all || pool === null ? 0 : pool.size * QUEUED_PER_WORKER;
    while (this.running.length > keep) {
      const chunk = await (this.running.shift() as Promise<
        ParsedChunk | EncodedChunk
      >);
      yield 'encoded' in chunk ? decodeChunk(chunk) : chunk;
    }
  }
}
