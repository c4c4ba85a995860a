import { setTimeout as sleep } from 'node:timers/promises';

/** How long a call waits, in all, for other processes' transactions. */
export const BUSY_TIMEOUT_MS = 30_000;

/** The pause between two tries at a lock another process holds. */
const RETRY_PAUSE_MS = 1;

const isBusy = (error: unknown): boolean =>
  String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY');

/**
 * Runs `attempt` (one statement or one whole transaction) until another
 * process's lock no longer stops it, trying again every millisecond for up
 * to `timeoutMs`. SQLite's own busy handler sleeps in growing steps, up to
 * 100 ms, inside the call: the lock was often free long before it looked
 * again, and the event loop, blocked meanwhile, could not even read the
 * next messages. Here the wait is a timer, and a failed attempt has changed
 * nothing (a transaction that meets the lock is rolled back), so it is
 * simply run again.
 */
export const retryWhileBusy = async <T>(
  attempt: () => T,
  timeoutMs = BUSY_TIMEOUT_MS,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
    }
    await sleep(RETRY_PAUSE_MS);
  }
};
