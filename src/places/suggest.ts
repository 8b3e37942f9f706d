/**
 * Place autocomplete (Discord's place option, Slack selects): accent- and case-insensitive
 * prefix search over régions, académies, départements (name or number) and communes (name or
 * postal code). Names are folded and sorted once; a lookup is a binary search plus a short scan.
 */
import type { PlaceRef } from '../base/types.js';
import type { Gazetteer } from './gazetteer.js';
import { fold } from '../base/text.js';
import { oncePer } from '../base/once-per.js';

interface Entry {
  key: string;
  place: PlaceRef;
  /** Lower ranks first: région, académie, département, then communes by population. */
  rank: number;
}

/** Most results a platform accepts (Discord's autocomplete limit). */
export const MAX_SUGGESTIONS = 25;

/** Suggests places for what a person has typed so far. */
export class PlaceSuggester {
  private readonly entries: Entry[] = [];

  constructor(gazetteer: Gazetteer) {
    const add = (name: string, place: PlaceRef, rank: number) => {
      const key = fold(name).replace(/[^a-z0-9]+/g, ' ').trim();
      if (key) this.entries.push({ key, place, rank });
    };
    add('France', { kind: 'national', code: 'FR', name: 'France' }, 0);
    for (const r of gazetteer.regions) add(r.name, { kind: 'region', code: r.code, name: r.name }, 1);
    for (const a of gazetteer.regionAliases) {
      const r = gazetteer.region(a.region);
      if (r) add(a.name, { kind: 'region', code: r.code, name: r.name }, 1.5);
    }
    for (const a of gazetteer.academies) add(`Académie de ${a.name}`, { kind: 'academie', code: a.slug, name: `Académie de ${a.name}` }, 2);
    // An académie typed by its town's name comes after the big towns of that name.
    for (const a of gazetteer.academies) add(a.name, { kind: 'academie', code: a.slug, name: `Académie de ${a.name}` }, 4.2);
    for (const d of gazetteer.departements) {
      const place: PlaceRef = { kind: 'departement', code: d.code, name: `${d.name} (${d.code})` };
      add(d.name, place, 3);
      add(d.code, place, 3);
    }
    for (const c of gazetteer.communes) {
      const place: PlaceRef = { kind: 'commune', code: c.code, name: `${c.name} (${c.departement})` };
      // Bigger towns first among communes: rank 4 plus a fraction that shrinks with population.
      const rank = 4 + 1 / (1 + Math.log10(1 + c.population));
      add(c.name, place, rank);
      for (const pc of c.postalCodes) add(pc, { ...place, name: `${c.name} (${pc})` }, rank);
    }
    this.entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.rank - b.rank));
  }

  /** Up to `limit` places whose name (or code) starts with `prefix`, best first; [] for an empty prefix. */
  suggest(prefix: string, limit = MAX_SUGGESTIONS): PlaceRef[] {
    const key = fold(String(prefix).slice(0, 100)).replace(/[^a-z0-9]+/g, ' ').trim();
    const max = Math.max(0, Math.min(limit, MAX_SUGGESTIONS));
    if (!key || max === 0) return [];
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.key < key) lo = mid + 1;
      else hi = mid;
    }
    // Keep the best `max` of the matching range (it can be thousands long for one letter).
    const best: Entry[] = [];
    const seen = new Set<string>();
    for (let i = lo; i < this.entries.length && this.entries[i]!.key.startsWith(key); i++) {
      const entry = this.entries[i]!;
      const exact = entry.key === key ? -10 : 0;
      const score = entry.rank + exact;
      if (best.length === max && score >= scoreOf(best[best.length - 1]!, key)) continue;
      const id = `${entry.place.kind}:${entry.place.code}:${entry.place.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      let j = best.length;
      while (j > 0 && scoreOf(best[j - 1]!, key) > score) j--;
      best.splice(j, 0, entry);
      if (best.length > max) best.pop();
    }
    return best.map((e) => e.place);
  }
}

function scoreOf(entry: Entry, key: string): number {
  return entry.rank + (entry.key === key ? -10 : 0);
}

/**
 * The suggester of `gazetteer`, built on first use and shared by every bot on it (listing
 * and sorting some 70,000 names takes about 180 ms; the suggester is only read once built).
 */
export const suggesterFor = oncePer((gazetteer: Gazetteer) => new PlaceSuggester(gazetteer));
