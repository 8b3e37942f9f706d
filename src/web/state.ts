/**
 * The state of a service at a place at an instant, as the status page and the API show it,
 * from official incidents only: the worst status in effect over the place (an incident naming
 * it or a place containing it); else, when incidents are in effect in part of the place only,
 * "partial outage" at worst (part of the place is down, not all of it); else "operational"
 * when an official resolution covering it falls within the all-clear window; else "unknown".
 * Never operational without an official word.
 */
import type { PlaceKind, PlaceRef, Status } from '../base/types.js';
import type { Incident, IncidentIndex } from '../incidents/index.js';

/** A state on the page: Statuspage's statuses, and unknown (no official word). */
export type WebState = Status | 'unknown';

/** States from best known to worst, unknown first (it is not better, just not known). */
export const WEB_STATES: readonly WebState[] = ['unknown', 'operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'];

const SEVERITY: Record<WebState, number> = { unknown: -1, operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };

/** What applies to a service at a place. */
export interface PlaceState {
  state: WebState;
  /** In effect over the whole place (naming it or a place containing it), worst first. */
  covering: Incident[];
  /** In effect in a part of the place only, worst first. */
  inside: Incident[];
  /** The official resolution the "operational" rests on, when it does. */
  restored: Incident | null;
}

/** The place's own key and its ancestors' ("region:76"), for `covers`. */
export function around(place: { kind: PlaceKind; code: string }, ancestors: readonly PlaceRef[]): Set<string> {
  return new Set([`${place.kind}:${place.code}`, ...ancestors.map((a) => `${a.kind}:${a.code}`)]);
}

/** True when one of the incident's places is the place or contains it. */
export function covers(incident: Incident, keys: ReadonlySet<string>): boolean {
  return incident.scope.places.some((p) => p.kind === 'national' || keys.has(`${p.kind}:${p.code}`));
}

/** The worse of two states. */
export function worse(a: WebState, b: WebState): WebState {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** The state of `service` at `place` (`ancestors`: the places containing it) at `at`. */
export function placeState(index: IncidentIndex, service: string, place: PlaceRef, ancestors: readonly PlaceRef[], at: Date): PlaceState {
  const national = place.kind === 'national';
  const matches = index.find({ service, place: national ? null : place, level: null, at });
  const keys = around(place, ancestors);
  const covering = matches.active.filter((i) => covers(i, keys));
  const inside = matches.active.filter((i) => !covers(i, keys));
  let state: WebState = 'unknown';
  let restored: Incident | null = null;
  if (covering.length > 0) state = covering.reduce<WebState>((s, i) => worse(s, i.status), 'operational');
  else if (inside.length > 0) {
    const worst = inside.reduce<WebState>((s, i) => worse(s, i.status), 'operational');
    state = SEVERITY[worst] > SEVERITY.partial_outage ? 'partial_outage' : worst;
  } else {
    restored = matches.recentlyResolved.find((i) => covers(i, keys)) ?? null;
    if (restored) state = 'operational';
  }
  return { state, covering, inside, restored };
}
