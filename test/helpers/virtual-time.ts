/**
 * Virtual time for tests: a Timer on a FixedClock. When something sleeps, the clock jumps
 * to the earliest wake-up (after a short real pause the event loop spends idle, so real I/O in
 * progress settles first), so backoffs, Retry-Afters, pauses and deadlines of hours run in milliseconds.
 */
import type { FixedClock } from '../../src/base/clock.js';
import type { Timer } from '../../src/base/timer.js';

interface Sleeper {
  at: number;
  resolve: () => void;
}

/** A Timer that moves `clock` forward instead of waiting. */
export class VirtualTimer implements Timer {
  private readonly sleepers = new Set<Sleeper>();
  private scheduled: NodeJS.Timeout | null = null;
  /** How far the clock was moved in all. */
  elapsedMs = 0;

  constructor(
    readonly clock: FixedClock,
    /** Real milliseconds to let I/O settle before time jumps. */
    private readonly settleMs = 15,
  ) {}

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        at: this.clock.now().getTime() + ms,
        resolve: () => {
          this.sleepers.delete(sleeper);
          signal?.removeEventListener('abort', sleeper.resolve);
          resolve();
        },
      };
      this.sleepers.add(sleeper);
      signal?.addEventListener('abort', sleeper.resolve, { once: true });
      this.schedule();
    });
  }

  private schedule(late = 0): void {
    if (this.scheduled) return;
    const due = performance.now() + this.settleMs;
    this.scheduled = setTimeout(() => {
      this.scheduled = null;
      // Fired late: the event loop was busy (work in progress, or a loaded machine whose I/O is
      // slow too). Time jumps after a settle the loop spent idle, or after a few late ones.
      if (performance.now() - due > this.settleMs && late < 4) this.schedule(late + 1);
      else this.fire();
    }, this.settleMs);
  }

  private fire(): void {
    if (this.sleepers.size === 0) return;
    const earliest = Math.min(...[...this.sleepers].map((s) => s.at));
    const now = this.clock.now().getTime();
    if (earliest > now) {
      this.elapsedMs += earliest - now;
      this.clock.set(new Date(earliest));
    }
    const due = this.clock.now().getTime();
    for (const s of [...this.sleepers]) if (s.at <= due) s.resolve();
    if (this.sleepers.size > 0) this.schedule();
  }
}
