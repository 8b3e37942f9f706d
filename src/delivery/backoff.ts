/**
 * How long to wait before trying again: the platform's Retry-After in full when it gave one
 * (plus a little jitter so a crowd of waiters does not return at the same instant), else
 * exponential backoff with full jitter, capped.
 */

/** Backoff settings. */
export interface BackoffOptions {
  /** First retry waits up to this long (default 1 s). */
  baseMs: number;
  /** No backoff wait is longer than this (default 5 min); a Retry-After is never cut. */
  maxMs: number;
}

/** Default backoff. */
export const DEFAULT_BACKOFF = { baseMs: 1_000, maxMs: 300_000 } as const satisfies BackoffOptions;

/** The wait before retry number `attempt` (1 for the first retry). `random` returns [0, 1). */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, options: BackoffOptions, random: () => number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) {
    return retryAfterMs + Math.floor(random() * Math.min(250, 10 + retryAfterMs * 0.1));
  }
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  // Never less than a tenth of the ceiling: a retry storm is spread, not sent at once.
  return Math.floor(ceiling * (0.1 + 0.9 * random()));
}
