/**
 * Times as feeds write them. Atom (RFC 3339): UTC, whole seconds, "Z". CAP 1.2: whole seconds
 * with the offset written out ("2020-03-17T09:30:00+01:00"); CAP forbids "Z", and writes UTC
 * itself as "-00:00". CAP times are given in the schools' zone (Europe/Paris).
 */
import { SCHOOL_TIMEZONE, wallClock, zoneOffset } from '../../base/zoned-time.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** RFC 3339 in UTC without fractional seconds: "2020-03-17T08:30:00Z". */
export function atomTime(instant: Date | string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** CAP 1.2's date-time: "2020-03-17T09:30:00+01:00" in `timeZone` (Paris by default); UTC as "-00:00", never "Z". */
export function capTime(instant: Date | string, timeZone = SCHOOL_TIMEZONE): string {
  const ms = (typeof instant === 'string' ? new Date(instant) : instant).getTime();
  const w = wallClock(ms, timeZone);
  const offset = Math.round(zoneOffset(ms, timeZone) / 60_000);
  const sign = offset > 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
