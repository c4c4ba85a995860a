import { PublishWindow } from './publish-window';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('PublishWindow', () => {
  it('holds add() while the window is full, and lets it go once a publish is accepted', async () => {
    const window = new PublishWindow(2, 1_000);
    const first = deferred();
    const second = deferred();
    await window.add(() => first.promise, 10);
    await window.add(() => second.promise, 10);
    let third = false;
    const adding = window.add(async () => {
      third = true;
    }, 10);
    await Promise.resolve();
    expect(third).toBe(false);
    first.resolve();
    await adding;
    expect(third).toBe(true);
    second.resolve();
    await window.drain();
  });

  it('bounds the bytes in flight too', async () => {
    const window = new PublishWindow(100, 50);
    const big = deferred();
    await window.add(() => big.promise, 40);
    let started = false;
    const adding = window.add(async () => {
      started = true;
    }, 20);
    await Promise.resolve();
    expect(started).toBe(false);
    big.resolve();
    await adding;
    expect(started).toBe(true);
  });

  it('lets one message larger than the byte bound through when nothing else is in flight', async () => {
    const window = new PublishWindow(10, 5);
    await window.add(async () => undefined, 50);
    await expect(window.drain()).resolves.toBeUndefined();
  });

  it('fails drain and later adds with the first rejected publish', async () => {
    const window = new PublishWindow(10, 1_000);
    await window.add(() => Promise.reject(new Error('topic not found')), 1);
    await expect(window.drain()).rejects.toThrow('topic not found');
    await expect(window.add(async () => undefined, 1)).rejects.toThrow(
      'topic not found',
    );
  });
});
