/**
 * Wall-clock time in a named time zone ↔ instants, with Intl only (no dependency).
 * Used to anchor scenario times ("08:15" on 17 March in Europe/Paris) and to read instants back.
 */

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

/** The wall-clock fields of an instant in a time zone. */
export function wallClock(
  instant: number,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
  }
  return out;
}

/** Milliseconds the zone is ahead of UTC at this instant (+3,600,000 for Paris in winter). */
export function zoneOffset(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
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
