import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Polls `check` until it returns a value other than undefined, and returns
 * that value; throws naming what was awaited once the deadline passes.
 */
export const waitFor = async <T>(
  description: string,
  check: () => T | undefined | Promise<T | undefined>,
  { timeoutMs, intervalMs = 100 }: WaitOptions,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${description}`,
      );
    }
    await delay(intervalMs);
  }
};
