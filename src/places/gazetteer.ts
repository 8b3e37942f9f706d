/**
 * The places Vigie knows: régions, départements and communes from the official
 * @etalab/decoupage-administratif data, académies from content/, and how they nest.
 * Overseas collectivities (COM: Polynésie, Nouvelle-Calédonie, ...) are left out: their
 * schools are run by vice-rectorats, outside the 30 académies.
 */
import { createRequire } from 'node:module';
import type { PlaceKind, PlaceRef } from '../base/types.js';
import type { Academie } from '../content/schemas.js';
import { CommuneTable, type Commune, type CommuneColumns } from './commune-table.js';

export type { Commune } from './commune-table.js';

const require = createRequire(import.meta.url);

/** A région as Vigie holds it. */
export interface Region {
  code: string;
  name: string;
}

/** A département with the région and académie it belongs to. */
export interface Departement {
  code: string;
  name: string;
  region: string;
  academie: string;
}


interface RawRegion {
  code: string;
  nom: string;
  zone: string;
}
interface RawDepartement {
  code: string;
  nom: string;
  region: string;
  zone: string;
}
interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  region?: string;
  codesPostaux?: string[];
  population?: number;
  zone: string;
}

/** The key of a place in maps and indexes: "region:76", "commune:31555". */
export function placeKey(place: { kind: PlaceKind; code: string }): string {
  return `${place.kind}:${place.code}`;
}

/** The national place. */
export const NATIONAL: PlaceRef = Object.freeze({ kind: 'national', code: 'FR', name: 'France' });

/** The official data as the package ships it (régions, départements, communes). */
export interface OfficialData {
  regions: RawRegion[];
  departements: RawDepartement[];
  communes: RawCommune[];
}

/**
 * The gazetteer's own data, already filtered, in a compact form that is quick to store and
 * read back (the reference snapshot): régions and départements as they are, communes as
 * columns.
 */
export interface GazetteerData {
  regions: Region[];
  departements: Departement[];
  communes: CommuneColumns;
}

/** Régions, académies, départements and communes, with their nesting. */
export class Gazetteer {
  readonly regions: Region[];
  readonly academies: Academie[];
  readonly departements: Departement[];
  /** Old and everyday région names → région code. */
  readonly regionAliases: { name: string; region: string }[];

  private readonly regionByCode = new Map<string, Region>();
  private readonly academieBySlug = new Map<string, Academie>();
  private readonly departementByCode = new Map<string, Departement>();
  private readonly communeTable: CommuneTable;

  /** Builds from the official data (read from the package by default) or from data saved by `toData`. */
  constructor(academies: Academie[], regionAliases: { name: string; region: string }[], source: OfficialData | GazetteerData = loadOfficialData()) {
    this.academies = academies;
    this.regionAliases = regionAliases;
    for (const a of academies) this.academieBySlug.set(a.slug, a);
    if (isGazetteerData(source)) {
      this.regions = source.regions;
      this.departements = source.departements;
      this.communeTable = CommuneTable.fromColumns(source.communes);
    } else {
      const selected = selectOfficial(source, academies);
      this.regions = selected.regions;
      this.departements = selected.departements;
      this.communeTable = CommuneTable.fromList(selected.communes);
    }
    for (const r of this.regions) this.regionByCode.set(r.code, r);
    for (const d of this.departements) this.departementByCode.set(d.code, d);
  }

  /** Every commune (about 35,000), in the official data's order. */
  get communes(): Commune[] {
    return this.communeTable.all();
  }

  /** The data to rebuild this gazetteer with (académies and aliases come from content/). */
  toData(): GazetteerData {
    return { regions: this.regions, departements: this.departements, communes: this.communeTable.toColumns() };
  }

  region(code: string): Region | undefined {
    return this.regionByCode.get(code);
  }
  academie(slug: string): Academie | undefined {
    return this.academieBySlug.get(slug);
  }
  departement(code: string): Departement | undefined {
    return this.departementByCode.get(code);
  }
  commune(code: string): Commune | undefined {
    return this.communeTable.byCode(code);
  }
  /** Communes served by a postal code, most populous first. */
  communesByPostalCodeOf(postalCode: string): Commune[] {
    return this.communeTable.byPostal(postalCode);
  }

  /** The full reference of a place from its kind and code, or null when unknown. */
  get(kind: PlaceKind, code: string): PlaceRef | null {
    switch (kind) {
      case 'national':
        return code === 'FR' ? NATIONAL : null;
      case 'region': {
        const r = this.regionByCode.get(code);
        return r ? { kind, code, name: r.name } : null;
      }
      case 'academie': {
        const a = this.academieBySlug.get(code);
        return a ? { kind, code, name: a.name } : null;
      }
      case 'departement': {
        const d = this.departementByCode.get(code);
        return d ? { kind, code, name: d.name } : null;
      }
      case 'commune': {
        const c = this.communeTable.byCode(code);
        return c ? { kind, code, name: c.name } : null;
      }
    }
  }

  /**
   * The places that contain this one, widest first, the place itself excluded:
   * a commune → national, région, académie, département.
   */
  ancestors(place: { kind: PlaceKind; code: string }): PlaceRef[] {
    const out: PlaceRef[] = [];
    const push = (kind: PlaceKind, code: string | undefined) => {
      if (code === undefined) return;
      const ref = this.get(kind, code);
      if (ref) out.push(ref);
    };
    switch (place.kind) {
      case 'national':
        return [];
      case 'region':
        push('national', 'FR');
        break;
      case 'academie': {
        push('national', 'FR');
        push('region', this.academieBySlug.get(place.code)?.region);
        break;
      }
      case 'departement': {
        const d = this.departementByCode.get(place.code);
        push('national', 'FR');
        push('region', d?.region);
        push('academie', d?.academie);
        break;
      }
      case 'commune': {
        const c = this.communeTable.byCode(place.code);
        const d = c ? this.departementByCode.get(c.departement) : undefined;
        push('national', 'FR');
        push('region', c?.region);
        push('academie', d?.academie);
        push('departement', c?.departement);
        break;
      }
    }
    return out;
  }

  /** True when `inner` is `outer` or lies inside it. */
  contains(outer: { kind: PlaceKind; code: string }, inner: { kind: PlaceKind; code: string }): boolean {
    if (outer.kind === inner.kind && outer.code === inner.code) return true;
    const key = placeKey(outer);
    return this.ancestors(inner).some((a) => placeKey(a) === key);
  }
}

/** Reads the official data shipped by @etalab/decoupage-administratif. */
export function loadOfficialData(): OfficialData {
  return {
    regions: require('@etalab/decoupage-administratif/data/regions.json') as RawRegion[],
    departements: require('@etalab/decoupage-administratif/data/departements.json') as RawDepartement[],
    communes: require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[],
  };
}

function isGazetteerData(source: OfficialData | GazetteerData): source is GazetteerData {
  return !Array.isArray(source.communes);
}

/** What Vigie keeps of the official data: no overseas collectivities, départements inside an académie. */
function selectOfficial(raw: OfficialData, academies: Academie[]): { regions: Region[]; departements: Departement[]; communes: Commune[] } {
  const regions = raw.regions.filter((r) => r.zone !== 'com').map((r) => ({ code: r.code, name: r.nom }));
  const academieOf = new Map<string, string>();
  for (const a of academies) for (const d of a.departements) academieOf.set(d, a.slug);
  const departements: Departement[] = [];
  for (const d of raw.departements) {
    if (d.zone === 'com') continue;
    const academie = academieOf.get(d.code);
    if (!academie) continue;
    departements.push({ code: d.code, name: d.nom, region: d.region, academie });
  }
  const known = new Set(departements.map((d) => d.code));
  const communes: Commune[] = [];
  for (const c of raw.communes) {
    if (c.type !== 'commune-actuelle' || !c.departement || !c.region) continue;
    if (!known.has(c.departement)) continue;
    communes.push({
      code: c.code,
      name: c.nom,
      departement: c.departement,
      region: c.region,
      postalCodes: c.codesPostaux ?? [],
      population: c.population ?? 0,
    });
  }
  return { regions, departements, communes };
}
