/**
 * Builds the data of the place index from the gazetteer: every phrase of folded words that
 * names a place (régions today and before 2016, académies, départements, communes, the ways
 * of saying "everywhere", short forms and demonyms of place-aliases.ts), what each names,
 * and the names worth correcting when misspelt.
 * The result is plain strings, maps and typed arrays, so it can be saved in the reference
 * snapshot and read back quickly (see src/places/snapshot.ts).
 */
import type { Gazetteer } from '../places/gazetteer.js';
import { NATIONAL } from '../places/gazetteer.js';
import type { PlaceKind, PlaceRef } from '../base/types.js';
import { ambiguousCommuneNames } from './ambiguous-communes.js';
import { foldWords } from '../base/text.js';
import { DEMONYM_FORMS, SHORT_FORMS } from './place-aliases.js';

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
/** Bit of `PlaceIndexData.flags`: the phrase is a demonym ("nantaises"), read by its own rule (places.ts). */
export const DEMONYM = 4;

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
  ['french guiana', '03'], ['occitania', '76'], ['region parisienne', '11'], ['picardy', '32'],
  ['provence', '93'], ['french riviera', '93'], ['cote d azur', '93'], ['reunion', '04'],
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
  demonym?: boolean;
}

/** Indexes every place name of the gazetteer. */
export function buildPlaceIndexData(gazetteer: Gazetteer): PlaceIndexData {
  const byPhrase = new Map<string, Entry[]>();
  const maxWords = new Map<string, number>();
  const vocabulary = new Set<string>();
  const typoPhrases = new Set<string>();
  const heads = communeHeads(gazetteer.communes);
  // A head is ambiguous by the rules of a small town's name, whatever the town's size: "Fort"
  // (Fort-de-France) and "Bourg" (Bourg-en-Bresse) are words, so they need a cue.
  const ambiguousCommunes = ambiguousCommuneNames([...gazetteer.communes, ...heads.map((h) => ({ name: h.head, population: 0 }))]);

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
  // "Sablé" for Sablé-sur-Sarthe, "Neuilly" for Neuilly-sur-Seine (then Neuilly-sur-Marne…), unless
  // a commune of that very name is bigger: "Saint-Denis" stays Saint-Denis, not Saint-Denis-en-Val.
  // Decided against the official names only, so all the towns of one short form come in.
  const kept = heads.filter((h) => {
    const named = byPhrase.get(h.head);
    return !named?.some((e) => e.ref.kind !== 'commune' || (!e.needsCue && e.population >= h.population) || e.population >= h.population * 10);
  });
  for (const h of kept) add(h.head, { kind: 'commune', code: h.code, name: h.name }, h.population, false);
  // "Clermont", "tlse": the big city first; a homonym ("Clermont", Oise) becomes an alternative.
  for (const [name, target] of SHORT_FORMS) {
    const ref = gazetteer.get(target.kind, target.code);
    if (ref) add(name, ref, gazetteer.commune(target.code)?.population ?? 0, false);
  }
  // Demonyms last: a form that is already a place's name ("corse") keeps reading as that name,
  // unless that name is read only with a cue (the hamlet of Bourguignons).
  for (const [phrase, form] of DEMONYM_FORMS) {
    const ref = gazetteer.get(form.target.kind, form.target.code);
    const named = byPhrase.get(phrase);
    if (!ref || (named && !named.every((e) => e.needsCue))) continue;
    const entry: Entry = { ref, population: 0, needsCue: false, typoTolerant: false, demonym: true };
    if (named) named.push(entry);
    else byPhrase.set(phrase, [entry]);
    const words = phrase.split(' ');
    if ((maxWords.get(words[0]!) ?? 0) < words.length) maxWords.set(words[0]!, words.length);
    for (const w of words) vocabulary.add(w);
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
      flags[k] = (e.needsCue ? NEEDS_CUE : 0) | (e.typoTolerant ? TYPO_TOLERANT : 0) | (e.demonym ? DEMONYM : 0);
      codes.push(e.ref.code);
    }
    starts[i + 1] = codes.length;
  }
  return { phrases, starts, kinds, codes, flags, maxWords, vocabulary, typoPhrases: [...typoPhrases] };
}

// Words that join a commune's name to what tells it apart: "Sablé-sur-Sarthe", "Aulnay-sous-Bois".
const NAME_LINKS = new Set(['sur', 'sous', 'en', 'les', 'lez', 'la', 'le', 'de', 'du', 'des', 'd', 'aux', 'au', 'et']);
// First words that are no name alone: "Saint-Denis" never shortens to "Saint".
const NOT_HEADS = new Set(['saint', 'sainte', 'st', 'ste', 'le', 'la', 'les', 'l', 'mont', 'font', 'pont', 'port', 'bourg', 'ville', 'val']);
/** Towns named by the short form of their name from this many inhabitants. */
const HEAD_MIN_POPULATION = 5000;

/**
 * The short forms people use for communes with a compound name: the words before the first
 * linking word ("Sablé-sur-Sarthe" → "Sablé", "Saint-Germain-en-Laye" → "Saint-Germain",
 * "Sarlat-la-Canéda" → "Sarlat"), or the first of two names joined ("Carhaix-Plouguer",
 * "Boulogne-Billancourt", "Chamonix-Mont-Blanc"), for towns of HEAD_MIN_POPULATION and more.
 */
export function communeHeads(communes: Iterable<{ code: string; name: string; population: number }>): { head: string; code: string; name: string; population: number }[] {
  const out: { head: string; code: string; name: string; population: number }[] = [];
  for (const c of communes) {
    if (c.population < HEAD_MIN_POPULATION) continue;
    const words = foldWords(c.name);
    if (words.length < 2) continue;
    const first = words[0] === 'saint' || words[0] === 'sainte' ? 2 : 1;
    let end = words.findIndex((w, i) => i >= first && NAME_LINKS.has(w));
    if (end < 0) end = first === 1 && !NOT_HEADS.has(words[0]!) ? 1 : -1;
    if (end < first || end >= words.length) continue;
    const head = words.slice(0, end);
    if (head.join('').length < 4 || (head.length === 1 && NOT_HEADS.has(head[0]!))) continue;
    out.push({ head: head.join(' '), code: c.code, name: c.name, population: c.population });
  }
  return out;
}
