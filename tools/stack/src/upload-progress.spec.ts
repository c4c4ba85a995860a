import { PassThrough } from 'node:stream';
import {
  createProgressReporter,
  formatBytes,
  renderProgress,
} from './upload-progress';

describe('renderProgress', () => {
  it('shows the bar, the percentage, the bytes and the rate', () => {
    expect(
      renderProgress({
        label: 'big.zip',
        bytes: 25_000_000,
        total: 100_000_000,
        elapsedMs: 5000,
      }),
    ).toBe('big.zip [######..................]  25% 25.0 MB/100.0 MB 5.0 MB/s');
  });

  it('is full at the end, and copes with an empty file and no time elapsed', () => {
    expect(
      renderProgress({ label: 'e', bytes: 0, total: 0, elapsedMs: 0 }),
    ).toBe('e [########################] 100% 0.0 kB/0.0 kB -- MB/s');
  });

  it('never goes past 100%', () => {
    expect(
      renderProgress({ label: 'x', bytes: 12, total: 10, elapsedMs: 1 }),
    ).toContain(' 100% ');
  });
});

describe('formatBytes', () => {
  it('uses kB below a megabyte and MB above', () => {
    expect(formatBytes(15_152)).toBe('15.2 kB');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
  });
});

describe('createProgressReporter', () => {
  const capture = (isTTY: boolean) => {
    const stream = Object.assign(new PassThrough(), { isTTY });
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    return { stream, chunks };
  };

  it('redraws one line in place on a terminal, at most every 100 ms', () => {
    const { stream, chunks } = capture(true);
    let now = 0;
    const reporter = createProgressReporter(stream, 'f', 2_000_000, () => now);
    now = 1000;
    reporter.update(1_000_000);
    now = 1050;
    reporter.update(1_500_000);
    now = 2000;
    reporter.finish();
    const clearToEnd = '\x1b[K';
    expect(chunks).toEqual([
      `\rf [############............]  50% 1.0 MB/2.0 MB 1.0 MB/s${clearToEnd}`,
      `\rf [########################] 100% 2.0 MB/2.0 MB 1.0 MB/s${clearToEnd}\n`,
    ]);
  });

  it('writes only the final line elsewhere', () => {
    const { stream, chunks } = capture(false);
    let now = 0;
    const reporter = createProgressReporter(stream, 'f', 10, () => now);
    now = 500;
    reporter.update(5);
    reporter.finish();
    expect(chunks).toEqual([expect.stringMatching(/^f \[#+\] 100% .*\n$/)]);
  });
});
