/**
 * How long to wait before retrying: the platform's Retry-After when it gave one (plus a
 * little jitter so a crowd of waiters does not return at the same instant), else
 * exponential backoff with full jitter.
 */

/** Backoff settings. */
export interface BackoffOptions {
  /** First retry waits up to this long (default 250 ms). */
  baseMs: number;
  /** No wait is longer than this (default 30 s). */
  maxMs: number;
}

/** Default backoff. */
export const DEFAULT_BACKOFF = { baseMs: 250, maxMs: 30_000 } as const satisfies BackoffOptions;

/** The wait before retry number `attempt` (1 for the first retry). `random` returns [0, 1). */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, options: BackoffOptions, random: () => number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) {
    return Math.min(options.maxMs, retryAfterMs + Math.floor(random() * Math.min(100, 10 + retryAfterMs * 0.1)));
  }
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
