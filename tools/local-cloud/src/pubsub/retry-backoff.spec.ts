import { retryDelayMs } from './retry-backoff';

describe('retryDelayMs', () => {
  it('redelivers at once without a retry policy', () => {
    expect(retryDelayMs(undefined, 3)).toBe(0);
  });

  it('doubles from the minimum and stops at the maximum', () => {
    const policy = { minimumMs: 10_000, maximumMs: 60_000 };
    expect([1, 2, 3, 4, 5, 50].map((failures) => retryDelayMs(policy, failures))).toEqual([
      10_000, 20_000, 40_000, 60_000, 60_000, 60_000,
    ]);
  });
});
