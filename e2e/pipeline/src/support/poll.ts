import { pollUntil } from '@event-pipeline/stack';

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
  let value: T | undefined;
  const found = await pollUntil(
    async () => (value = await check()) !== undefined,
    { timeoutMs, intervalMs },
  );
  if (!found) {
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for ${description}`,
    );
  }
  return value as T;
};
