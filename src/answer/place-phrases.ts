/**
 * Places as a sentence says them: "en Occitanie", "dans l'académie d'Amiens",
 * "dans le 31 (Haute-Garonne)", "au Havre", "dans toute la France".
 */
import type { Language, PlaceKind } from '../base/types.js';
import type { Gazetteer } from '../places/gazetteer.js';
import { joinList, type Templates } from '../content/templates.js';

const VOWEL = /^[aeiouyàâéèêëîïôöùûüh]/i;
/** How many places a scope lists before saying "and N other places". */
const MAX_PLACES = 3;

/** Phrases for places and incident scopes. */
export interface PlacePhrases {
  /** "en Occitanie"; the code itself when the place is unknown to the gazetteer. */
  phrase(lang: Language, place: { kind: PlaceKind; code: string }): string;
  /** The places of a scope: "en Occitanie et dans le 75 (Paris)", capped. */
  scope(lang: Language, places: { kind: PlaceKind; code: string }[]): string;
  /** A place with what tells homonyms apart: "à Valence (26000)". */
  distinct(lang: Language, place: { kind: PlaceKind; code: string }): string;
  /** A place's name for a list: "Valence (26)", "Hérault (34)", "Occitanie". */
  label(lang: Language, place: { kind: PlaceKind; code: string }): string;
}

/** Place phrases from the gazetteer's names and the templates' prepositions. */
export function createPlacePhrases(templates: Templates, gazetteer: Gazetteer): PlacePhrases {
  const { t } = templates;
  const cache = new Map<string, string>();

  const build = (lang: Language, kind: PlaceKind, code: string): string => {
    const ref = gazetteer.get(kind, code);
    const name = ref?.name ?? code;
    switch (kind) {
      case 'national':
        return t(lang, 'place.national');
      case 'region': {
        const key = `place.region.${code}`;
        return templates.has(lang, key) ? t(lang, key) : t(lang, 'place.region', { name });
      }
      case 'academie':
        return t(lang, VOWEL.test(name) ? 'place.academie_vowel' : 'place.academie', { name });
      case 'departement':
        return t(lang, 'place.departement', { name, code });
      case 'commune': {
        const article = /^(Les?) (.+)$/.exec(name);
        if (article?.[1] === 'Le') return t(lang, 'place.commune_le', { name, rest: article[2] ?? '' });
        if (article?.[1] === 'Les') return t(lang, 'place.commune_les', { name, rest: article[2] ?? '' });
        return t(lang, 'place.commune', { name });
      }
    }
  };

  const phrase = (lang: Language, place: { kind: PlaceKind; code: string }): string => {
    const key = `${lang}|${place.kind}:${place.code}`;
    let out = cache.get(key);
    if (out === undefined) {
      out = build(lang, place.kind, place.code);
      cache.set(key, out);
    }
    return out;
  };

  return {
    phrase,
    scope(lang, places) {
      // "and 1 other places" would hide one name behind as many words: named instead.
      if (places.length <= MAX_PLACES + 1) return joinList(templates, lang, places.map((p) => phrase(lang, p)));
      const shown = places.slice(0, MAX_PLACES).map((p) => phrase(lang, p));
      return t(lang, 'list.more', {
        items: shown.join(t(lang, 'list.separator')),
        count: places.length - MAX_PLACES,
      });
    },
    distinct(lang, place) {
      const where = phrase(lang, place);
      if (place.kind !== 'commune') return where;
      const postal = gazetteer.commune(place.code)?.postalCodes[0];
      return postal ? t(lang, 'place.postal', { where, postal }) : where;
    },
    label(lang, place) {
      const name = gazetteer.get(place.kind, place.code)?.name ?? place.code;
      const detail =
        place.kind === 'commune' ? gazetteer.commune(place.code)?.departement : place.kind === 'departement' ? place.code : undefined;
      return detail ? t(lang, 'place.label', { name, detail }) : name;
    },
  };
}
