/**
 * Finds the service a question names, from the aliases and brands of content/services.yaml
 * plus a few everyday names (below). A brand also hints at a place ("Toutatice" is Bretagne's
 * ENT) and, when its name says so, a level ("monlycee.net").
 *
 * Levels inside names: "l'ENT du collège" names the collège's ENT, so a level word in an alias
 * counts; but a level word in a product's own name does not ("École Directe" serves every
 * level). Misspellings ("pronot", "educonect") are read only when no alias matched exactly,
 * only for one-word aliases of 5+ letters, one edit from 5 letters and two from 9, and never
 * for an ordinary word (typo-guard.ts) or a word another reader knows.
 */
import type { Service } from '../content/schemas.js';
import type { Level, PlaceKind } from '../base/types.js';
import { levelOfWord } from './levels.js';
import { foldWords, type Token } from '../base/text.js';
import { TYPO_GUARD } from './typo-guard.js';
import { boundedDistance, maxEditsFor } from './typos.js';

/** What a service mention tells. */
export interface ServiceMatch {
  service: string;
  /** Where the brand applies, when it applies to one région or département. */
  place: { kind: PlaceKind; code: string } | null;
  level: Level | null;
  /** The level is the brand's only one, not spelled in its name ("ENT Occitanie" → lycée): a level the words name wins. */
  levelImplied?: boolean;
  /** Token positions covered. */
  start: number;
  end: number;
}

interface Alias {
  words: string[];
  service: string;
  place: { kind: PlaceKind; code: string } | null;
  level: Level | null;
  levelImplied?: boolean;
}

// A home connection is named in passing ("la connexion à l'ENT"): any other service wins,
// unless the words name the connection itself (the box, the fibre, the 4G…): then what is
// broken is the connection ("plus de box, comment suivre le CNED ?").
const GENERIC_SERVICES = new Set(['internet']);
const PASSING_WORDS = new Set(['connexion', 'la connexion', 'ma connexion', 'connection', 'my connection', 'network', 'reseau', 'le reseau', 'ma co', 'la co', 'plus de co']);

// Typo lookups per question are capped (structural bound, see index.ts).
const MAX_TYPO_TOKENS = 32;

/** Matches service aliases by whole words, longest alias first. */
export class ServiceMatcher {
  private readonly byFirstWord = new Map<string, Alias[]>();
  /** One-word aliases of 5+ letters, the only ones a misspelling is read as (a few dozen). */
  private readonly typoAliases: Alias[] = [];
  /** Every word of every alias. */
  readonly vocabulary = new Set<string>();

  constructor(services: readonly Service[]) {
    for (const s of services) {
      // The product's own names: a level word in them is part of the name.
      const ownNames = new Set([s.id, s.short.fr, s.short.en, s.name.fr, s.name.en].map((n) => foldWords(n).join(' ')));
      const aliasLevel = (text: string) => (ownNames.has(foldWords(text).join(' ')) ? null : levelIn(foldWords(text)));
      this.add(s.id, s.id, null, null);
      for (const a of s.aliases) this.add(a, s.id, null, aliasLevel(a));
      for (const b of s.brands) {
        const place =
          b.regions.length === 1 && b.departements.length === 0
            ? { kind: 'region' as const, code: b.regions[0]! }
            : b.departements.length === 1 && b.regions.length === 0
              ? { kind: 'departement' as const, code: b.departements[0]! }
              : null;
        // A brand that serves one level names it ("monlycee.net", "ENT Occitanie": the région's lycées).
        const level = b.levels.length === 1 ? b.levels[0]! : null;
        const implied = level !== null && !namesLevel(b.name, level);
        for (const name of [b.name, ...b.aliases]) this.add(name, s.id, place, level, implied);
      }
    }
    for (const list of this.byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
  }

  private add(text: string, service: string, place: Alias['place'], level: Level | null, levelImplied = false): void {
    const words = foldWords(text);
    if (words.length === 0) return;
    const alias: Alias = { words, service, place, level, ...(levelImplied ? { levelImplied } : {}) };
    const list = this.byFirstWord.get(words[0]!) ?? [];
    list.push(alias);
    this.byFirstWord.set(words[0]!, list);
    for (const w of words) this.vocabulary.add(w);
    if (words.length === 1 && words[0]!.length >= 5 && /^[a-z]+$/.test(words[0]!)) this.typoAliases.push(alias);
  }

  /** Every service mention, in order. */
  findAll(tokens: readonly Token[]): ServiceMatch[] {
    const out: ServiceMatch[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const hit = this.aliasAt(tokens, i);
      if (!hit) continue;
      // "l'ENT AURA": the brand starting one word later reaches further than "l'ENT".
      const later = this.aliasAt(tokens, i + 1);
      if (later && later.words.length > hit.words.length - 1) continue;
      out.push({ service: hit.service, place: hit.place, level: hit.level, ...(hit.levelImplied ? { levelImplied: true } : {}), start: i, end: i + hit.words.length });
      i += hit.words.length - 1;
    }
    return out;
  }

  private aliasAt(tokens: readonly Token[], i: number): Alias | undefined {
    const candidates = i < tokens.length ? this.byFirstWord.get(tokens[i]!.norm) : undefined;
    return candidates?.find((a) => a.words.every((w, k) => tokens[i + k]?.norm === w));
  }

  /**
   * A misspelt service name ("pronot", "educonect"), for questions where no alias matched:
   * the first word, among the first few, that is one of the allowed edits away from a
   * one-word alias. `known` holds words other readers use (never corrected).
   */
  findTypo(tokens: readonly Token[], known: (word: string) => boolean): ServiceMatch | null {
    const limit = Math.min(tokens.length, MAX_TYPO_TOKENS);
    for (let i = 0; i < limit; i++) {
      const w = tokens[i]!.norm;
      if (w.length < 5 || !/^[a-z]+$/.test(w) || TYPO_GUARD.has(w) || known(w)) continue;
      const near = this.nearest(w);
      if (near) return { service: near.service, place: near.place, level: near.level, ...(near.levelImplied ? { levelImplied: true } : {}), start: i, end: i + 1 };
    }
    return null;
  }

  /** True when the word is a misspelling of a one-word alias (used to generate typo-guard.ts). */
  isNearAlias(word: string): boolean {
    return this.nearest(word) !== null;
  }

  /**
   * The closest one-word alias within the edits allowed for both words. The list is short,
   * so a direct comparison (skipping lengths too far apart) costs less than an index.
   */
  private nearest(word: string): Alias | null {
    let best: Alias | null = null;
    let bestDistance = Infinity;
    for (const alias of this.typoAliases) {
      const name = alias.words[0]!;
      const max = Math.min(maxEditsFor(word.length), maxEditsFor(name.length));
      if (Math.abs(name.length - word.length) > max) continue;
      const d = boundedDistance(word, name, max);
      if (d > 0 && d <= max && d < bestDistance) {
        best = alias;
        bestDistance = d;
      }
    }
    return best;
  }

  /**
   * The service the question is about: the home connection when the words name it ("la box",
   * "la fibre"), else the first specific one, else a generic one.
   */
  pick(matches: readonly ServiceMatch[], tokens: readonly Token[]): ServiceMatch | null {
    const named = matches.find((m) => GENERIC_SERVICES.has(m.service) && !PASSING_WORDS.has(tokens.slice(m.start, m.end).map((t) => t.norm).join(' ')));
    if (named) return named;
    const specific = matches.filter((m) => !GENERIC_SERVICES.has(m.service));
    return specific[0] ?? matches[0] ?? null;
  }
}

/** The one level the words name, or null. */
function levelIn(words: readonly string[]): Level | null {
  const levels = new Set(words.map(levelOfWord).filter((l): l is Level => l !== null));
  return levels.size === 1 ? [...levels][0]! : null;
}

/** True when a brand's name spells the level ("monlycee.net" → lycée). */
function namesLevel(name: string, level: Level): boolean {
  return foldWords(name).some((w) => w.includes(level));
}
