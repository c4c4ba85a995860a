import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  const recording = () => {
    const writes: number[][] = [];
    const batcher = new MicroBatcher<number, string>(
      async (items) => {
        writes.push(items);
        return items.map((item) => `written ${item}`);
      },
      { maxItems: 3, maxWaitMs: 0 },
    );
    return { writes, batcher };
  };

  it('writes what arrives together in one call and gives each item its own result', async () => {
    const { writes, batcher } = recording();
    const results = await Promise.all([1, 2].map((n) => batcher.submit(n)));
    expect(writes).toEqual([[1, 2]]);
    expect(results).toEqual(['written 1', 'written 2']);
  });

  it('writes as soon as maxItems wait, and the rest in a later call', async () => {
    const { writes, batcher } = recording();
    await Promise.all([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it('rejects every item of a failed write, and writes later items again', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number>(
      async (items) => {
        if (fail) throw new Error('database is locked');
        return items.map(() => undefined);
      },
      { maxItems: 10, maxWaitMs: 0 },
    );
    const failed = [batcher.submit(1), batcher.submit(2)];
    await expect(Promise.all(failed)).rejects.toThrow('database is locked');
    await expect(failed[1]).rejects.toThrow('database is locked');
    fail = false;
    await expect(batcher.submit(3)).resolves.toBeUndefined();
  });

  it('runs writes one at a time, in order', async () => {
    const log: string[] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((resolve) => (release = resolve));
    const batcher = new MicroBatcher<number>(
      async (items) => {
        log.push(`start ${items}`);
        if (items[0] === 1) await firstWrite;
        log.push(`end ${items}`);
        return items.map(() => undefined);
      },
      { maxItems: 1, maxWaitMs: 0 },
    );
    const first = batcher.submit(1);
    const second = batcher.submit(2);
    await Promise.resolve();
    expect(log).toEqual(['start 1']);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('writes what arrives during a write together, right after it', async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((resolve) => (release = resolve));
    const batcher = new MicroBatcher<number>(
      async (items) => {
        writes.push(items);
        if (items[0] === 1) await firstWrite;
        return items.map(() => undefined);
      },
      { maxItems: 3, maxWaitMs: 0 },
    );
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4, 5].map((n) => batcher.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('waits maxWaitMs for more items when asked to', async () => {
    jest.useFakeTimers();
    try {
      const writes: number[][] = [];
      const batcher = new MicroBatcher<number>(
        async (items) => {
          writes.push(items);
          return items.map(() => undefined);
        },
        { maxItems: 10, maxWaitMs: 20 },
      );
      const first = batcher.submit(1);
      jest.advanceTimersByTime(10);
      const second = batcher.submit(2);
      expect(writes).toEqual([]);
      jest.advanceTimersByTime(10);
      await Promise.all([first, second]);
      expect(writes).toEqual([[1, 2]]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('flush writes at once and resolves after every write so far', async () => {
    const { writes, batcher } = recording();
    const submitted = batcher.submit(7);
    await batcher.flush();
    expect(writes).toEqual([[7]]);
    await expect(submitted).resolves.toBe('written 7');
  });
});
