export interface ProgressState {
  label: string;
  bytes: number;
  total: number;
  elapsedMs: number;
}

const BAR_WIDTH = 24;

/** Sizes in kB below a megabyte, else in MB (decimal units, like the rate). */
export const formatBytes = (bytes: number): string =>
  bytes < 1e6
    ? `${(bytes / 1e3).toFixed(1)} kB`
    : `${(bytes / 1e6).toFixed(1)} MB`;

/** `label [#########...............]  38% 1.9 MB/5.0 MB 3.2 MB/s` */
export const renderProgress = ({
  label,
  bytes,
  total,
  elapsedMs,
}: ProgressState): string => {
  const fraction = total > 0 ? Math.min(1, bytes / total) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = '#'.repeat(filled) + '.'.repeat(BAR_WIDTH - filled);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const rate =
    elapsedMs > 0
      ? `${((bytes * 1000) / elapsedMs / 1e6).toFixed(1)} MB/s`
      : '-- MB/s';
  return `${label} [${bar}] ${percent} ${formatBytes(bytes)}/${formatBytes(total)} ${rate}`;
};

export interface ProgressReporter {
  update(bytes: number): void;
  /** The final line, with the total. */
  finish(): void;
}

/** How often a terminal line is redrawn. */
const REDRAW_MS = 100;

/**
 * A progress line on a stream: redrawn in place on a terminal; elsewhere
 * (a file, a pipe) only the final line is written, so logs stay readable.
 */
export const createProgressReporter = (
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
  total: number,
  now: () => number = Date.now,
): ProgressReporter => {
  const startedAt = now();
  let bytes = 0;
  let drawnAt = -Infinity;
  const line = () =>
    renderProgress({ label, bytes, total, elapsedMs: now() - startedAt });
  return {
    update(written) {
      bytes = written;
      if (!stream.isTTY || now() - drawnAt < REDRAW_MS) return;
      drawnAt = now();
      stream.write(`\r${line()}\x1b[K`);
    },
    finish() {
      bytes = total;
      stream.write(stream.isTTY ? `\r${line()}\x1b[K\n` : `${line()}\n`);
    },
  };
};
