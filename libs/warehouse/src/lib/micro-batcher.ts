interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface MicroBatcherOptions {
  /** Write once this many items wait; a write never takes more. */
  maxItems: number;
  /**
   * Write this long after the first item of a batch arrived; 0 writes at the
   * end of the current turn of the event loop, gathering only what arrived
   * together.
   */
  maxWaitMs: number;
}

/**
 * Gathers items submitted concurrently into batches written by one call, so
 * that a warehouse pays one transaction (one MERGE, one commit) for many
 * messages. `submit` resolves with the item's own result once the batch
 * holding it is written, and rejects if that write fails: a caller acks a
 * message only after its own write. Writes run one at a time, in order;
 * whatever arrives while one runs is written together right after it, so a
 * slow store (a BigQuery statement takes seconds) gets fewer, larger writes
 * instead of a queue of small ones.
 */
export class MicroBatcher<T, R = void> {
  private pending: Pending<T, R>[] = [];
  private scheduled: { cancel: () => void } | undefined;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxItems) void this.flush();
      else this.scheduled ??= this.schedule();
    });
  }

  /** Writes whatever waits now; resolves when every write so far has finished. */
  flush(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
      // Items that arrived as the last write settled.
      if (this.pending.length > 0) void this.flush();
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      this.scheduled?.cancel();
      this.scheduled = undefined;
      const batch = this.pending.splice(0, this.options.maxItems);
      try {
        const results = await this.write(batch.map((p) => p.item));
        batch.forEach((p, i) => p.resolve(results[i]));
      } catch (error) {
        batch.forEach((p) => p.reject(error));
      }
    }
  }

  private schedule(): { cancel: () => void } {
    const flush = () => {
      this.scheduled = undefined;
      void this.flush();
    };
    if (this.options.maxWaitMs === 0) {
      const immediate = setImmediate(flush);
      return { cancel: () => clearImmediate(immediate) };
    }
    const timer = setTimeout(flush, this.options.maxWaitMs);
    return { cancel: () => clearTimeout(timer) };
  }
}
