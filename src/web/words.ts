/**
 * The status page's words (content/messages, keys web.*), its paths in each language, times
 * in Paris time, state badges and place names. French by default, English under /en/.
 */
import type { Core } from '../core.js';
import type { Language, PlaceKind, PlaceRef, TimePrecision } from '../base/types.js';
import type { Vars } from '../content/templates.js';
import { SCHOOL_TIMEZONE } from '../base/zoned-time.js';
import { html, type Html } from './html.js';
import type { WebState } from './state.js';

/** A web.* template, filled. */
export function w(core: Core, lang: Language, key: string, vars?: Vars): string {
  return core.templates.t(lang, `web.${key}`, vars);
}

/** The page paths of each language (French at the root, English under /en/). */
export const PATHS = {
  fr: { home: '/', search: '/recherche', place: '/lieu', incident: '/incident', history: '/historique', api: '/api/v2' },
  en: { home: '/en/', search: '/en/search', place: '/en/place', incident: '/en/incident', history: '/en/history', api: '/en/api/v2' },
} as const satisfies Record<Language, Record<string, string>>;

/** The path of a place's page. */
export function placePath(lang: Language, place: { kind: PlaceKind; code: string }): string {
  if (place.kind === 'national') return PATHS[lang].home;
  return `${PATHS[lang].place}/${place.kind}/${encodeURIComponent(place.code)}`;
}

/** The path of an incident's page. */
export function incidentPath(lang: Language, id: string): string {
  return `${PATHS[lang].incident}/${encodeURIComponent(id)}`;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: SCHOOL_TIMEZONE, ...options });
    formats.set(key, f);
  }
  return f;
}

const DATE: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/**
 * An instant in Paris time, in words ("mardi 17 mars 2020 à 10:00"); a time only as precise
 * as its source ("mardi 17 mars 2020, le matin"), never invented minutes.
 */
export function timeWords(core: Core, lang: Language, at: string | Date, precision?: TimePrecision): string {
  const instant = typeof at === 'string' ? new Date(at) : at;
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const date = format(locale, DATE).format(instant);
  const time = format(locale, TIME).format(instant);
  return w(core, lang, `time.${precision ?? 'exact'}`, { date, time });
}

/** A <time> element with the instant in words. */
export function timeTag(core: Core, lang: Language, at: string | Date, precision?: TimePrecision): Html {
  const iso = typeof at === 'string' ? at : at.toISOString();
  return html`<time datetime="${iso}">${timeWords(core, lang, at, precision)}</time>`;
}

/** Icon shapes per state: told apart by shape and word, never by colour alone. */
const ICONS: Record<WebState, string> = { unknown: '?', operational: '✓', under_maintenance: '⚙', degraded_performance: '!', partial_outage: '◐', major_outage: '✕' };

/** A state's word. */
export function stateWord(core: Core, lang: Language, state: WebState): string {
  return w(core, lang, `state.${state}`);
}

/** A state as an icon (hidden from screen readers: the word says it) and its word. */
export function stateBadge(core: Core, lang: Language, state: WebState): Html {
  return html`<span class="state s-${state}"><span class="icon" aria-hidden="true">${ICONS[state]}</span><span>${stateWord(core, lang, state)}</span></span>`;
}

/** A place's name as a title: "Région Occitanie", "Académie de Toulouse", "Gard (30)", "Nîmes (30)", "France". */
export function placeName(core: Core, lang: Language, place: PlaceRef): string {
  if (place.kind === 'commune') {
    const departement = core.departementOf(place.code);
    return w(core, lang, 'place.commune', { name: place.name, departement: departement ?? '' });
  }
  if (place.kind === 'academie') return w(core, lang, /^[AEIOUYÉÈÊÎÔÂ]/i.test(place.name) ? 'place.academie_vowel' : 'place.academie', { name: place.name });
  return w(core, lang, `place.${place.kind}`, { name: place.name, code: place.code });
}

/** The language `/` answers in: English when Accept-Language prefers it to French, French otherwise. */
export function preferredLanguage(header: string | string[] | undefined): Language {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { lang: Language; q: number } = { lang: 'fr', q: 0 };
  for (const part of text.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const lang = tag.startsWith('fr') ? 'fr' : tag.startsWith('en') ? 'en' : null;
    if (!lang) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > best.q) best = { lang, q };
  }
  return best.lang;
}
