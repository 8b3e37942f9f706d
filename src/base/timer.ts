/**
 * Waiting is injected like the clock: production sleeps on real timers, tests run rate
 * limits, backoff and outages in virtual time (test/helpers/virtual-time.ts).
 */

/** Something that can wait. */
export interface Timer {
  /** Resolves after `ms` (at once for ms ≤ 0), or early when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real timers. */
export const realTimer: Timer = {
  sleep(ms, signal) {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(handle);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const handle = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};

/** A wait that `wake()` ends early; each `wait` is a fresh one. */
export class Wakeable {
  private wakers = new Set<() => void>();
  /** A wake() that came while nobody was waiting: the next wait returns at once (it is not lost). */
  private missed = false;
  constructor(private readonly timer: Timer) {}

  /**
   * Waits up to `ms`, or until `wake()` is called (or `signal` aborts), or returns at once if a
   * wake came meanwhile. True when it ended by a wake or an abort, false when the time ran out.
   */
  async wait(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.missed) {
      this.missed = false;
      return true;
    }
    const controller = new AbortController();
    const wake = () => controller.abort();
    this.wakers.add(wake);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.timer.sleep(ms, controller.signal);
      return controller.signal.aborted;
    } finally {
      this.wakers.delete(wake);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Ends every wait in progress; with none, the next wait does not sleep. */
  wake(): void {
    if (this.wakers.size === 0) this.missed = true;
    for (const wake of [...this.wakers]) wake();
  }
}
