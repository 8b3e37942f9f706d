/**
 * Checks a scenario against the places and services Vigie knows, and against itself
 * (order of events, open before update...). The loader refuses a scenario with problems.
 */
import type { Scenario, ScenarioEvent } from '../content/schemas.js';
import type { Gazetteer } from '../places/gazetteer.js';
import { scenarioTime } from './scenario-time.js';
import { SCHOOL_TIMEZONE } from '../base/zoned-time.js';
import { isValidTimeZone } from '../base/zoned-time.js';

const OPEN_FIELDS = ['service', 'scope', 'title', 'status', 'phase', 'cause'] as const;

function label(event: ScenarioEvent, index: number): string {
  return `events.${index} (${event.at} ${event.action} ${event.incident})`;
}

/**
 * Human-readable problems, each naming the event index; empty when the scenario is sound.
 * `serviceIds` are the ids of content/services.yaml.
 */
export function validateScenario(
  scenario: Scenario,
  gazetteer: Gazetteer,
  serviceIds: Iterable<string>,
): string[] {
  const problems: string[] = [];
  const timeZone = scenario.timezone || SCHOOL_TIMEZONE;
  if (!isValidTimeZone(timeZone)) return [`timezone: unknown time zone "${timeZone}"`];
  const services = new Set(serviceIds);
  const state = new Map<string, { openedAt: number; resolved: boolean }>();
  let previous = -Infinity;

  scenario.events.forEach((event, index) => {
    const where = label(event, index);
    const time = scenarioTime(scenario, event.at).getTime();
    if (time < previous) problems.push(`${where}: out of order, earlier than the event before it`);
    previous = Math.max(previous, time);

    if (event.service !== undefined && !services.has(event.service)) {
      problems.push(`${where}: unknown service "${event.service}" (known: ${[...services].join(', ')})`);
    }
    event.scope?.places.forEach((place, p) => {
      if (!gazetteer.get(place.kind, place.code)) {
        problems.push(`${where}: scope.places.${p}: unknown ${place.kind} code "${place.code}"`);
      }
    });
    if (event.expectedRecovery?.at !== undefined && scenarioTime(scenario, event.expectedRecovery.at).getTime() < time) {
      problems.push(`${where}: expectedRecovery.at ${event.expectedRecovery.at} is before the event`);
    }

    const known = state.get(event.incident);
    switch (event.action) {
      case 'open': {
        if (known) problems.push(`${where}: incident "${event.incident}" is opened twice`);
        const missing = OPEN_FIELDS.filter((field) => event[field] === undefined);
        if (missing.length > 0) problems.push(`${where}: open needs ${missing.join(', ')}`);
        if (!known) state.set(event.incident, { openedAt: index, resolved: event.phase === 'resolved' });
        break;
      }
      case 'update':
        if (!known) problems.push(`${where}: update of incident "${event.incident}" before it is opened`);
        else if (known.resolved && (event.phase === undefined || event.phase === 'resolved')) {
          problems.push(`${where}: update of resolved incident "${event.incident}" (set a phase to reopen it)`);
        } else if (event.phase !== undefined) known.resolved = event.phase === 'resolved';
        break;
      case 'resolve':
        if (!known) problems.push(`${where}: resolve of incident "${event.incident}" before it is opened`);
        else if (known.resolved) problems.push(`${where}: incident "${event.incident}" is already resolved`);
        else known.resolved = true;
        break;
    }
  });
  scenario.crowd?.entries.forEach((entry, index) => {
    const where = `crowd.entries.${index} (${entry.at} ${entry.service} ${entry.place.kind}:${entry.place.code})`;
    if (!services.has(entry.service)) problems.push(`${where}: unknown service "${entry.service}" (known: ${[...services].join(', ')})`);
    if (!gazetteer.get(entry.place.kind, entry.place.code)) problems.push(`${where}: unknown ${entry.place.kind} code "${entry.place.code}"`);
  });
  return problems;
}
