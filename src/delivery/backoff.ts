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

/**
 * The wait before the next try. With a Retry-After, that (in full) plus a little jitter.
 * Otherwise it grows with how long the target has been failing (`failingForMs`): waiting about
 * as long again doubles the wait each time, without counting tries; from `baseMs`, capped at
 * `maxMs`, with jitter (never below half the ceiling, so a crowd of retries is spread out,
 * not sent at once). `random` returns [0, 1).
 */
export function retryDelay(failingForMs: number, retryAfterMs: number | undefined, options: BackoffOptions, random: () => number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) {
    return retryAfterMs + Math.floor(random() * Math.min(250, 10 + retryAfterMs * 0.1));
  }
  const ceiling = Math.min(options.maxMs, Math.max(options.baseMs, failingForMs));
  return Math.floor(ceiling * (0.5 + 0.5 * random()));
}
