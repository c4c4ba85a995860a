/** Bounded retries with exponential backoff and jitter. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  firstDelayMs: 500,
  maxDelayMs: 16_000,
};

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before retry number `retry` (1 for the first retry). */
export const backoffMs = (policy: RetryPolicy, retry: number): number =>
  Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (retry - 1)) *
  (0.5 + Math.random() / 2);

/** Runs `attempt` until it succeeds, fails for good, or runs out of attempts. */
export const withRetry = async <T>(
  policy: RetryPolicy,
  isTransient: (error: unknown) => boolean,
  attempt: () => Promise<T>,
): Promise<T> => {
  for (let retry = 0; ; retry++) {
    if (retry > 0) await sleep(backoffMs(policy, retry));
    try {
      return await attempt();
    } catch (error) {
      if (retry + 1 >= policy.attempts || !isTransient(error)) throw error;
    }
  }
};

/** Row and job error reasons BigQuery documents as worth retrying. */
export const TRANSIENT_REASONS: ReadonlySet<string> = new Set([
  'backendError',
  'internalError',
  'timeout',
  'rateLimitExceeded',
  'jobBackendError',
  'jobInternalError',
  'jobRateLimitExceeded',
  // insertAll: the row was fine, another row of the request was not.
  'stopped',
]);

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);
// Mutating DML on one table is queued and conflict-checked: a statement that
// lost a conflict, or found the queue full, succeeds when run again.
const TRANSIENT_MESSAGES =
  /concurrent update|DML statements outstanding|exceeded rate limits/i;

interface ApiErrorLike {
  code?: unknown;
  errors?: { reason?: string }[];
  message?: string;
}

/** Whether a failed BigQuery request or job is worth sending again. */
export const isTransientBigQueryError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errors, message } = error as ApiErrorLike;
  if (typeof code === 'number' && TRANSIENT_STATUS.has(code)) return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (errors?.some(({ reason }) => reason && TRANSIENT_REASONS.has(reason))) {
    return true;
  }
  return TRANSIENT_MESSAGES.test(message ?? '');
};
