import { DispatchTask, OrderedDispatcher } from './ordered-dispatcher';

/** A task whose outcome the test decides, recording what happened to it. */
class ControlledTask implements DispatchTask {
  static log: string[] = [];
  private settle?: (succeeded: boolean) => void;
  cancelled = false;

  constructor(
    readonly name: string,
    readonly key?: string,
  ) {}

  run(): Promise<boolean> {
    ControlledTask.log.push(`start ${this.name}`);
    return new Promise((resolve) => (this.settle = resolve));
  }

  cancel(): void {
    this.cancelled = true;
    ControlledTask.log.push(`cancel ${this.name}`);
  }

  get started(): boolean {
    return this.settle !== undefined;
  }

  async finish(succeeded = true): Promise<void> {
    if (!this.settle) throw new Error(`${this.name} has not started`);
    this.settle(succeeded);
    // Let the dispatcher's continuation run.
    await Promise.resolve();
    await Promise.resolve();
  }
}

describe('OrderedDispatcher', () => {
  beforeEach(() => (ControlledTask.log = []));

  it('runs at most `concurrency` tasks at once', async () => {
    const dispatcher = new OrderedDispatcher(2);
    const tasks = ['a', 'b', 'c'].map((name) => new ControlledTask(name));
    tasks.forEach((task) => dispatcher.submit(task));
    expect(tasks.map((t) => t.started)).toEqual([true, true, false]);
    await tasks[1].finish();
    expect(tasks[2].started).toBe(true);
  });

  it('runs tasks of one key one after another, other keys alongside', async () => {
    const dispatcher = new OrderedDispatcher(10);
    const [a1, a2, b1] = [
      new ControlledTask('a1', 'a'),
      new ControlledTask('a2', 'a'),
      new ControlledTask('b1', 'b'),
    ];
    [a1, a2, b1].forEach((task) => dispatcher.submit(task));
    expect([a1.started, a2.started, b1.started]).toEqual([true, false, true]);
    await a1.finish();
    expect(a2.started).toBe(true);
  });

  it('cancels what is queued behind a failed task of the same key, and only that', async () => {
    const dispatcher = new OrderedDispatcher(10);
    const [a1, a2, a3, b1] = [
      new ControlledTask('a1', 'a'),
      new ControlledTask('a2', 'a'),
      new ControlledTask('a3', 'a'),
      new ControlledTask('b1', 'b'),
    ];
    [a1, a2, a3, b1].forEach((task) => dispatcher.submit(task));
    await a1.finish(false);
    expect([a2.cancelled, a3.cancelled, b1.cancelled]).toEqual([
      true,
      true,
      false,
    ]);

    const a4 = new ControlledTask('a4', 'a');
    dispatcher.submit(a4);
    expect(a4.started).toBe(true);
  });

  it('treats a task that throws as failed', async () => {
    const dispatcher = new OrderedDispatcher(1);
    const next = new ControlledTask('next', 'k');
    dispatcher.submit({
      key: 'k',
      run: () => Promise.reject(new Error('boom')),
      cancel: () => undefined,
    });
    dispatcher.submit(next);
    await new Promise((resolve) => setImmediate(resolve));
    expect(next.cancelled).toBe(true);
  });

  it('cancels every task not started, lets running ones finish and keeps their keys ordered', async () => {
    const dispatcher = new OrderedDispatcher(1);
    const [a1, a2, free] = [
      new ControlledTask('a1', 'a'),
      new ControlledTask('a2', 'a'),
      new ControlledTask('free'),
    ];
    [a1, a2, free].forEach((task) => dispatcher.submit(task));
    dispatcher.cancelPending();
    expect(ControlledTask.log).toEqual([
      'start a1',
      'cancel free',
      'cancel a2',
    ]);

    const a3 = new ControlledTask('a3', 'a');
    dispatcher.submit(a3);
    expect(a3.started).toBe(false);
    await a1.finish();
    expect(a3.started).toBe(true);
  });
});
