import { ParseContext } from './parse-options';
import { ParsedChunk } from './parsed-chunk';
import { ParseTask } from './parse-task';

/**
 * Parse tasks in flight, at most the context's `inFlight` of them, their
 * chunks handed back in the order the tasks were added.
 */
export class TaskQueue {
  private readonly running: Promise<ParsedChunk>[] = [];

  constructor(private readonly context: ParseContext) {}

  add(task: ParseTask): void {
    const chunk = this.context.runTask(task);
    // Awaited in order by take(); until then a failure must not count as unhandled.
    chunk.catch(() => undefined);
    this.running.push(chunk);
  }

  /** Chunks of the oldest tasks, until few enough run; every chunk when `all`. */
  async *take(all = false): AsyncGenerator<ParsedChunk> {
    const keep = all ? 0 : this.context.inFlight - 1;
    while (this.running.length > keep) {
      yield await (this.running.shift() as Promise<ParsedChunk>);
    }
  }
}
