/** One incident's page: its state, service, places, levels, times, cause, expected recovery, advice and official timeline. */
import type { Core } from '../core.js';
import type { Language } from '../base/types.js';
import type { Incident } from '../incidents/index.js';
import { html } from './html.js';
import { layout } from './page-layout.js';
import { demoTag, scopeLinks, serviceName } from './page-parts.js';
import { incidentPath, stateBadge, timeTag, w } from './words.js';

/** The incident known at the core's now with this id, or null. */
export async function findIncident(core: Core, id: string): Promise<Incident | null> {
  const now = core.now();
  const index = await core.incidents(now);
  const incident = index.all().find((i) => i.id === id);
  return incident && new Date(incident.startedAt).getTime() <= now.getTime() ? incident : null;
}

/** A link only to http(s) addresses (content URLs are checked, this checks again). */
function safeUrl(url: string | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

export function incidentPage(core: Core, lang: Language, incident: Incident): string {
  const now = core.now();
  const resolved = incident.resolvedAt !== null && new Date(incident.resolvedAt).getTime() <= now.getTime();
  const updates = incident.updates.filter((u) => new Date(u.at).getTime() <= now.getTime()).sort((a, b) => b.at.localeCompare(a.at));
  const levels = incident.scope.levels.length > 0 ? incident.scope.levels.map((l) => core.templates.t(lang, `level.${l}`)).join(', ') : core.templates.t(lang, 'level.all');
  const recovery = incident.expectedRecovery;
  const main = html`<h1>${demoTag(core, lang, incident)}${incident.title[lang]}</h1>
<dl class="facts">
<dt>${w(core, lang, 'incident.state')}</dt><dd>${stateBadge(core, lang, resolved ? 'operational' : incident.status)}${resolved ? null : html` — ${core.templates.t(lang, `phase.${incident.phase}`)}`}</dd>
<dt>${w(core, lang, 'incident.service')}</dt><dd>${serviceName(core, lang, incident.service)}</dd>
<dt>${w(core, lang, 'incident.scope')}</dt><dd>${scopeLinks(core, lang, incident)}</dd>
<dt>${w(core, lang, 'incident.levels')}</dt><dd>${levels}</dd>
<dt>${w(core, lang, 'incident.started')}</dt><dd>${timeTag(core, lang, incident.startedAt, incident.startPrecision)}</dd>
<dt>${w(core, lang, 'incident.resolved')}</dt><dd>${resolved ? timeTag(core, lang, incident.resolvedAt!) : w(core, lang, 'incident.ongoing')}</dd>
<dt>${w(core, lang, 'incident.cause')}</dt><dd>${core.templates.t(lang, `cause.${incident.cause}`)}</dd>
${recovery && !resolved ? html`<dt>${w(core, lang, 'incident.recovery')}</dt><dd>${recovery.at ? html`${timeTag(core, lang, recovery.at, recovery.precision)} — ` : null}${recovery.text[lang]}</dd>` : null}
${incident.advice ? html`<dt>${w(core, lang, 'incident.advice')}</dt><dd>${incident.advice[lang]}</dd>` : null}
</dl>
<section aria-labelledby="chronologie">
<h2 id="chronologie">${w(core, lang, 'incident.timeline')}</h2>
<ol class="timeline" reversed>
${updates.map((u) => {
    const url = safeUrl(u.source.url);
    return html`<li><p>${timeTag(core, lang, u.at, u.precision)} — ${stateBadge(core, lang, u.phase === 'resolved' ? 'operational' : u.status)}</p>
<blockquote><p>${u.text[lang]}</p></blockquote>
<p class="meta">${w(core, lang, 'incident.source')} ${url ? html`<a href="${url}" rel="noopener noreferrer">${u.source.name}</a>` : u.source.name}</p></li>\n`;
  })}
</ol>
</section>`;
  const other: Language = lang === 'fr' ? 'en' : 'fr';
  return layout(core, { lang, title: incident.title[lang], otherPath: incidentPath(other, incident.id), main });
}

/** The page for an id no incident bears (served with 404). */
export function unknownIncidentPage(core: Core, lang: Language, id: string): string {
  const title = w(core, lang, 'incident.title_unknown');
  const main = html`<h1>${title}</h1><p>${w(core, lang, 'error.404.text')}</p>`;
  const other: Language = lang === 'fr' ? 'en' : 'fr';
  return layout(core, { lang, title, otherPath: incidentPath(other, id), main });
}
