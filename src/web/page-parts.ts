/** Pieces several pages share: an incident in a list, the scope of an incident, the legend. */
import type { Core } from '../core.js';
import type { Language, PlaceRef } from '../base/types.js';
import type { Incident } from '../incidents/index.js';
import { html, type Html } from './html.js';
import { WEB_STATES } from './state.js';
import { incidentPath, placeName, placePath, stateBadge, timeTag, w } from './words.js';

/** France, the national place. */
export const FRANCE: PlaceRef = Object.freeze({ kind: 'national', code: 'FR', name: 'France' });

/** The places an incident names, as links. */
export function scopeLinks(core: Core, lang: Language, incident: Incident): Html[] {
  return incident.scope.places.map((p, i) => {
    const place = p.kind === 'national' ? FRANCE : core.place(p.kind, p.code);
    const name = place ? placeName(core, lang, place) : `${p.kind}:${p.code}`;
    return html`${i > 0 ? ', ' : ''}<a href="${placePath(lang, p)}">${name}</a>`;
  });
}

/** The service's short name. */
export function serviceName(core: Core, lang: Language, id: string): string {
  return core.services().find((s) => s.id === id)?.short[lang] ?? id;
}

/** The demo tag of an incident from a scenario (loaded into the store or replayed). */
export function demoTag(core: Core, lang: Language, incident: Incident): Html | null {
  return incident.scenario ? html`<span class="tag">${core.demoFor(incident.scenario, lang).tag}</span> ` : null;
}

/** One incident in a list: state, service, title (link), where, since when. */
export function incidentItem(core: Core, lang: Language, incident: Incident): Html {
  const resolved = incident.resolvedAt !== null && new Date(incident.resolvedAt).getTime() <= core.now().getTime();
  return html`<li>${demoTag(core, lang, incident)}${stateBadge(core, lang, resolved ? 'operational' : incident.status)} <strong>${serviceName(core, lang, incident.service)}</strong> — <a href="${incidentPath(lang, incident.id)}">${incident.title[lang]}</a>
<br><span class="meta">${scopeLinks(core, lang, incident)}${incident.scope.levels.length > 0 ? ` (${incident.scope.levels.map((l) => core.templates.t(lang, `level.${l}`)).join(', ')})` : null} · ${w(core, lang, 'since')} ${timeTag(core, lang, incident.startedAt, incident.startPrecision)}${resolved ? html` · ${w(core, lang, 'resolved_at')} ${timeTag(core, lang, incident.resolvedAt!)}` : null}</span></li>`;
}

/** What each state means. */
export function legend(core: Core, lang: Language): Html {
  return html`<h2 id="legende">${w(core, lang, 'legend.title')}</h2>
<dl class="facts">${WEB_STATES.map((s) => html`<dt>${stateBadge(core, lang, s)}</dt><dd>${w(core, lang, `legend.${s}`)}</dd>`)}</dl>`;
}
