export interface DispatchTask {
  /** Tasks with the same key run one after another, in submission order. */
  key?: string;
  /** Resolves true when the work succeeded, false when it failed. */
  run(): Promise<boolean>;
  /** Called instead of `run` for a task that will not run. */
  cancel(): void;
}

/**
 * Runs tasks with a cap on how many run at once, one at a time per key.
 *
 * When a keyed task fails, the tasks queued behind it on that key are
 * cancelled rather than run: Pub/Sub redelivers a nacked ordered message
 * together with the ones after it, so running those now would apply them
 * before the message that failed.
 */
export class OrderedDispatcher {
  private readonly ready: DispatchTask[] = [];
  /** Per key, the tasks waiting behind the one that is ready or running. */
  private lanes = new Map<string, DispatchTask[]>();
  private readonly running = new Set<DispatchTask>();

  constructor(private readonly concurrency: number) {}

  submit(task: DispatchTask): void {
    if (task.key !== undefined) {
      const lane = this.lanes.get(task.key);
      if (lane) {
        lane.push(task);
        return;
      }
      this.lanes.set(task.key, []);
    }
    this.ready.push(task);
    this.pump();
  }

  /** Cancels every task that has not started; running ones go on. */
  cancelPending(): void {
    const pending = [
      ...this.ready.splice(0),
      ...[...this.lanes.values()].flat(),
    ];
    this.lanes = new Map(
      [...this.running]
        .filter((task) => task.key !== undefined)
        .map((task) => [task.key as string, []]),
    );
    pending.forEach((task) => task.cancel());
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.ready.length > 0) {
      const task = this.ready.shift() as DispatchTask;
      this.running.add(task);
      task.run().then(
        (succeeded) => this.finish(task, succeeded),
        () => this.finish(task, false),
      );
    }
  }

  private finish(task: DispatchTask, succeeded: boolean): void {
    this.running.delete(task);
    if (task.key !== undefined) {
      const lane = this.lanes.get(task.key) ?? [];
      if (!succeeded) lane.splice(0).forEach((queued) => queued.cancel());
      const next = lane.shift();
      if (next) this.ready.push(next);
      else this.lanes.delete(task.key);
    }
    this.pump();
  }
}
