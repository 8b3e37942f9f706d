/** Time is injected so scenarios replay at any hour and tests are deterministic. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where it is set; `set` moves it (console `/at`, tests). */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * A clock that starts at a chosen instant and runs on at the wall clock's pace (`VIGIE_NOW`):
 * a whole process (bot, CLI, dispatcher) behaves as if it were that time, timers included.
 */
export class ShiftedClock implements Clock {
  private readonly offsetMs: number;
  constructor(
    start: Date,
    private readonly base: () => number = Date.now,
  ) {
    this.offsetMs = start.getTime() - base();
  }
  now(): Date {
    return new Date(this.base() + this.offsetMs);
  }
}
