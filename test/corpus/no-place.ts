/**
 * The false-place corpus (test/corpus/no-place/fr.txt and en.txt): sentences that name no
 * place, in the registers of teachers and parents. The false-place rate is the share of them
 * the understander reads a place out of (a national reading counts too); it must stay at or
 * under FALSE_PLACE_MAX.
 */
import { readFileSync } from 'node:fs';
import type { Understander } from '../../src/understand/index.js';
import type { Language } from '../../src/base/types.js';

/** The highest false-place rate accepted (0.5 %). */
export const FALSE_PLACE_MAX = 0.005;

/** One sentence that names no place. */
export interface NoPlaceItem {
  text: string;
  lang: Language;
}

/** The sentences of both files. */
export function loadNoPlaceCorpus(): NoPlaceItem[] {
  const items: NoPlaceItem[] = [];
  for (const lang of ['fr', 'en'] as const) {
    const text = readFileSync(new URL(`no-place/${lang}.txt`, import.meta.url), 'utf8');
    for (const line of text.split('\n')) if (line.trim() && !line.startsWith('#')) items.push({ text: line, lang });
  }
  return items;
}

/** What the understander made of the corpus: every sentence it read a place out of. */
export function scoreNoPlace(understander: Understander, items: NoPlaceItem[] = loadNoPlaceCorpus()) {
  const falsePlaces: { text: string; lang: Language; place: string }[] = [];
  for (const item of items) {
    const q = understander.understand(item.text, { locale: item.lang });
    if (q.place) falsePlaces.push({ ...item, place: `${q.place.kind}:${q.place.code} (${q.place.name})` });
  }
  const byLang = (l: Language) => ({ total: items.filter((i) => i.lang === l).length, wrong: falsePlaces.filter((f) => f.lang === l).length });
  return { total: items.length, falsePlaces, rate: falsePlaces.length / Math.max(1, items.length), fr: byLang('fr'), en: byLang('en') };
}
