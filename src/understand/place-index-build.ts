/**
 * Builds the data of the place index from the gazetteer: every phrase of folded words that
 * names a place (régions today and before 2016, académies, départements, communes, the ways
 * of saying "everywhere"), what each names, and the names worth correcting when misspelt.
 * The result is plain strings, maps and typed arrays, so it can be saved in the reference
 * snapshot and read back quickly (see src/places/snapshot.ts).
 */
import type { Gazetteer } from '../places/gazetteer.js';
import { NATIONAL } from '../places/gazetteer.js';
import type { PlaceKind, PlaceRef } from '../base/types.js';
import { ambiguousCommuneNames } from './ambiguous-communes.js';
import { foldWords } from '../base/text.js';

/** Narrower kinds rank higher when a question names several places. */
export const KIND_RANK: Record<PlaceKind, number> = {
  national: 0,
  region: 1,
  academie: 2,
  departement: 3,
  commune: 4,
};

/** Place kinds by number, as stored in `PlaceIndexData.kinds`. */
export const KINDS: readonly PlaceKind[] = ['national', 'region', 'academie', 'departement', 'commune'];

/** Bit of `PlaceIndexData.flags`: the name is also an ordinary word. */
export const NEEDS_CUE = 1;
/** Bit of `PlaceIndexData.flags`: a misspelling may be read as this place. */
export const TYPO_TOLERANT = 2;

/**
 * The index as data. Entries of phrase `i` are `starts[i]` to `starts[i + 1] - 1`, narrowest
 * kind then most populous first; an entry is a kind (index in KINDS), a code and flags.
 */
export interface PlaceIndexData {
  /** Phrase → its number. */
  phrases: Map<string, number>;
  starts: Int32Array;
  kinds: Uint8Array;
  codes: string[];
  flags: Uint8Array;
  /** The longest phrase (in words) starting with each word. */
  maxWords: Map<string, number>;
  /** Every word of every indexed name, so a known word is never "corrected". */
  vocabulary: Set<string>;
  /** The phrases a misspelling may be read as, in the order they were indexed. */
  typoPhrases: string[];
}

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

interface Entry {
  ref: PlaceRef;
  population: number;
  needsCue: boolean;
  typoTolerant: boolean;
}

/** Indexes every place name of the gazetteer. */
export function buildPlaceIndexData(gazetteer: Gazetteer): PlaceIndexData {
  const byPhrase = new Map<string, Entry[]>();
  const maxWords = new Map<string, number>();
  const vocabulary = new Set<string>();
  const typoPhrases = new Set<string>();
  const ambiguousCommunes = ambiguousCommuneNames(gazetteer.communes);

  const add = (name: string, ref: PlaceRef, population: number, typoTolerant: boolean, ambiguousCheck = true): void => {
    const words = foldWords(name);
    if (words.length === 0) return;
    const phrase = words.join(' ');
    const needsCue =
      ambiguousCheck &&
      (ref.kind === 'commune'
        ? ambiguousCommunes.has(phrase)
        : ref.kind === 'departement'
          ? AMBIGUOUS_DEPARTEMENTS.has(phrase)
          : AMBIGUOUS_OTHER.has(phrase));
    const list = byPhrase.get(phrase);
    const entry: Entry = { ref, population, needsCue, typoTolerant };
    if (list) {
      if (list.some((e) => e.ref.kind === ref.kind && e.ref.code === ref.code)) return;
      list.push(entry);
    } else {
      byPhrase.set(phrase, [entry]);
    }
    if (typoTolerant && !needsCue && phrase.length >= 5) typoPhrases.add(phrase);
    const first = words[0]!;
    if ((maxWords.get(first) ?? 0) < words.length) maxWords.set(first, words.length);
    for (const w of words) vocabulary.add(w);
  };

  for (const phrase of NATIONAL_PHRASES) add(phrase, NATIONAL, 0, false, false);
  for (const r of gazetteer.regions) add(r.name, { kind: 'region', code: r.code, name: r.name }, 0, true);
  const regionAliases: [string, string][] = [...gazetteer.regionAliases.map((a): [string, string] => [a.name, a.region]), ...EXTRA_REGION_NAMES];
  for (const [name, code] of regionAliases) {
    const ref = gazetteer.get('region', code);
    if (ref) add(name, ref, 0, true);
  }
  for (const a of gazetteer.academies) {
    const ref: PlaceRef = { kind: 'academie', code: a.slug, name: a.name };
    for (const name of new Set([a.name, a.slug, ...a.aliases])) add(name, ref, 0, true);
  }
  for (const d of gazetteer.departements) add(d.name, { kind: 'departement', code: d.code, name: d.name }, 0, true);
  for (const c of gazetteer.communes) {
    add(c.name, { kind: 'commune', code: c.code, name: c.name }, c.population, c.population >= TYPO_MIN_POPULATION);
  }

  const phrases = new Map<string, number>();
  const starts = new Int32Array(byPhrase.size + 1);
  const total = [...byPhrase.values()].reduce((n, list) => n + list.length, 0);
  const kinds = new Uint8Array(total);
  const codes: string[] = [];
  const flags = new Uint8Array(total);
  for (const [phrase, list] of byPhrase) {
    list.sort((a, b) => KIND_RANK[b.ref.kind] - KIND_RANK[a.ref.kind] || b.population - a.population);
    const i = phrases.size;
    phrases.set(phrase, i);
    for (const e of list) {
      const k = codes.length;
      kinds[k] = KINDS.indexOf(e.ref.kind);
      flags[k] = (e.needsCue ? NEEDS_CUE : 0) | (e.typoTolerant ? TYPO_TOLERANT : 0);
      codes.push(e.ref.code);
    }
    starts[i + 1] = codes.length;
  }
  return { phrases, starts, kinds, codes, flags, maxWords, vocabulary, typoPhrases: [...typoPhrases] };
}
