/** A subscription's retry policy, in milliseconds. */
export interface RetryBackoff {
  minimumMs: number;
  maximumMs: number;
}

/**
 * The delay before redelivering a message that failed `failures` times:
 * none without a retry policy (Google redelivers at once), else doubling
 * from the minimum up to the maximum.
 */
export const retryDelayMs = (
  policy: RetryBackoff | undefined,
  failures: number,
): number => {
  if (!policy || failures <= 0) return 0;
  const exponential = policy.minimumMs * 2 ** Math.min(failures - 1, 30);
  return Math.min(policy.maximumMs, exponential);
};
