/**
 * The place search: the text is read the way the bot reads a question (names, postcodes,
 * "académie de Toulouse", "le 93", SMS forms), through Core.understand. One place: the caller
 * redirects to its page; several: a choice list; none: a page that says so and how to ask.
 */
import type { Core } from '../core.js';
import type { Language, PlaceRef } from '../base/types.js';
import { html } from './html.js';
import { layout } from './page-layout.js';
import { PATHS, placeName, placePath, w } from './words.js';

/** Longest search text read (a longer one is cut). */
export const MAX_QUERY = 200;

/** What a search found. */
export type SearchResult = { kind: 'place'; place: PlaceRef; service: string | null } | { kind: 'choice'; places: PlaceRef[] } | { kind: 'none' } | { kind: 'empty' };

export function search(core: Core, lang: Language, text: string): SearchResult {
  const q = text.slice(0, MAX_QUERY).trim();
  if (q === '') return { kind: 'empty' };
  const query = core.understand(q, lang);
  if (!query.place) return { kind: 'none' };
  if (query.alternatives.length > 0) return { kind: 'choice', places: [query.place, ...query.alternatives] };
  return { kind: 'place', place: query.place, service: query.service };
}

/** The page of a search that did not lead to one place. */
export function searchPage(core: Core, lang: Language, text: string, result: Exclude<SearchResult, { kind: 'place' }>): string {
  const q = text.slice(0, MAX_QUERY).trim();
  const title = w(core, lang, 'search.title');
  let body;
  if (result.kind === 'empty') body = html`<p>${w(core, lang, 'search.empty')}</p>`;
  else if (result.kind === 'none') body = html`<p role="status">${w(core, lang, 'search.none', { q })}</p><p>${w(core, lang, 'search.none_help')}</p>`;
  else
    body = html`<p role="status">${w(core, lang, 'search.choose', { q })}</p>
<ul>${result.places.map((p) => html`<li><a href="${placePath(lang, p)}">${placeName(core, lang, p)}</a> <span class="meta">(${w(core, lang, `place.kind.${p.kind === 'national' ? 'region' : p.kind}`)}${ancestry(core, lang, p)})</span></li>`)}</ul>`;
  const main = html`<h1>${title}</h1>${body}`;
  const other: Language = lang === 'fr' ? 'en' : 'fr';
  return layout(core, { lang, title: q ? `${title} — ${q}` : title, otherPath: `${PATHS[other].search}?q=${encodeURIComponent(q)}`, main, query: q });
}

/** ", Gard, Occitanie": where a place lies, to tell namesakes apart. */
function ancestry(core: Core, lang: Language, place: PlaceRef): string {
  const above = core.placeAncestors(place).filter((a) => a.kind === 'departement' || a.kind === 'region');
  const names = [...new Set(above.reverse().map((a) => a.name))];
  return names.length > 0 ? `, ${names.join(', ')}` : '';
}
