/** How often and how long to retry a call that failed with 429, 5xx, a timeout or a network error. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first wait; each next one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Eight attempts over about a minute: rides out a restart or a burst of 429s, then says so. */
export const DEFAULT_RETRY: RetryOptions = { attempts: 8, baseDelayMs: 500, maxDelayMs: 20_000 };

/**
 * The wait before attempt `attempt + 1`: exponential with "equal jitter" (half fixed, half random)
 * so several drivers do not retry in step; a server's `Retry-After` is honoured up to the cap.
 */
export function retryDelayMs(attempt: number, options: RetryOptions, retryAfterMs?: number, random: () => number = Math.random): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  const wait = retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
  return Math.round(Math.min(options.maxDelayMs, wait));
}
