/**
 * Wall-clock time in a named time zone ↔ instants, with Intl only (no dependency).
 * Used to anchor scenario times ("08:15" on 17 March in Europe/Paris) and to read instants back.
 */
import { NestedMemo } from './nested-memo.js';

/** The schools' clock: every French school time ("14:00", "demain 8h") is read and shown in this zone. */
export const SCHOOL_TIMEZONE = 'Europe/Paris';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows this IANA time zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields: year, month (1-12), day, hour (0-23), minute, second. */
export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The wall-clock fields of an instant in a time zone. */
export function wallClock(instant: number, timeZone: string): WallClock {
  const offset = hourOffset(instant, timeZone);
  if (offset === null) return intlWallClock(instant, timeZone);
  const d = new Date(Math.floor(instant / 1000) * 1000 + offset);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

function intlWallClock(instant: number, timeZone: string): WallClock {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
  }
  return out;
}

const HOUR = 3600_000;
/** Per zone, per UTC hour: the zone's offset through that whole hour, or null when it changes within it. */
const offsets = new NestedMemo<string, number, number | null>(20_000);

/**
 * The zone's offset (ms) at `instant`, read from Intl once per UTC hour and zone: the same
 * offset at the hour's first and last millisecond means no change within it (zones change
 * at most twice a year). Null for an hour in which the offset changes (Lord Howe's and
 * other half-hour changes fall inside a UTC hour): Intl answers those instants itself.
 * Signals ask for the wall clock of the same few weeks' slots thousands of times, and one
 * Intl formatToParts costs more than the rest of a baseline's arithmetic.
 */
function hourOffset(instant: number, timeZone: string): number | null {
  if (!Number.isFinite(instant)) return null;
  const hour = Math.floor(instant / HOUR);
  const known = offsets.get(timeZone, hour);
  if (known !== undefined) return known;
  // Read before anything is kept: an unknown zone throws here, as Intl does.
  const first = intlOffset(hour * HOUR, timeZone);
  const last = intlOffset(hour * HOUR + HOUR - 1000, timeZone);
  const offset = first === last ? first : null;
  offsets.set(timeZone, hour, offset);
  return offset;
}

function intlOffset(instant: number, timeZone: string): number {
  const w = intlWallClock(instant, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000;
}

/** Milliseconds the zone is ahead of UTC at this instant (+3,600,000 for Paris in winter). */
export function zoneOffset(instant: number, timeZone: string): number {
  return hourOffset(instant, timeZone) ?? intlOffset(instant, timeZone);
}

/**
 * The instant at which the wall clock of `timeZone` shows this date and time. Month is 1-based;
 * days may overflow (day 32 is the 1st of next month). A time repeated when clocks go back
 * gives its first occurrence; a time skipped when clocks go forward is moved past the gap
 * (02:30 on a spring-forward night in Paris → 03:30), as Temporal's "compatible" does.
 */
export function zonedTimeToInstant(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const day_ = 24 * 3600_000;
  const offsetBefore = zoneOffset(guess - day_, timeZone);
  const offsetAfter = zoneOffset(guess + day_, timeZone);
  const candidates = [guess - offsetBefore, guess - offsetAfter].filter(
    (t) => t + zoneOffset(t, timeZone) === guess,
  );
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  return new Date(guess - offsetBefore);
}
