/**
 * Finds the service a question names, from the aliases and brands of content/services.yaml.
 * A brand also hints at a place ("Toutatice" is Bretagne's ENT) and a level.
 */
import type { Service } from '../content/schemas.js';
import type { Level, PlaceKind } from '../types.js';
import { foldWords, type Token } from './normalize.js';

/** What a service mention tells. */
export interface ServiceMatch {
  service: string;
  /** Where the brand applies, when it applies to one région or département. */
  place: { kind: PlaceKind; code: string } | null;
  level: Level | null;
  /** Token positions covered. */
  start: number;
  end: number;
}

interface Alias {
  words: string[];
  service: string;
  place: { kind: PlaceKind; code: string } | null;
  level: Level | null;
}

// A home connection is named in passing ("la connexion à l'ENT"): any other service wins.
const GENERIC_SERVICES = new Set(['internet']);

/** Matches service aliases by whole words, longest alias first. */
export class ServiceMatcher {
  private readonly byFirstWord = new Map<string, Alias[]>();
  /** Every word of every alias. */
  readonly vocabulary = new Set<string>();

  constructor(services: readonly Service[]) {
    for (const s of services) {
      this.add(s.id, s.id, null, null);
      for (const a of s.aliases) this.add(a, s.id, null, null);
      for (const b of s.brands) {
        const place =
          b.regions.length === 1 && b.departements.length === 0
            ? { kind: 'region' as const, code: b.regions[0]! }
            : b.departements.length === 1 && b.regions.length === 0
              ? { kind: 'departement' as const, code: b.departements[0]! }
              : null;
        const level = b.levels.length === 1 ? b.levels[0]! : null;
        for (const name of [b.name, ...b.aliases]) this.add(name, s.id, place, level);
      }
    }
    for (const list of this.byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
  }

  private add(text: string, service: string, place: Alias['place'], level: Level | null): void {
    const words = foldWords(text);
    if (words.length === 0) return;
    const list = this.byFirstWord.get(words[0]!) ?? [];
    list.push({ words, service, place, level });
    this.byFirstWord.set(words[0]!, list);
    for (const w of words) this.vocabulary.add(w);
  }

  /** Every service mention, in order. */
  findAll(tokens: readonly Token[]): ServiceMatch[] {
    const out: ServiceMatch[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const candidates = this.byFirstWord.get(tokens[i]!.norm);
      if (!candidates) continue;
      const hit = candidates.find((a) => a.words.every((w, k) => tokens[i + k]?.norm === w));
      if (!hit) continue;
      out.push({ service: hit.service, place: hit.place, level: hit.level, start: i, end: i + hit.words.length });
      i += hit.words.length - 1;
    }
    return out;
  }

  /** The service the question is about: the first specific one, else a generic one. */
  pick(matches: readonly ServiceMatch[]): ServiceMatch | null {
    return matches.find((m) => !GENERIC_SERVICES.has(m.service)) ?? matches[0] ?? null;
  }
}
