/**
 * Approximate times: a source says "ce matin" or "dès demain matin", not a minute. Vigie keeps
 * an instant inside that span (for ordering) with its precision, says the span in words, and
 * counts an announced span as passed only once the whole span is over.
 */
import type { TimePrecision } from './types.js';
import { SCHOOL_TIMEZONE, wallClock, zonedTimeToInstant } from './zoned-time.js';

/** Where each span lies on the Paris clock, in minutes of the day [from, to). */
export const PRECISION_SPAN: Record<TimePrecision, { from: number; to: number } | null> = {
  about: null,
  morning: { from: 5 * 60, to: 12 * 60 },
  evening: { from: 17 * 60, to: 24 * 60 },
  day: { from: 0, to: 24 * 60 },
};

/** "Vers 9 h" covers half an hour either side. */
const ABOUT_MS = 30 * 60_000;

/**
 * The instant a time said with this precision is over (ms): the end of the morning, evening or
 * day on the Paris clock that holds `iso`, half an hour after "about" a time, `iso` itself
 * when exact.
 */
export function spanEnd(iso: string, precision: TimePrecision | undefined): number {
  const t = Date.parse(iso);
  if (precision === undefined) return t;
  const span = PRECISION_SPAN[precision];
  if (span === null) return t + ABOUT_MS;
  // Reading the Paris clock takes a few Intl calls; incidents share few approximate times,
  // and every answer that tells a recovery asks again: each end is worked out once.
  const key = `${precision}|${t}`;
  let end = spanEnds.get(key);
  if (end === undefined) {
    const w = wallClock(t, SCHOOL_TIMEZONE);
    end = zonedTimeToInstant(SCHOOL_TIMEZONE, w.year, w.month, w.day, Math.floor(span.to / 60), span.to % 60).getTime();
    if (spanEnds.size >= SPAN_ENDS_MAX) spanEnds.clear();
    spanEnds.set(key, end);
  }
  return end;
}

/** Span ends already worked out, by precision and instant (a pure function of both). */
const spanEnds = new Map<string, number>();
const SPAN_ENDS_MAX = 10_000;

/** True when a minute of the day ("08:40" → 520) lies inside the span of a precision. */
export function insideSpan(precision: TimePrecision, minuteOfDay: number): boolean {
  const span = PRECISION_SPAN[precision];
  return span === null || (minuteOfDay >= span.from && minuteOfDay < span.to);
}
