/**
 * A place's page (région, académie, département, commune): each service's state there and
 * why (the incident it rests on, from this place or from above: national, régional…), the
 * incidents in effect that apply (over the whole place) and those in a part of it, recent
 * all-clears, the breadcrumb of the places above and the places within.
 */
import type { Core } from '../core.js';
import type { Language, PlaceRef } from '../base/types.js';
import type { Incident } from '../incidents/index.js';
import { html, type Html } from './html.js';
import { layout } from './page-layout.js';
import { FRANCE, incidentItem, legend, scopeLinks } from './page-parts.js';
import { placeState } from './state.js';
import { incidentPath, placeName, placePath, stateBadge, timeTag, w } from './words.js';

export async function placePage(core: Core, lang: Language, place: PlaceRef): Promise<string> {
  const now = core.now();
  const index = await core.incidents(now);
  const ancestors = core.placeAncestors(place);
  const name = placeName(core, lang, place);
  const covering = new Map<string, Incident>();
  const inside = new Map<string, Incident>();
  const restored = new Map<string, Incident>();
  const rows: Html[] = [];
  for (const service of core.services()) {
    const state = placeState(index, service.id, place, ancestors, now);
    for (const i of state.covering) covering.set(i.id, i);
    for (const i of state.inside) inside.set(i.id, i);
    if (state.restored) restored.set(state.restored.id, state.restored);
    const basis: Html[] = [
      ...state.covering.map((i) => html`<a href="${incidentPath(lang, i.id)}">${i.title[lang]}</a> (${scopeLinks(core, lang, i)})`),
      ...(state.covering.length === 0 && state.inside.length > 0
        ? [html`${w(core, lang, 'place.basis_inside', { places: '' })}${state.inside.map((i, n) => html`${n > 0 ? ' ; ' : ''}<a href="${incidentPath(lang, i.id)}">${i.title[lang]}</a> (${scopeLinks(core, lang, i)})`)}`]
        : []),
      ...(state.restored ? [html`<a href="${incidentPath(lang, state.restored.id)}">${w(core, lang, 'place.basis_restored', { title: state.restored.title[lang] })}</a>`] : []),
    ];
    rows.push(html`<tr id="service-${service.id}"><th scope="row">${service.short[lang]}</th><td>${stateBadge(core, lang, state.state)}</td><td>${basis.length > 0 ? basis.map((b, n) => html`${n > 0 ? html`<br>` : null}${b}`) : w(core, lang, 'place.basis_none')}</td></tr>\n`);
  }
  const within = core.placesWithin(place);
  const latest = index.latestUpdateAt();
  const crumbs = [FRANCE, ...ancestors.filter((a) => a.kind !== 'national')];
  const main = html`<nav aria-label="${w(core, lang, 'place.breadcrumb')}"><ol class="crumbs">${crumbs.map((c) => html`<li><a href="${placePath(lang, c)}">${placeName(core, lang, c)}</a></li>`)}<li aria-current="page">${name}</li></ol></nav>
<h1>${w(core, lang, 'place.title', { place: name })}</h1>
<p>${latest ? html`${w(core, lang, 'latest')} ${timeTag(core, lang, latest, index.latestUpdatePrecision())}.` : w(core, lang, 'latest_none')}</p>
<section aria-labelledby="services">
<h2 id="services">${w(core, lang, 'place.services')}</h2>
<table>
<caption>${w(core, lang, 'place.caption', { place: name })}</caption>
<thead><tr><th scope="col">${w(core, lang, 'place.service')}</th><th scope="col">${w(core, lang, 'place.state')}</th><th scope="col">${w(core, lang, 'place.basis')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>
<section aria-labelledby="applies">
<h2 id="applies">${w(core, lang, 'place.applies')}</h2>
${covering.size > 0 ? html`<ul>${[...covering.values()].map((i) => incidentItem(core, lang, i))}</ul>` : html`<p>${w(core, lang, 'place.applies_none')}</p>`}
</section>
${inside.size > 0 ? html`<section aria-labelledby="inside"><h2 id="inside">${w(core, lang, 'place.inside')}</h2><ul>${[...inside.values()].map((i) => incidentItem(core, lang, i))}</ul></section>` : null}
${restored.size > 0 ? html`<section aria-labelledby="restored"><h2 id="restored">${w(core, lang, 'place.resolved')}</h2><ul>${[...restored.values()].map((i) => incidentItem(core, lang, i))}</ul></section>` : null}
${within.length > 0 ? html`<section aria-labelledby="within"><h2 id="within">${w(core, lang, 'place.within')}</h2><ul class="places">${within.map((p) => html`<li><a href="${placePath(lang, p)}">${placeName(core, lang, p)}</a></li>`)}</ul></section>` : null}
${legend(core, lang)}`;
  const other: Language = lang === 'fr' ? 'en' : 'fr';
  return layout(core, { lang, title: w(core, lang, 'place.title', { place: name }), otherPath: placePath(other, place), main });
}

