/**
 * Scenario times: "08:15" is on the scenario's day, "+1 07:00" the next day, both read on
 * the wall clock of the scenario's time zone (Europe/Paris unless the file says otherwise).
 */
import type { Scenario } from '../content/schemas.js';
import { SCHOOL_TIMEZONE, zonedTimeToInstant } from '../base/zoned-time.js';

const TIME = /^(?:\+(\d+) )?([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses "HH:MM" or "+N HH:MM" into days after the scenario's date and minutes; null if malformed. */
export function parseScenarioTime(at: string): { days: number; hour: number; minute: number } | null {
  const m = TIME.exec(at);
  if (!m) return null;
  return { days: Number(m[1] ?? 0), hour: Number(m[2]), minute: Number(m[3]) };
}

/**
 * The instant of a scenario time, DST-correct for the scenario's time zone.
 * Throws a RangeError on a malformed time or date (the content schema rules those out).
 */
export function scenarioTime(scenario: Pick<Scenario, 'date' | 'timezone'>, at: string): Date {
  const time = parseScenarioTime(at);
  const date = DATE.exec(scenario.date);
  if (!time || !date) throw new RangeError(`not a scenario time: "${at}" on "${scenario.date}"`);
  return zonedTimeToInstant(
    scenario.timezone || SCHOOL_TIMEZONE,
    Number(date[1]),
    Number(date[2]),
    Number(date[3]) + time.days,
    time.hour,
    time.minute,
  );
}

/** The scenario's event times, sorted and without duplicates: the steps of the day. */
export function scenarioTimeline(scenario: Scenario): { at: string; time: Date }[] {
  const seen = new Map<number, string>();
  for (const event of scenario.events) {
    const t = scenarioTime(scenario, event.at).getTime();
    if (!seen.has(t)) seen.set(t, event.at);
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([t, at]) => ({ at, time: new Date(t) }));
}
