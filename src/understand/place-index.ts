/**
 * The place names Vigie recognises, indexed once: régions (today's and older names),
 * académies, départements, communes and the ways people say "everywhere". Lookups are by
 * whole phrase of folded words, so a question never scans the 35,000 communes.
 */
import type { Gazetteer } from '../places/gazetteer.js';
import { NATIONAL } from '../places/gazetteer.js';
import type { PlaceKind, PlaceRef } from '../types.js';
import { AMBIGUOUS_COMMUNES } from './ambiguous-communes.js';
import { foldWords } from './normalize.js';
import { TypoIndex } from './typos.js';

/** One thing a phrase can name. */
export interface PlaceEntry {
  ref: PlaceRef;
  /** Inhabitants, for communes (to rank homonyms); 0 otherwise. */
  population: number;
  /** The name is also an ordinary word: it counts only after a locative cue (see places.ts). */
  needsCue: boolean;
  /** A misspelling of the name may be read as this place. */
  typoTolerant: boolean;
}

/** Narrower kinds rank higher when a question names several places. */
export const KIND_RANK: Record<PlaceKind, number> = {
  national: 0,
  region: 1,
  academie: 2,
  departement: 3,
  commune: 4,
};

// Typo matches are only tried against places people name and that are not ordinary words:
// régions, académies, départements and communes of at least this many inhabitants.
const TYPO_MIN_POPULATION = 2000;

// Ways of saying "everywhere / the whole country".
const NATIONAL_PHRASES = [
  'france', 'en france', 'partout', 'partout en france', 'toute la france', 'france entiere',
  'tout le pays', 'le pays entier', 'national', 'nationale', 'au niveau national', 'sur tout le territoire',
  'nationwide', 'nationally', 'everywhere', 'across france', 'all over france', 'whole country',
  'across the country', 'all of france', 'the whole of france', 'national level',
];

// English and everyday names of régions that the académies file does not hold.
const EXTRA_REGION_NAMES: [string, string][] = [
  ['brittany', '53'], ['normandy', '28'], ['corsica', '94'], ['burgundy', '27'],
  ['paris region', '11'], ['greater paris', '11'], ['reunion island', '04'],
  ['french guiana', '03'], ['occitania', '76'], ['region parisienne', '11'],
];

// Département names that are also common words: "c'est cher", "un lot", "en somme".
// "Ain" hides in "ain't", "Aube" is dawn, "Eure" a typo of "heure".
const AMBIGUOUS_DEPARTEMENTS = new Set(['la reunion', 'reunion', 'lot', 'cher', 'somme', 'manche', 'creuse', 'landes', 'allier', 'vienne', 'orne', 'jura', 'nord', 'ain', 'aube', 'eure']);
// Région or académie names that are also common words ("une réunion", "le centre", "il y aura").
const AMBIGUOUS_OTHER = new Set(['centre', 'reunion', 'la reunion', 'sud', 'est', 'aura']);

/** Phrase → places, plus a typo index over the names worth correcting. */
export class PlaceIndex {
  private readonly byPhrase = new Map<string, PlaceEntry[]>();
  /** The longest phrase (in words) starting with each word. */
  private readonly maxWords = new Map<string, number>();
  private readonly typoIndex = new TypoIndex<string>();
  private readonly typoPhrases = new Set<string>();
  /** Every word of every indexed name, so a known word is never "corrected". */
  readonly vocabulary = new Set<string>();

  constructor(gazetteer: Gazetteer) {
    for (const phrase of NATIONAL_PHRASES) this.add(phrase, NATIONAL, 0, false, false);
    for (const r of gazetteer.regions) {
      const ref: PlaceRef = { kind: 'region', code: r.code, name: r.name };
      this.add(r.name, ref, 0, true);
    }
    const regionAliases: [string, string][] = [
      ...gazetteer.regionAliases.map((a): [string, string] => [a.name, a.region]),
      ...EXTRA_REGION_NAMES,
    ];
    for (const [name, code] of regionAliases) {
      const ref = gazetteer.get('region', code);
      if (ref) this.add(name, ref, 0, true);
    }
    for (const a of gazetteer.academies) {
      const ref: PlaceRef = { kind: 'academie', code: a.slug, name: a.name };
      for (const name of new Set([a.name, a.slug, ...a.aliases])) this.add(name, ref, 0, true);
    }
    for (const d of gazetteer.departements) {
      this.add(d.name, { kind: 'departement', code: d.code, name: d.name }, 0, true);
    }
    for (const c of gazetteer.communes) {
      const ref: PlaceRef = { kind: 'commune', code: c.code, name: c.name };
      this.add(c.name, ref, c.population, c.population >= TYPO_MIN_POPULATION);
    }
    for (const list of this.byPhrase.values()) {
      list.sort((a, b) => KIND_RANK[b.ref.kind] - KIND_RANK[a.ref.kind] || b.population - a.population);
    }
  }

  private add(name: string, ref: PlaceRef, population: number, typoTolerant: boolean, ambiguousCheck = true): void {
    const words = foldWords(name);
    if (words.length === 0) return;
    const phrase = words.join(' ');
    const needsCue =
      ambiguousCheck &&
      (ref.kind === 'commune'
        ? AMBIGUOUS_COMMUNES.has(phrase)
        : ref.kind === 'departement'
          ? AMBIGUOUS_DEPARTEMENTS.has(phrase)
          : AMBIGUOUS_OTHER.has(phrase));
    const list = this.byPhrase.get(phrase);
    const entry: PlaceEntry = { ref, population, needsCue, typoTolerant };
    if (list) {
      if (list.some((e) => e.ref.kind === ref.kind && e.ref.code === ref.code)) return;
      list.push(entry);
    } else {
      this.byPhrase.set(phrase, [entry]);
    }
    if (typoTolerant && !needsCue && phrase.length >= 5 && !this.typoPhrases.has(phrase)) {
      this.typoPhrases.add(phrase);
      this.typoIndex.add(phrase, phrase);
    }
    const first = words[0]!;
    if ((this.maxWords.get(first) ?? 0) < words.length) this.maxWords.set(first, words.length);
    for (const w of words) this.vocabulary.add(w);
  }

  /** The longest phrase length (in words) starting with this word, 0 when none does. */
  maxWordsFrom(word: string): number {
    return this.maxWords.get(word) ?? 0;
  }

  /** Places named exactly by this phrase of folded words, narrowest kind then most populous first. */
  exact(phrase: string): PlaceEntry[] | undefined {
    return this.byPhrase.get(phrase);
  }

  /** Typo-tolerant lookup: the indexed phrases close enough to this one, closest first. */
  near(phrase: string): { phrase: string; distance: number }[] {
    return this.typoIndex.lookup(phrase).map((m) => ({ phrase: m.value, distance: m.distance }));
  }
}
