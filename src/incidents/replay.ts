/**
 * Replays a scenario: applies its open/update/resolve events up to a given instant and
 * returns the incidents as they stood then. Pure: the same scenario and instant always give
 * the same incidents, so a day can be replayed at any hour.
 */
import type { Scenario, ScenarioEvent } from '../content/schemas.js';
import type { Incident } from './schema.js';
import { scenarioTime } from './scenario-time.js';

export { scenarioTime, scenarioTimeline } from './scenario-time.js';
export { validateScenario } from './validate-scenario.js';

/** The events with their instants, in time order (file order among equal times). */
export function timedEvents(scenario: Scenario): { event: ScenarioEvent; index: number; time: Date }[] {
  return scenario.events
    .map((event, index) => ({ event, index, time: scenarioTime(scenario, event.at) }))
    .sort((a, b) => a.time.getTime() - b.time.getTime() || a.index - b.index);
}

function recovery(scenario: Scenario, event: ScenarioEvent): Incident['expectedRecovery'] {
  const r = event.expectedRecovery;
  if (!r) return null;
  return {
    at: r.at ? scenarioTime(scenario, r.at).toISOString() : null,
    ...(r.precision ? { precision: r.precision } : {}),
    text: { ...r.text },
  };
}

function open(scenario: Scenario, event: ScenarioEvent, iso: string): Incident | null {
  const { service, scope, title, status, phase, cause } = event;
  if (!service || !scope || !title || !status || !phase || !cause) return null;
  return {
    id: event.incident,
    service,
    scope: { places: scope.places.map((p) => ({ ...p })), levels: [...scope.levels] },
    title: { ...title },
    status,
    phase,
    cause,
    startedAt: iso,
    ...((event.startPrecision ?? event.precision) ? { startPrecision: event.startPrecision ?? event.precision } : {}),
    resolvedAt: null,
    expectedRecovery: recovery(scenario, event),
    advice: event.advice ? { ...event.advice } : null,
    updates: [{ at: iso, ...(event.precision ? { precision: event.precision } : {}), status, phase, text: { ...event.update.text }, source: { ...event.update.source } }],
    scenario: scenario.id,
  };
}

function apply(scenario: Scenario, incident: Incident, event: ScenarioEvent, iso: string): void {
  if (event.service) incident.service = event.service;
  if (event.scope) {
    incident.scope = { places: event.scope.places.map((p) => ({ ...p })), levels: [...event.scope.levels] };
  }
  if (event.title) incident.title = { ...event.title };
  if (event.status) incident.status = event.status;
  if (event.phase) incident.phase = event.phase;
  if (event.cause) incident.cause = event.cause;
  if (event.expectedRecovery !== undefined) incident.expectedRecovery = recovery(scenario, event);
  if (event.advice !== undefined) incident.advice = event.advice ? { ...event.advice } : null;
  if (event.action === 'resolve') {
    incident.status = 'operational';
    incident.phase = 'resolved';
    incident.resolvedAt = iso;
  } else if (incident.resolvedAt !== null && incident.phase !== 'resolved') {
    // An update that moves a resolved incident out of "resolved" reopens it.
    incident.resolvedAt = null;
  }
  incident.updates.push({
    at: iso,
    ...(event.precision ? { precision: event.precision } : {}),
    status: incident.status,
    phase: incident.phase,
    text: { ...event.update.text },
    source: { ...event.update.source },
  });
}

/**
 * Every incident opened by `at`, with its state at `at` (resolved ones keep phase
 * "resolved" and their resolvedAt). Events after `at` are ignored; events that do not
 * make sense (update before open, open without its fields) are skipped — validateScenario
 * reports them when the scenario is loaded.
 */
export function replayScenario(scenario: Scenario, at: Date): Incident[] {
  const limit = at.getTime();
  const incidents = new Map<string, Incident>();
  for (const { event, time } of timedEvents(scenario)) {
    if (time.getTime() > limit) break;
    const iso = time.toISOString();
    const existing = incidents.get(event.incident);
    if (event.action === 'open') {
      if (existing) continue;
      const created = open(scenario, event, iso);
      if (created) incidents.set(created.id, created);
    } else if (existing) {
      apply(scenario, existing, event, iso);
    }
  }
  return [...incidents.values()];
}
