/**
 * Statuspage v2-compatible JSON (/api/v2/…, French; /en/api/v2/…, English): the field names
 * and enums of Atlassian Statuspage's public API, so existing readers work unchanged.
 *
 * A component per service × région (id "ent-region-76"), a group per service (id "ent").
 * Statuspage's component status has no "unknown", and Vigie never says "operational"
 * without an official word: a service × région no official source has spoken of (nothing in
 * effect, no resolution within the all-clear window) is left out of `components` and listed
 * in `vigie_unknown_components` (an extra field readers ignore), with the same id, name and
 * group. A group is listed when one of its components is, with the worst of their states.
 * Vigie has no planned maintenance: the scheduled-maintenance lists are empty.
 */
import type { Core } from '../core.js';
import type { Language, PlaceRef, Status } from '../base/types.js';
import type { Incident, IncidentIndex } from '../incidents/index.js';
import type { WebRoutes } from './server.js';
import { FRANCE, serviceName } from './page-parts.js';
import { placeState, worse, type WebState } from './state.js';
import { PATHS, incidentPath, stateWord, w } from './words.js';

const JSON_TYPE = 'application/json; charset=utf-8';

type Impact = 'none' | 'minor' | 'major' | 'critical';
const IMPACT: Record<Status, Impact> = { operational: 'none', under_maintenance: 'minor', degraded_performance: 'minor', partial_outage: 'major', major_outage: 'critical' };
const PAGE_ID = 'vigie';

interface Component {
  id: string;
  name: string;
  status: Status;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  components?: string[];
}

/** Everything the responses are made of, computed once per request (and cached per version). */
interface Snapshot {
  page: { id: string; name: string; url: string; time_zone: string; updated_at: string };
  components: Component[];
  unknown: { id: string; name: string; group_id: string; status: 'unknown'; description: string }[];
  byRegion: Map<string, Component>;
  incidents: Incident[];
  index: IncidentIndex;
  now: Date;
  regions: PlaceRef[];
}

async function snapshot(core: Core, lang: Language, baseUrl: string): Promise<Snapshot> {
  const now = core.now();
  const index = await core.incidents(now);
  const regions = core.placesWithin(FRANCE);
  const updated = index.latestUpdateAt() ?? now.toISOString();
  const page = { id: PAGE_ID, name: w(core, lang, 'api.page_name'), url: `${baseUrl}${PATHS[lang].home}`, time_zone: 'Europe/Paris', updated_at: updated };
  const components: Component[] = [];
  const unknown: Snapshot['unknown'] = [];
  const byRegion = new Map<string, Component>();
  let position = 0;
  for (const service of core.services()) {
    const groupPosition = ++position;
    const children: Component[] = [];
    let groupState: WebState = 'unknown';
    for (const region of regions) {
      const id = `${service.id}-region-${region.code}`;
      const name = `${service.short[lang]} — ${region.name}`;
      const state = placeState(index, service.id, region, [FRANCE], now);
      if (state.state === 'unknown') {
        unknown.push({ id, name, group_id: service.id, status: 'unknown', description: w(core, lang, 'legend.unknown') });
        continue;
      }
      groupState = worse(groupState, state.state);
      const basis = [...state.covering, ...state.inside, ...(state.restored ? [state.restored] : [])];
      const at = basis.map((i) => lastUpdate(i).at).sort().at(-1) ?? updated;
      const component: Component = {
        id,
        name,
        status: state.state,
        created_at: basis.map((i) => i.startedAt).sort()[0] ?? at,
        updated_at: at,
        position: ++position,
        description: stateWord(core, lang, state.state),
        showcase: true,
        start_date: null,
        group_id: service.id,
        page_id: PAGE_ID,
        group: false,
        only_show_if_degraded: false,
      };
      children.push(component);
      byRegion.set(`${service.id}|${region.code}`, component);
    }
    if (children.length === 0 || groupState === 'unknown') continue;
    components.push({
      id: service.id,
      name: service.name[lang],
      status: groupState,
      created_at: children.map((c) => c.created_at).sort()[0]!,
      updated_at: children.map((c) => c.updated_at).sort().at(-1)!,
      position: groupPosition,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: PAGE_ID,
      group: true,
      only_show_if_degraded: false,
      components: children.map((c) => c.id),
    });
    components.push(...children);
  }
  const incidents = index
    .all()
    .filter((i) => new Date(i.startedAt).getTime() <= now.getTime())
    .sort((a, b) => lastUpdate(b).at.localeCompare(lastUpdate(a).at));
  return { page, components, unknown, byRegion, incidents, index, now, regions };
}

function lastUpdate(incident: Incident): Incident['updates'][number] {
  return incident.updates.reduce((a, b) => (b.at >= a.at ? b : a));
}

function resolvedBy(incident: Incident, now: Date): boolean {
  return incident.resolvedAt !== null && new Date(incident.resolvedAt).getTime() <= now.getTime();
}

/** The régions an incident's places lie in (all of them for a national one). */
function regionsOf(core: Core, incident: Incident, regions: readonly PlaceRef[]): string[] {
  const codes = new Set<string>();
  for (const p of incident.scope.places) {
    if (p.kind === 'national') return regions.map((r) => r.code);
    if (p.kind === 'region') codes.add(p.code);
    else for (const a of core.placeAncestors(p)) if (a.kind === 'region') codes.add(a.code);
  }
  return [...codes];
}

function incidentJson(core: Core, lang: Language, s: Snapshot, incident: Incident, baseUrl: string) {
  const updates = incident.updates.filter((u) => new Date(u.at).getTime() <= s.now.getTime()).sort((a, b) => b.at.localeCompare(a.at));
  const resolved = resolvedBy(incident, s.now);
  const monitoring = [...updates].reverse().find((u) => u.phase === 'monitoring');
  const first = updates.at(-1);
  return {
    id: incident.id,
    name: incident.title[lang],
    status: resolved ? 'resolved' : incident.phase === 'resolved' ? 'monitoring' : incident.phase,
    created_at: first?.at ?? incident.startedAt,
    updated_at: updates[0]?.at ?? incident.startedAt,
    monitoring_at: monitoring?.at ?? null,
    resolved_at: resolved ? incident.resolvedAt : null,
    impact: IMPACT[incident.status],
    shortlink: `${baseUrl}${incidentPath(lang, incident.id)}`,
    started_at: incident.startedAt,
    page_id: PAGE_ID,
    incident_updates: updates.map((u, i) => ({
      id: `${incident.id}-${updates.length - i}`,
      status: u.phase,
      body: `${u.text[lang]} (${w(core, lang, 'api.source', { source: u.source.name })})`,
      incident_id: incident.id,
      created_at: u.at,
      updated_at: u.at,
      display_at: u.at,
      affected_components: null,
    })),
    components: regionsOf(core, incident, s.regions).flatMap((code) => s.byRegion.get(`${incident.service}|${code}`) ?? []),
    // Not Statuspage's: which service, and whether it comes from a demo scenario.
    vigie_service: incident.service,
    vigie_service_name: serviceName(core, lang, incident.service),
    ...(incident.scenario ? { vigie_demo: core.demoFor(incident.scenario, lang).label } : {}),
  };
}

function status(core: Core, lang: Language, s: Snapshot) {
  const active = s.incidents.filter((i) => !resolvedBy(i, s.now));
  const worst = active.reduce<Status>((a, i) => worse(a, i.status) as Status, 'operational');
  const indicator = IMPACT[worst];
  return { indicator, description: w(core, lang, `api.indicator.${indicator}`) };
}

type Body = (core: Core, lang: Language, s: Snapshot, baseUrl: string) => unknown;

const BODIES: Record<string, Body> = {
  'summary.json': (core, lang, s, base) => ({
    page: s.page,
    components: s.components,
    incidents: s.incidents.filter((i) => !resolvedBy(i, s.now)).map((i) => incidentJson(core, lang, s, i, base)),
    scheduled_maintenances: [],
    status: status(core, lang, s),
    vigie_unknown_components: s.unknown,
    ...demo(core, lang),
  }),
  'status.json': (core, lang, s) => ({ page: s.page, status: status(core, lang, s), ...demo(core, lang) }),
  'components.json': (core, lang, s) => ({ page: s.page, components: s.components, vigie_unknown_components: s.unknown, ...demo(core, lang) }),
  'incidents.json': (core, lang, s, base) => ({ page: s.page, incidents: s.incidents.slice(0, 50).map((i) => incidentJson(core, lang, s, i, base)), ...demo(core, lang) }),
  'incidents/unresolved.json': (core, lang, s, base) => ({ page: s.page, incidents: s.incidents.filter((i) => !resolvedBy(i, s.now)).map((i) => incidentJson(core, lang, s, i, base)), ...demo(core, lang) }),
  'scheduled-maintenances.json': (core, lang, s) => ({ page: s.page, scheduled_maintenances: [], ...demo(core, lang) }),
  'scheduled-maintenances/upcoming.json': (core, lang, s) => ({ page: s.page, scheduled_maintenances: [], ...demo(core, lang) }),
  'scheduled-maintenances/active.json': (core, lang, s) => ({ page: s.page, scheduled_maintenances: [], ...demo(core, lang) }),
};

/** The demo label and the scenario's clock, when a scenario is replayed (an extra field readers ignore). */
function demo(core: Core, lang: Language): { vigie_demo?: { label: string; clock: string } } {
  const label = core.demoLabel(lang);
  return label ? { vigie_demo: { label: label.label, clock: core.now().toISOString() } } : {};
}

/** The API's routes; links are absolute when the server knows its public URL (VIGIE_PUBLIC_URL). */
export const statuspageRoutes: WebRoutes = (app, web) => {
  const baseUrl = web.baseUrl;
  {
    for (const lang of ['fr', 'en'] as const) {
      for (const [name, body] of Object.entries(BODIES)) {
        app.get(`${PATHS[lang].api}/${name}`, (request, reply) => {
          reply.header('access-control-allow-origin', '*');
          return web.send(request, reply, `api|${lang}|${name}`, async () => ({
            status: 200,
            type: JSON_TYPE,
            body: JSON.stringify(body(web.core, lang, await snapshot(web.core, lang, baseUrl), baseUrl)),
          }));
        });
      }
    }
  }
};
