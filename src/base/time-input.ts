/**
 * Reads a time given by a person (`--at`, console `/at`): a full ISO-8601 instant, a local
 * date-time without offset (read in Paris time), or "HH:MM" on a given day.
 */
import { SCHOOL_TIMEZONE, wallClock, zonedTimeToInstant } from './zoned-time.js';

const HH_MM = /^([01]?\d|2[0-3])[:hH]([0-5]\d)?$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The YYYY-MM-DD date of an instant on the Paris wall clock. */
export function parisDate(instant: Date): string {
  const w = wallClock(instant.getTime(), SCHOOL_TIMEZONE);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/**
 * The instant meant by `text`, or null when it is not a time. "HH:MM" (also "18h30", "8h")
 * is read on `day` (YYYY-MM-DD, Paris time).
 */
export function parseTimeInput(text: string, day: string): Date | null {
  const value = text.trim();
  const hm = HH_MM.exec(value);
  if (hm) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return zonedTimeToInstant(SCHOOL_TIMEZONE, y, m, d, Number(hm[1]), Number(hm[2] ?? 0));
  }
  if (WITH_OFFSET.test(value)) {
    const t = Date.parse(value);
    return Number.isNaN(t) || !plausible(t) || !sameCalendarDay(value, t) ? null : new Date(t);
  }
  const local = LOCAL.exec(value);
  if (local) {
    const [, y, mo, d, h, mi] = local;
    const month = Number(mo);
    const date = Number(d);
    if (month < 1 || month > 12 || date < 1 || date > 31 || Number(h ?? 0) > 23 || Number(mi ?? 0) > 59) return null;
    const instant = zonedTimeToInstant(SCHOOL_TIMEZONE, Number(y), month, date, Number(h ?? 0), Number(mi ?? 0));
    // "2020-02-30" would roll over to 1 March: refuse dates that do not exist.
    if (parisDate(instant) !== `${y}-${mo}-${d}` || !plausible(instant.getTime())) return null;
    return instant;
  }
  return null;
}

const DURATION = /^(?:\+|in\s+|dans\s+)\s*(?:(\d{1,3})\s*(?:h|hours?|heures?)\s*(?:(\d{1,2})\s*(?:min(?:utes?)?)?)?|(\d{1,4})\s*(?:min|mins|minutes?))$/i;

/** Milliseconds in a relative time such as "+4h", "+1h30", "in 90 min", "dans 2 heures"; null otherwise. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  const minutes = m[3] !== undefined ? Number(m[3]) : Number(m[1]) * 60 + Number(m[2] ?? 0);
  // Up to two weeks: anything longer is a typo, not a recovery estimate.
  return minutes > 0 && minutes <= 14 * 24 * 60 ? minutes * 60_000 : null;
}

/**
 * A time to come as an admin writes it: relative ("+4h", "dans 2 h", "in 90 min") from `now`,
 * or anything `parseTimeInput` reads, "HH:MM" being today on the Paris clock.
 */
export function parseFutureTime(text: string, now: Date): Date | null {
  const ms = parseDuration(text);
  if (ms !== null) return new Date(now.getTime() + ms);
  return parseTimeInput(text, parisDate(now));
}

/** Years Vigie deals in; anything else is a typo ("0000-01-01", "20200-03-17"). */
function plausible(t: number): boolean {
  const year = new Date(t).getUTCFullYear();
  return year >= 2000 && year <= 2100;
}

/** True when the date written in an ISO text exists (no 30 February rolled over). */
function sameCalendarDay(value: string, t: number): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d && !Number.isNaN(t);
}
