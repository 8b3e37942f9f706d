/**
 * The state of a service at a place, as a badge or a widget says it: the worst official status
 * in effect there, "operational" only on an official resolution still within the all-clear
 * window, "unknown" otherwise (silence is never "operational"), the same rules as the chat's
 * answers (src/answer/answerer.ts).
 */
import type { PlaceRef, ReplyStatus, TimePrecision } from '../../base/types.js';
import type { Incident, IncidentMatches, IncidentQuery } from '../../incidents/index.js';

/** What the state needs of the places: nesting. */
export interface PlaceNesting {
  /** True when `inner` is `outer` or lies inside it. */
  contains(outer: { kind: PlaceRef['kind']; code: string }, inner: { kind: PlaceRef['kind']; code: string }): boolean;
}

/** A service's state at a place. */
export interface PlaceState {
  status: ReplyStatus;
  /**
   * True when the status comes only from incidents in part of the place (the Gard for
   * Occitanie): said as "par endroits", never as the whole place's state.
   */
  inPart: boolean;
  /** Incidents in effect at or in the place, worst first. */
  active: Incident[];
  /** The resolution that makes the state "operational", when it is. */
  restored: Incident | null;
  /** The latest official update among those incidents, with its source. */
  latest: { at: string; precision?: TimePrecision; source: { name: string; url?: string } } | null;
}

/** The last official update of an incident. */
export function lastUpdate(incident: Incident): Incident['updates'][number] | undefined {
  return incident.updates[incident.updates.length - 1];
}

/** True when one of the incident's places is the place or contains it. */
export function covers(incident: Incident, place: PlaceRef, nesting: PlaceNesting): boolean {
  return incident.scope.places.some((p) => nesting.contains(p, place));
}

/**
 * The state of `service` (null: any service) at `place` at `at`, from an incident index's
 * lookup (which already takes the place's ancestors and the places inside it).
 */
export function placeState(index: { find(q: IncidentQuery): IncidentMatches }, service: string | null, place: PlaceRef, at: Date, nesting: PlaceNesting): PlaceState {
  const matches = index.find({ service, place, level: null, at });
  const active = [...matches.active];
  const latestOf = (incidents: readonly Incident[]) => {
    let best: PlaceState['latest'] = null;
    for (const i of incidents) {
      const u = lastUpdate(i);
      if (u && (!best || u.at > best.at)) best = { at: u.at, ...(u.precision ? { precision: u.precision } : {}), source: { ...u.source } };
    }
    return best;
  };
  const worst = active[0];
  if (worst) {
    const covering = active.filter((i) => covers(i, place, nesting));
    const head = covering[0];
    return { status: (head ?? worst).status, inPart: head === undefined, active, restored: null, latest: latestOf(active) };
  }
  const restored = matches.recentlyResolved.find((i) => covers(i, place, nesting)) ?? null;
  if (restored) return { status: 'operational', inPart: false, active, restored, latest: latestOf([restored]) };
  return { status: 'unknown', inPart: false, active, restored: null, latest: null };
}
