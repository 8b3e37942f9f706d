/**
 * Windows, baseline and thresholds of crowd signals (#15), as pure functions.
 *
 * Counts are kept per counting window (15 minutes by default, aligned on the quarter-hour).
 * The baseline of a window is the mean count of the same weekday and window of the day in
 * the school time zone over the past weeks that were observed, never less than the floor: a
 * Tuesday 08:15 is compared with the last four Tuesdays at 08:15 (Paris time, across DST).
 */
import type { SignalStrength } from './types.js';
import type { SignalsConfig } from '../content/signals-schema.js';
import { SCHOOL_TIMEZONE, wallClock, zonedTimeToInstant } from '../base/zoned-time.js';

export const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;

/** The start (ms) of the window holding `at` (ms). Windows divide an hour, so they align in every zone with whole-quarter offsets. */
export function windowStart(at: number, windowMs: number): number {
  return Math.floor(at / windowMs) * windowMs;
}

/**
 * The starts of the same window of the day on the same weekday, 1 to `weeks` weeks before,
 * most recent first, on the wall clock of `timeZone` (a week across a DST change is 167 or
 * 169 hours long). A wall time that does not exist that day moves past the gap.
 */
export function sameSlotBefore(start: number, weeks: number, timeZone: string = SCHOOL_TIMEZONE): number[] {
  const w = wallClock(start, timeZone);
  const out: number[] = [];
  for (let k = 1; k <= weeks; k++) {
    const t = zonedTimeToInstant(timeZone, w.year, w.month, w.day - 7 * k, w.hour, w.minute).getTime();
    // The same wall time can come twice when clocks go back; keep the one a week's hours away.
    out.push(Math.abs(t - (start - k * WEEK)) <= 2 * 3600_000 ? t : start - k * WEEK);
  }
  return out;
}

/** Past slots of recent windows, cached: every series asks for the same few windows. */
export class SlotCache {
  private readonly cache = new Map<number, number[]>();
  constructor(
    private readonly weeks: number,
    private readonly timeZone: string = SCHOOL_TIMEZONE,
  ) {}
  slots(start: number): number[] {
    let s = this.cache.get(start);
    if (!s) {
      if (this.cache.size >= 16) this.cache.clear();
      s = sameSlotBefore(start, this.weeks, this.timeZone);
      this.cache.set(start, s);
    }
    return s;
  }
}

/**
 * The baseline of a window: the mean of the counts at its past slots that were observed
 * (at or after `observedFrom`; a slot before Vigie was counting is no evidence of calm),
 * never less than `floor`; `floor` when no past slot was observed.
 */
export function baselineOf(
  countAt: (windowStart: number) => number,
  pastSlots: readonly number[],
  observedFrom: number,
  floor: number,
): number {
  let sum = 0;
  let n = 0;
  for (const slot of pastSlots) {
    if (slot < observedFrom) continue;
    sum += countAt(slot);
    n += 1;
  }
  return n === 0 ? floor : Math.max(floor, sum / n);
}

/** The strength of a window's count against its baseline, or null when below every threshold. */
export function strengthOf(count: number, baseline: number, thresholds: SignalsConfig['thresholds']): SignalStrength | null {
  const { elevated, surge } = thresholds;
  if (count >= surge.minReporters && count >= surge.ratio * baseline) return 'surge';
  if (count >= elevated.minReporters && count >= elevated.ratio * baseline) return 'elevated';
  return null;
}

const RANK: Record<SignalStrength, number> = { elevated: 1, surge: 2 };

/** The stronger of two strengths (null is none). */
export function stronger(a: SignalStrength | null, b: SignalStrength | null): SignalStrength | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] >= RANK[b] ? a : b;
}
