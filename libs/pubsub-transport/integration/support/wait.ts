import { EventEmitter, once } from 'node:events';

/** Rejects with `what` when `promise` has not settled within `ms`. */
export const within = async <T>(
  ms: number,
  what: string,
  promise: Promise<T>,
): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Something that changes as events arrive and can be awaited until a
 * condition over it holds, checked on each change rather than polled.
 */
export class Observed {
  private readonly changes = new EventEmitter();

  changed(): void {
    this.changes.emit('change');
  }

  async until(
    condition: () => boolean,
    what: string,
    ms = 10_000,
  ): Promise<void> {
    await within(
      ms,
      what,
      (async () => {
        while (!condition()) await once(this.changes, 'change');
      })(),
    );
  }
}

/** A promise with its resolve function, for handlers a test releases. */
export const deferred = <T = void>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};
