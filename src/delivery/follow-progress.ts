/**
 * Follows a notice's delivery for the admin who published it: looks at the outbox every
 * `intervalMs` and hands each new state to the adapter (which edits its own message), until
 * nothing is pending, `maxMs` has passed, or `stop()` (the adapter is stopping).
 */
import type { NoticeProgress } from '../store/outbox.js';
import { realTimer, Wakeable, type Timer } from '../base/timer.js';

/** Where a follow stands when its message is shown. */
export type FollowState = 'running' | 'done' | 'stopped';

/** Timing of the follows. */
export interface FollowTiming {
  /** Between two looks at the outbox (default 2000 ms). */
  intervalMs: number;
  /** How long to keep following (default 14 minutes: under a Discord interaction token's 15). */
  maxMs: number;
}

/** How a follower waits and reads the time: real timers by default, virtual time in tests. */
export interface FollowTime {
  timer: Timer;
  /** Milliseconds on a clock that only moves forward (the time bound is measured on it). */
  monotonic: () => number;
}

/** Runs the follows of one adapter; `stop()` ends them all at once. */
export class ProgressFollower {
  private readonly wakeable: Wakeable;
  private readonly monotonic: () => number;
  private stopped = false;
  readonly timing: FollowTiming;

  constructor(
    private readonly progressOf: (noticeId: string) => Promise<NoticeProgress | null>,
    timing: Partial<FollowTiming> = {},
    time: FollowTime = { timer: realTimer, monotonic: () => performance.now() },
  ) {
    this.timing = { intervalMs: 2000, maxMs: 14 * 60_000, ...timing };
    this.wakeable = new Wakeable(time.timer);
    this.monotonic = time.monotonic;
  }

  /** True once stop() was called. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Calls `show` after each look whose state differs from the last one shown (and once at the
   * end with 'done' or 'stopped'). `shown` is what the adapter already displays, if anything.
   */
  async follow(noticeId: string, show: (progress: NoticeProgress | null, state: FollowState) => Promise<void>): Promise<void> {
    const deadline = this.monotonic() + this.timing.maxMs;
    for (;;) {
      await this.sleep(this.timing.intervalMs);
      const progress = await this.progressOf(noticeId);
      const state: FollowState =
        !progress || progress.pending === 0 ? 'done' : this.stopped || this.monotonic() >= deadline ? 'stopped' : 'running';
      await show(progress, state);
      if (state !== 'running') return;
    }
  }

  /** Ends every follow's wait now; each shows its last state as 'stopped'. */
  stop(): void {
    this.stopped = true;
    this.wakeable.wake();
  }

  private async sleep(ms: number): Promise<void> {
    if (this.stopped) return;
    await this.wakeable.wait(ms);
  }
}
