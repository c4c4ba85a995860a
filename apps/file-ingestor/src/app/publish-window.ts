/**
 * Keeps a bounded number of publishes in flight: `add` waits while the
 * window is full, so a fast parser cannot run ahead of Pub/Sub and fill the
 * memory. The first failed publish fails every later `add` and `drain`.
 */
export class PublishWindow {
  private readonly inFlight = new Set<Promise<void>>();
  private bytesInFlight = 0;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly maxMessages: number,
    private readonly maxBytes: number,
  ) {}

  async add(publish: () => Promise<unknown>, bytes: number): Promise<void> {
    while (
      this.inFlight.size > 0 &&
      (this.inFlight.size >= this.maxMessages ||
        this.bytesInFlight + bytes > this.maxBytes)
    ) {
      await Promise.race(this.inFlight);
    }
    this.throwIfFailed();
    this.bytesInFlight += bytes;
    const tracked: Promise<void> = publish()
      .then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= { error };
        },
      )
      .finally(() => {
        this.inFlight.delete(tracked);
        this.bytesInFlight -= bytes;
      });
    this.inFlight.add(tracked);
  }

  /** Resolves once every publish is accepted; rejects with the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
