interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface MicroBatcherOptions {
  /** Flush once this many items wait. */
  maxItems: number;
  /** Flush this long after the first item of a batch arrived. */
  maxWaitMs: number;
}

/**
 * Gathers items submitted concurrently into batches written by one call.
 * `submit` resolves once the batch holding the item is written, and rejects
 * if that write fails, so a caller acks a message only after its own write.
 * Writes run one at a time.
 */
export class MicroBatcher<T> {
  private pending: Pending<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxItems) {
        this.flush();
      } else {
        this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
      }
    });
  }

  /** Writes whatever waits now; resolves when every write so far has finished. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.writing = this.writing.then(() =>
        this.write(batch.map((p) => p.item)).then(
          () => batch.forEach((p) => p.resolve()),
          (error: unknown) => batch.forEach((p) => p.reject(error)),
        ),
      );
    }
    return this.writing;
  }
}
