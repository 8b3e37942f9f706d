/**
 * Reads a list of places typed by an admin or a subscriber ("Occitanie, 31, Lille, national",
 * "region:76"), each part resolved on its own; parts that match nothing are returned by name.
 */
import type { PlaceKind, PlaceRef } from '../base/types.js';
import { NATIONAL, type Gazetteer } from '../places/gazetteer.js';
import type { Understander } from '../understand/index.js';
import { fold } from '../base/text.js';
import { PLACE_KINDS } from '../base/types.js';

// "national:fr" is how a follow button names the whole country ("national:FR", folded).
const NATIONAL_WORDS = new Set(['national', 'national:fr', 'nationale', 'france', 'fr', 'partout', 'nationwide', 'toute la france', 'everywhere']);
const MAX_PARTS = 20;

/** Resolves one place typed on its own, or null. */
export function resolvePlace(text: string, understander: Understander, gazetteer: Gazetteer): PlaceRef | null {
  const part = text.trim();
  const folded = fold(part);
  if (NATIONAL_WORDS.has(folded)) return NATIONAL;
  const typed = /^([a-z]+):(\S+)$/.exec(folded);
  if (typed && (PLACE_KINDS as readonly string[]).includes(typed[1]!)) {
    const code = typed[1] === 'departement' ? typed[2]!.toUpperCase() : typed[2]!;
    return gazetteer.get(typed[1] as PlaceKind, code);
  }
  if (/^(\d{2}|2[ab]|97\d)$/.test(folded)) return gazetteer.get('departement', folded.toUpperCase());
  if (/^\d{5}$/.test(folded)) {
    const commune = gazetteer.communesByPostalCodeOf(folded)[0] ?? gazetteer.commune(folded);
    return commune ? { kind: 'commune', code: commune.code, name: commune.name } : null;
  }
  return understander.understand(`à ${part}`).place ?? understander.understand(part).place;
}

/** Resolves a comma- (or "et"/"and"-) separated list of places. */
export function resolvePlaces(text: string, understander: Understander, gazetteer: Gazetteer): { places: PlaceRef[]; unknown: string[] } {
  const places: PlaceRef[] = [];
  const unknown: string[] = [];
  const parts = text
    .split(/[,;\n]|\s+et\s+|\s+and\s+/i)
    .map((p) => p.trim())
    .filter(Boolean)
    .slice(0, MAX_PARTS);
  for (const part of parts) {
    const place = resolvePlace(part, understander, gazetteer);
    if (!place) unknown.push(part.slice(0, 80));
    else if (!places.some((p) => p.kind === place.kind && p.code === place.code)) places.push(place);
  }
  return { places, unknown };
}
