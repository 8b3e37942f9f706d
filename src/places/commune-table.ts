/**
 * The ~35,000 communes, looked up by code and postal code. Built from a list (the official
 * data) or from columns (the reference snapshot); from columns, a commune object is made
 * only when it is first asked for, so a process answering one question about a région never
 * builds 35,000 of them.
 */

/** A commune with its postal codes and population (for picking the likeliest homonym). */
export interface Commune {
  code: string;
  name: string;
  departement: string;
  region: string;
  postalCodes: string[];
  population: number;
}

/** Communes as columns, quick to store and to read back. */
export interface CommuneColumns {
  count: number;
  /** Codes joined with ",". */
  codes: string;
  /** Names joined with "\n". */
  names: string;
  /** Département codes joined with ",". */
  departements: string;
  /** Région codes joined with ",". */
  regions: string;
  /** Each commune's postal codes joined with " ", communes joined with ",". */
  postalCodes: string;
  populations: Float64Array;
}

interface Split {
  codes: string[];
  names: string[];
  departements: string[];
  regions: string[];
  postalCodes: string[];
  populations: Float64Array;
}

/** Communes by row, code and postal code. */
export class CommuneTable {
  readonly size: number;
  private readonly rows: (Commune | undefined)[];
  private readonly columns: Split | null;
  private list: Commune[] | null = null;
  private rowByCode: Map<string, number> | null = null;
  private rowsByPostalCode: Map<string, number[]> | null = null;
  private readonly byPostalCode = new Map<string, Commune[]>();

  /** From communes already built (the official data). */
  static fromList(communes: Commune[]): CommuneTable {
    return new CommuneTable(communes, null);
  }

  /** From columns written by `toColumns`; throws when they do not line up. */
  static fromColumns(c: CommuneColumns): CommuneTable {
    const split = (text: string, separator: string) => (c.count === 0 ? [] : text.split(separator));
    const columns: Split = {
      codes: split(c.codes, ','),
      names: split(c.names, '\n'),
      departements: split(c.departements, ','),
      regions: split(c.regions, ','),
      postalCodes: split(c.postalCodes, ','),
      populations: c.populations,
    };
    if (Object.values(columns).some((column: { length: number }) => column.length !== c.count)) {
      throw new Error('commune columns of different lengths');
    }
    return new CommuneTable(new Array<Commune | undefined>(c.count), columns);
  }

  private constructor(rows: (Commune | undefined)[], columns: Split | null) {
    this.rows = rows;
    this.columns = columns;
    this.size = rows.length;
    if (!columns) this.list = rows as Commune[];
  }

  /** Every commune, in the official data's order. */
  all(): Commune[] {
    if (!this.list) {
      const list = new Array<Commune>(this.size);
      for (let i = 0; i < this.size; i++) list[i] = this.row(i);
      this.list = list;
    }
    return this.list;
  }

  /** The commune with this INSEE code. */
  byCode(code: string): Commune | undefined {
    if (!this.rowByCode) {
      const codes = this.columns?.codes ?? this.all().map((c) => c.code);
      this.rowByCode = new Map();
      for (let i = 0; i < codes.length; i++) this.rowByCode.set(codes[i]!, i);
    }
    const i = this.rowByCode.get(code);
    return i === undefined ? undefined : this.row(i);
  }

  /** Communes served by a postal code, most populous first. */
  byPostal(postalCode: string): Commune[] {
    let found = this.byPostalCode.get(postalCode);
    if (found) return found;
    this.rowsByPostalCode ??= this.indexPostalCodes();
    const rows = this.rowsByPostalCode.get(postalCode);
    if (!rows) return [];
    found = rows.map((i) => this.row(i)).sort((a, b) => b.population - a.population);
    this.byPostalCode.set(postalCode, found);
    return found;
  }

  /** The communes as columns; throws when a value holds a separator. */
  toColumns(): CommuneColumns {
    const c = this.all();
    const bad = c.find((x) => /[,\s]/.test(x.code + x.departement + x.region + x.postalCodes.join('')) || x.name.includes('\n'));
    if (bad) throw new Error(`commune ${JSON.stringify(bad.code)} cannot be stored in columns`);
    return {
      count: c.length,
      codes: c.map((x) => x.code).join(','),
      names: c.map((x) => x.name).join('\n'),
      departements: c.map((x) => x.departement).join(','),
      regions: c.map((x) => x.region).join(','),
      postalCodes: c.map((x) => x.postalCodes.join(' ')).join(','),
      populations: Float64Array.from(c, (x) => x.population),
    };
  }

  private row(i: number): Commune {
    let commune = this.rows[i];
    if (!commune) {
      const c = this.columns!;
      const pcs = c.postalCodes[i]!;
      commune = {
        code: c.codes[i]!,
        name: c.names[i]!,
        departement: c.departements[i]!,
        region: c.regions[i]!,
        postalCodes: pcs === '' ? [] : pcs.split(' '),
        population: c.populations[i]!,
      };
      this.rows[i] = commune;
    }
    return commune;
  }

  private indexPostalCodes(): Map<string, number[]> {
    const index = new Map<string, number[]>();
    const add = (pc: string, i: number) => {
      const list = index.get(pc);
      if (list) list.push(i);
      else index.set(pc, [i]);
    };
    for (let i = 0; i < this.size; i++) {
      if (this.columns) {
        const pcs = this.columns.postalCodes[i]!;
        if (pcs !== '') for (const pc of pcs.split(' ')) add(pc, i);
      } else {
        for (const pc of this.rows[i]!.postalCodes) add(pc, i);
      }
    }
    return index;
  }
}
