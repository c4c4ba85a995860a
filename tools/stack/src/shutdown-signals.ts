const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
];

/**
 * `npm start` (npm run-script) forwards the SIGINT of a Ctrl-C to the
 * script, which also gets it from the terminal: one Ctrl-C arrives twice.
 * A signal this soon after the first is that echo, not a second press.
 */
const ECHO_MS = 1000;

export interface ShutdownHandlers {
  /** The first signal: stop gracefully. */
  graceful(signal: NodeJS.Signals): void;
  /** A later signal: stop now. */
  force(signal: NodeJS.Signals): void;
}

/** Routes SIGINT, SIGTERM and SIGHUP to the handlers; returns a function that removes them. */
export const onShutdownSignals = (
  handlers: ShutdownHandlers,
  now: () => number = Date.now,
  signals: Pick<NodeJS.EventEmitter, 'on' | 'off'> = process,
): (() => void) => {
  let firstAt: number | undefined;
  const listener = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = now();
      handlers.graceful(signal);
    } else if (now() - firstAt >= ECHO_MS) {
      handlers.force(signal);
    }
  };
  for (const signal of SHUTDOWN_SIGNALS) signals.on(signal, listener);
  return () => {
    for (const signal of SHUTDOWN_SIGNALS) signals.off(signal, listener);
  };
};
