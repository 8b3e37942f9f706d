/**
 * The place names Vigie recognises, indexed once (place-index-build.ts): régions (today's
 * and older names), académies, départements, communes and the ways people say
 * "everywhere". Lookups are by whole phrase of folded words, so a question never scans the
 * 35,000 communes. The index reads its data lazily: a phrase's places are decoded the first
 * time it is looked up, and the typo index is built at the first misspelling, so a process
 * that answers one question pays for what that question needs (a running bot builds it in
 * slices just after it starts: `prepare`).
 */
import type { Gazetteer } from '../places/gazetteer.js';
import type { PlaceRef } from '../base/types.js';
import { buildPlaceIndexData, DEMONYM, KINDS, NEEDS_CUE, TYPO_TOLERANT, type PlaceIndexData } from './place-index-build.js';
import { TypoIndex } from './typos.js';
import { CitySounds } from './city-sounds.js';
import { foldWords } from '../base/text.js';
import { oncePer } from '../base/once-per.js';

export { KIND_RANK, buildPlaceIndexData, type PlaceIndexData } from './place-index-build.js';

/** One thing a phrase can name. */
export interface PlaceEntry {
  ref: PlaceRef;
  /** Inhabitants, for communes (to rank homonyms); 0 otherwise. */
  population: number;
  /** The name is also an ordinary word: it counts only after a locative cue (see places.ts). */
  needsCue: boolean;
  /** A misspelling of the name may be read as this place. */
  typoTolerant: boolean;
  /** The phrase is a demonym ("nantaises"): read by its own rule (places.ts). */
  demonym?: boolean;
}

/** Phrase → places, plus a typo index over the names worth correcting. */
export class PlaceIndex {
  /** Every word of every indexed name, so a known word is never "corrected". */
  readonly vocabulary: ReadonlySet<string>;
  private readonly decoded: (PlaceEntry[] | undefined)[] = [];
  private typoIndex: TypoIndex<string> | null = null;
  private sounds: CitySounds | null = null;
  /** The typo index being built by `prepare`, and the next phrase to add. */
  private typoBuild: { index: TypoIndex<string>; next: number } | null = null;

  /** Indexes the gazetteer's names, or takes data built earlier from the same gazetteer (the snapshot). */
  constructor(
    private readonly gazetteer: Gazetteer,
    readonly data: PlaceIndexData = buildPlaceIndexData(gazetteer),
  ) {
    this.vocabulary = data.vocabulary;
  }

  /** The longest phrase length (in words) starting with this word, 0 when none does. */
  maxWordsFrom(word: string): number {
    return this.data.maxWords.get(word) ?? 0;
  }

  /** Places named exactly by this phrase of folded words, narrowest kind then most populous first. */
  exact(phrase: string): PlaceEntry[] | undefined {
    const i = this.data.phrases.get(phrase);
    if (i === undefined) return undefined;
    return (this.decoded[i] ??= this.decode(i));
  }

  /** The big city a word sounds like, starts or is the consonants of ("bordo", "montpel", "strasbrg"); else null. */
  soundAlike(word: string): PlaceEntry | null {
    const code = (this.sounds ??= new CitySounds(this.gazetteer.communes, foldWords)).lookup(word);
    const ref = code === null ? undefined : this.gazetteer.get('commune', code);
    if (!ref) return null;
    return { ref, population: this.gazetteer.commune(ref.code)?.population ?? 0, needsCue: false, typoTolerant: false };
  }

  /** Typo-tolerant lookup: the indexed phrases close enough to this one, closest first. */
  near(phrase: string): { phrase: string; distance: number }[] {
    const typos = this.typoIndex ?? this.buildTypos(Infinity)!;
    return typos.lookup(phrase).map((m) => ({ phrase: m.value, distance: m.distance }));
  }

  /**
   * Builds the typo index `slice` phrases at a time, waiting for `pause` between slices, so
   * neither the first misspelling nor this build holds the event loop for the whole of it
   * (about 0.1 s). A lookup meanwhile finishes the build at once.
   */
  async prepare(slice = 250, pause: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve))): Promise<void> {
    while (!this.buildTypos(slice)) await pause();
    // The big cities' sounds (about 25 ms), so the first "a marseil" does not pay for them.
    this.sounds ??= new CitySounds(this.gazetteer.communes, foldWords);
  }

  /** Adds up to `limit` more phrases to the typo index being built; the index once whole, else null. */
  private buildTypos(limit: number): TypoIndex<string> | null {
    if (this.typoIndex) return this.typoIndex;
    const build = (this.typoBuild ??= { index: new TypoIndex<string>(), next: 0 });
    const phrases = this.data.typoPhrases;
    const end = Math.min(phrases.length, build.next + limit);
    for (; build.next < end; build.next++) build.index.add(phrases[build.next]!, phrases[build.next]!);
    if (build.next < phrases.length) return null;
    this.typoIndex = build.index;
    this.typoBuild = null;
    return this.typoIndex;
  }

  private decode(i: number): PlaceEntry[] {
    const { starts, kinds, codes, flags } = this.data;
    const entries: PlaceEntry[] = [];
    for (let k = starts[i]!; k < starts[i + 1]!; k++) {
      const kind = KINDS[kinds[k]!]!;
      const ref = this.gazetteer.get(kind, codes[k]!);
      if (!ref) throw new Error(`place index: ${kind} ${codes[k]} is not in the gazetteer`);
      const population = kind === 'commune' ? (this.gazetteer.commune(ref.code)?.population ?? 0) : 0;
      const entry: PlaceEntry = { ref, population, needsCue: (flags[k]! & NEEDS_CUE) !== 0, typoTolerant: (flags[k]! & TYPO_TOLERANT) !== 0 };
      if ((flags[k]! & DEMONYM) !== 0) entry.demonym = true;
      entries.push(entry);
    }
    return entries;
  }
}

/** The place index of a gazetteer, built once (or the one `rememberPlaceIndex` was given). */
export const placeIndexFor = oncePer((gazetteer: Gazetteer) => new PlaceIndex(gazetteer));

/** Registers an index whose data was read from the snapshot, for `placeIndexFor`. */
export function rememberPlaceIndex(gazetteer: Gazetteer, data: PlaceIndexData): PlaceIndex {
  return placeIndexFor.remember(gazetteer, new PlaceIndex(gazetteer, data));
}
