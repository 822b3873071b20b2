import type { Deadline } from './deadline';

export interface RetryOptions {
  deadline: Deadline;
  /** Whether a failure may be retried at all. */
  retryable: (error: unknown) => boolean;
  /** First backoff ceiling in ms; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Time kept back at the end of the budget for answering the caller. */
  reserveMs?: number;
  /** At most this many attempts, however much time is left (default 30). */
  maxAttempts?: number;
  /** Injectable for tests; defaults to Math.random. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, has had `maxAttempts`
 * attempts, or the next pause would overrun the deadline; then the last error is thrown so the
 * caller can fail loudly. Bounded both in attempts and in time, backing off between attempts.
 */
export async function retryWithin<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { deadline, retryable, baseDelayMs = 50, maxDelayMs = 1_000, reserveMs = 500, maxAttempts = 30 } = options;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? wait;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!retryable(error) || attempt + 1 >= maxAttempts) throw error;
      const delay = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
      if (deadline.remainingMs() - delay <= reserveMs) throw error;
      await sleep(delay);
    }
  }
}
