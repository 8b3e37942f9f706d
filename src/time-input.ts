/**
 * Reads a time given by a person (`--at`, console `/at`): a full ISO-8601 instant, a local
 * date-time without offset (read in Paris time), or "HH:MM" on a given day.
 */
import { wallClock, zonedTimeToInstant } from './incidents/zoned-time.js';

/** The schools' time zone. */
export const SCHOOL_TIMEZONE = 'Europe/Paris';

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
