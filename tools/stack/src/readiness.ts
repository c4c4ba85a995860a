import { createServer, createConnection } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked before every attempt: an error to stop waiting with, if any. */
  giveUp?: () => Error | undefined;
}

/**
 * Runs `check` until it returns true (then true) or the time is up (then
 * false); a `giveUp` error ends the wait at once.
 */
export const pollUntil = async (
  check: () => Promise<boolean>,
  { timeoutMs, intervalMs = 200, giveUp }: PollOptions,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = giveUp?.();
    if (reason) throw reason;
    if (await check()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await delay(Math.min(intervalMs, left));
  }
};

/** A GET's status and body, or undefined when nothing answers in time. */
export const httpGet = async (
  url: string,
  timeoutMs = 2000,
): Promise<{ status: number; body: string } | undefined> => {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
};

/** Whether something accepts TCP connections on the port. */
export const isPortOpen = (
  host: string,
  port: number,
  timeoutMs = 1000,
): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const settle = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => settle(false));
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
  });

/**
 * A port free right now, from the system. Another program could take it
 * before it is used; on a developer machine or in a test run that is rare.
 */
export const freePort = (host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error(`no free port on ${host}`)),
      );
    });
  });
