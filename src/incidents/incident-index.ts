/**
 * Which incidents are in effect for a question: by service, place (with nesting), level and
 * time. Built once from a list of incidents; each lookup touches only the buckets of the
 * asked place and its ancestors, so it stays fast with tens of thousands of incidents.
 */
import type { Level, PlaceRef, Status, TimePrecision } from '../base/types.js';
import { spanEnd } from '../base/precision.js';
import type { Gazetteer } from '../places/gazetteer.js';
import { placeKey } from '../places/gazetteer.js';
import type { Incident } from './schema.js';

/**
 * How far back a resolution still counts, by default: answers mention it ("restored at
 * 17:30") and, for the service and place it covered, say the service is operational on the
 * source's word. After it, nothing official is in effect and the status is unknown.
 * Configurable with VIGIE_ALL_CLEAR_HOURS.
 */
export const RECENTLY_RESOLVED_MS = 24 * 3600_000;

/** Options of an index. */
export interface IncidentIndexOptions {
  /** How long after its resolution an incident still counts as an official all-clear (default 24 h). */
  resolvedWindowMs?: number;
}

/** Higher is worse; used to sort incidents worst first. */
export const STATUS_SEVERITY: Record<Status, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

/** What a lookup asks for: null service or place means any. */
export interface IncidentQuery {
  service: string | null;
  place: PlaceRef | null;
  level: Level | null;
  at: Date;
}

/**
 * What is in effect at the asked time, worst first, and what was resolved within the index's
 * resolved window (24 hours by default).
 * With a limit, the lists hold the first `limit` and the counts say how many there are in all.
 */
export interface IncidentMatches {
  active: Incident[];
  recentlyResolved: Incident[];
  activeCount: number;
  recentlyResolvedCount: number;
}

/** What an answer reads of an index besides its own lookup. */
export type IndexView = Pick<IncidentIndex, 'find' | 'latestUpdateAt' | 'latestUpdatePrecision'>;

interface Entry {
  incident: Incident;
  start: number;
  resolved: number | null;
  lastUpdate: number;
  severity: number;
  /** The last lookup that collected this entry (dedupes without allocating a Set). */
  stamp: number;
}

/** Worst first, then the most recently updated. */
const byConcern = (a: Entry, b: Entry) => b.severity - a.severity || b.lastUpdate - a.lastUpdate;

const ANY = '*';
/** Distinct lookups remembered before the memo starts over. */
const MEMO_SIZE = 20_000;

/**
 * Lookups collect entries once each by marking them with the lookup's number; entries are
 * shared between an index and the ones made from it by `withChanges`, so the numbers are
 * unique across all indexes, not per index.
 */
let lookups = 0;

/**
 * Incidents indexed by service and place, answering "what is in effect here, now?". An index
 * never changes once built (answers are memoised per index and epoch); `withChanges` makes the
 * next one from it, sharing what did not change.
 */
export class IncidentIndex {
  /** By id, in the order given (an incident changed later moves to the end). */
  private readonly entries: Map<string, Entry>;
  /** `${service}|${placeKey}` → incidents whose scope names this place. */
  private readonly atPlace: Map<string, Entry[]>;
  /** `${service}|${placeKey}` → incidents whose scope names a place strictly inside this one. */
  private readonly inside: Map<string, Entry[]>;
  /** Service → all its incidents (national questions); ANY → every incident. */
  private readonly byService: Map<string, Entry[]>;
  private readonly ancestorKeys: Map<string, string[]>;
  private latest: string | null = null;
  /** The scenario the latest update comes from, when replayed or loaded demo data. */
  private latestDemo: string | undefined;
  /** How precisely the latest update's time is known ("ce soir"), when its source gave no minute. */
  private latestPrecision: TimePrecision | undefined;
  /** Incidents that come from a scenario (replayed, or loaded into the store): id → scenario. */
  private readonly scenarios: Map<string, string>;
  /** Instants at which the answer to some lookup can change: starts, resolutions, ends of the resolved window, expected recoveries. */
  private changes: number[] = [];
  /** Lookups already made, per epoch between two changes: a crisis morning asks the same things again and again. */
  private readonly memo = new Map<string, IncidentMatches>();
  /**
   * The lookups of the index this one was made from by `withChanges`, and what that change
   * touched: a lookup the change cannot reach gets the very result the previous index gave
   * (the same frozen object, so replies memoised on it stay good) instead of a new one. Only
   * one step back, and only while the change instants are the same (epochs then mean the same).
   */
  private inherited: { memo: Map<string, IncidentMatches>; touched: Touched[] } | null = null;

  /** How long after its resolution an incident is still listed (and counts as an all-clear). */
  readonly resolvedWindowMs: number;

  constructor(
    incidents: readonly Incident[],
    private readonly gazetteer: Gazetteer,
    options: IncidentIndexOptions = {},
    /** The index `withChanges` starts from (internal). */
    from?: IncidentIndex,
  ) {
    this.resolvedWindowMs = from?.resolvedWindowMs ?? options.resolvedWindowMs ?? RECENTLY_RESOLVED_MS;
    this.entries = new Map(from?.entries);
    this.atPlace = new Map(from?.atPlace);
    this.inside = new Map(from?.inside);
    this.byService = new Map(from?.byService);
    this.scenarios = new Map(from?.scenarios);
    // Derived from the gazetteer only: shared.
    this.ancestorKeys = from?.ancestorKeys ?? new Map();
    if (from) return;
    for (const incident of incidents) this.add(incident, false);
    // Buckets sorted once here: a lookup then joins a few sorted runs, which sorts in near-linear time.
    for (const map of [this.atPlace, this.inside, this.byService]) for (const list of map.values()) list.sort(byConcern);
    this.derive();
  }

  /**
   * The index with these changes: `changed` incidents replace those with their id (or are
   * added), `removed` ids go. This index stays as it was; the new one shares its unchanged
   * buckets, so the cost is what changed (a few buckets each) plus a shallow copy of the maps,
   * not a rebuild: a process following a store takes another process's update this way.
   */
  withChanges(changed: readonly Incident[], removed: readonly string[] = []): IncidentIndex {
    const next = new IncidentIndex([], this.gazetteer, {}, this);
    // Buckets this change touches are copied before they are changed (the old index keeps its own).
    const copied = new Set<Entry[]>();
    const own = (map: Map<string, Entry[]>, key: string): Entry[] | undefined => {
      const list = map.get(key);
      if (!list || copied.has(list)) return list;
      const copy = [...list];
      copied.add(copy);
      map.set(key, copy);
      return copy;
    };
    const touched: Touched[] = [];
    const touch = (incident: Incident | undefined) => {
      if (!incident) return;
      const keys = new Set<string>();
      const inside = new Set<string>();
      for (const place of incident.scope.places) {
        keys.add(placeKey(place));
        for (const ancestor of this.gazetteer.ancestors(place)) inside.add(placeKey(ancestor));
      }
      touched.push({ service: incident.service, keys, inside });
    };
    for (const id of removed) {
      touch(this.entries.get(id)?.incident);
      next.remove(id, own);
    }
    for (const incident of changed) {
      touch(this.entries.get(incident.id)?.incident);
      touch(incident);
      next.remove(incident.id, own);
      next.add(incident, true, own);
    }
    next.derive();
    if (sameNumbers(next.changes, this.changes)) {
      // Same instants: share them, and let unreached lookups keep their results.
      next.changes = this.changes;
      next.inherited = { memo: this.memo, touched };
    }
    return next;
  }

  /** Whether a change to these incidents can alter a lookup of this service (ANY: all) and place key (null: national). */
  private reaches(touched: readonly Touched[], service: string, place: PlaceRef | null, key: string | null): boolean {
    const ancestors = place && key !== null ? this.ancestorsOf(place, key) : null;
    for (const t of touched) {
      if (service !== ANY && service !== t.service) continue;
      if (key === null || ancestors === null) return true;
      // The incident names the place, a place inside it, or one of its ancestors.
      if (t.keys.has(key) || t.inside.has(key)) return true;
      for (const a of ancestors) if (t.keys.has(a)) return true;
    }
    return false;
  }

  /** Whether an incident with this id is indexed. */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** How many incidents are indexed. */
  get size(): number {
    return this.entries.size;
  }

  /** Every incident, as given. */
  all(): Incident[] {
    return [...this.entries.values()].map((e) => e.incident);
  }

  /** The scenario an incident comes from (demo data, replayed or loaded into the store), if any. */
  scenarioOf(id: string): string | undefined {
    return this.scenarios.get(id);
  }

  /** The scenario of the most recent update's incident, when that update is demo data. */
  latestUpdateScenario(): string | undefined {
    return this.latestDemo;
  }

  /** The time of the most recent official update (ISO-8601), or null when there is no data. */
  latestUpdateAt(): string | null {
    return this.latest;
  }

  /** The precision of the latest update's time, when its source gave a span ("ce soir") rather than a minute. */
  latestUpdatePrecision(): TimePrecision | undefined {
    return this.latestPrecision;
  }

  /**
   * Files an incident under its buckets: `sorted`, in place in each bucket's order (else
   * appended, for a sort after); `own` gives a bucket this index may change.
   */
  private add(incident: Incident, sorted: boolean, own: (map: Map<string, Entry[]>, key: string) => Entry[] | undefined = (map, key) => map.get(key)): void {
    let lastUpdate = Date.parse(incident.startedAt);
    for (const u of incident.updates) {
      const t = Date.parse(u.at);
      if (t > lastUpdate) lastUpdate = t;
    }
    const entry: Entry = {
      incident,
      start: Date.parse(incident.startedAt),
      resolved: incident.resolvedAt === null ? null : Date.parse(incident.resolvedAt),
      lastUpdate,
      severity: STATUS_SEVERITY[incident.status],
      stamp: 0,
    };
    // Two incidents given with one id: the later one stands, as a change would.
    if (this.entries.has(incident.id)) this.remove(incident.id, own);
    this.entries.set(incident.id, entry);
    if (incident.scenario) this.scenarios.set(incident.id, incident.scenario);
    for (const { map, key } of this.keysOf(incident)) {
      const list = own(map, key);
      if (!list) map.set(key, [entry]);
      else if (sorted) insertSorted(list, entry);
      else list.push(entry);
    }
  }

  private remove(id: string, own: (map: Map<string, Entry[]>, key: string) => Entry[] | undefined): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.scenarios.delete(id);
    for (const { map, key } of this.keysOf(entry.incident)) {
      const list = own(map, key);
      if (!list) continue;
      const i = list.indexOf(entry);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) map.delete(key);
    }
  }

  /** Every bucket an incident is filed under, once each. */
  private keysOf(incident: Incident): { map: Map<string, Entry[]>; key: string }[] {
    const out: { map: Map<string, Entry[]>; key: string }[] = [];
    const seen = new Set<string>();
    const file = (map: Map<string, Entry[]>, tag: string, key: string) => {
      if (seen.has(tag + key)) return;
      seen.add(tag + key);
      out.push({ map, key });
    };
    for (const service of [incident.service, ANY]) {
      file(this.byService, 'S', service);
      for (const place of incident.scope.places) {
        file(this.atPlace, 'A', `${service}|${placeKey(place)}`);
        for (const ancestor of this.gazetteer.ancestors(place)) file(this.inside, 'I', `${service}|${placeKey(ancestor)}`);
      }
    }
    return out;
  }

  /** The latest update and the change instants, from the entries. */
  private derive(): void {
    let latest = -Infinity;
    let latestIso: string | null = null;
    let latestDemo: string | undefined;
    let latestPrecision: TimePrecision | undefined;
    const changes = new Set<number>();
    for (const e of this.entries.values()) {
      for (const u of e.incident.updates) {
        const t = Date.parse(u.at);
        if (t > latest) {
          latest = t;
          latestIso = u.at;
          latestDemo = e.incident.scenario;
          latestPrecision = u.precision;
        }
      }
      changes.add(e.start);
      // An expected recovery that passes changes how answers read ("announced for 8:00, no news since").
      // An announced span ("dès demain matin") passes once it is over.
      const recovery = e.incident.expectedRecovery;
      if (recovery?.at && e.resolved === null) changes.add(spanEnd(recovery.at, recovery.precision));
      if (e.resolved !== null) {
        changes.add(e.resolved);
        changes.add(e.resolved + this.resolvedWindowMs);
      }
    }
    this.latest = latestIso;
    this.latestDemo = latestDemo;
    this.latestPrecision = latestPrecision;
    this.changes = [...changes].sort((a, b) => a - b);
  }

  /**
   * Incidents in effect for a service, place and level at a time, and the recently resolved
   * ones. `limit` caps the lists (the counts stay exact): a national question over thousands
   * of incidents then costs one pass and no sort.
   */
  find(q: IncidentQuery, limit = Number.POSITIVE_INFINITY): IncidentMatches {
    const at = q.at.getTime();
    const place = q.place ? placeKey(q.place) : '';
    const memoKey = `${q.service ?? ANY}|${place}|${q.level ?? ''}|${limit}|${this.epoch(at)}`;
    const known = this.memo.get(memoKey);
    if (known) return known;
    const before = this.inherited?.memo.get(memoKey);
    const national = q.place === null || q.place.kind === 'national';
    const found = before && !this.reaches(this.inherited!.touched, q.service ?? ANY, q.place, national ? null : place) ? before : this.lookup(q, at, limit);
    if (this.memo.size >= MEMO_SIZE) this.memo.clear();
    this.memo.set(memoKey, found);
    return found;
  }

  /**
   * The epoch of an instant: how many change instants (an incident starting, ending, or leaving
   * the recently-resolved window) are at or before it. Two lookups on this index in the same
   * epoch have the same answer.
   */
  epochAt(at: Date): number {
    return this.epoch(at.getTime());
  }

  private epoch(at: number): number {
    let lo = 0;
    let hi = this.changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.changes[mid]! <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lookup(q: IncidentQuery, at: number, limit: number): IncidentMatches {
    const service = q.service ?? ANY;
    const candidates: Entry[][] = [];
    if (q.place === null || q.place.kind === 'national') {
      candidates.push(this.byService.get(service) ?? []);
    } else {
      const key = placeKey(q.place);
      for (const k of [key, ...this.ancestorsOf(q.place, key)]) {
        const bucket = this.atPlace.get(`${service}|${k}`);
        if (bucket) candidates.push(bucket);
      }
      const within = this.inside.get(`${service}|${key}`);
      if (within) candidates.push(within);
    }

    const since = at - this.resolvedWindowMs;
    const stamp = ++lookups;
    const active = new TopList(limit, byConcern);
    const resolved = new TopList(limit, byResolution);
    for (const bucket of candidates) {
      for (const entry of bucket) {
        if (entry.stamp === stamp) continue;
        entry.stamp = stamp;
        if (entry.start > at) continue;
        const levels = entry.incident.scope.levels;
        if (q.level !== null && levels.length > 0 && !levels.includes(q.level)) continue;
        if (entry.resolved === null || entry.resolved > at) active.offer(entry);
        else if (entry.resolved > since) resolved.offer(entry);
      }
    }
    // Frozen: the same result is handed to every later lookup of this epoch.
    return Object.freeze({
      active: Object.freeze(active.sorted().map((e) => e.incident)) as Incident[],
      recentlyResolved: Object.freeze(resolved.sorted().map((e) => e.incident)) as Incident[],
      activeCount: active.count,
      recentlyResolvedCount: resolved.count,
    });
  }

  private ancestorsOf(place: PlaceRef, key: string): string[] {
    let keys = this.ancestorKeys.get(key);
    if (!keys) {
      keys = this.gazetteer.ancestors(place).map(placeKey);
      this.ancestorKeys.set(key, keys);
    }
    return keys;
  }
}

/** What a change touched: an incident's service, the keys of the places it names, and of their ancestors. */
interface Touched {
  service: string;
  keys: Set<string>;
  inside: Set<string>;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Most recently resolved first. */
const byResolution = (a: Entry, b: Entry) => (b.resolved ?? 0) - (a.resolved ?? 0);

/**
 * Keeps the first `limit` entries by an order while counting all offered: unbounded, it
 * keeps everything and sorts once; bounded, it keeps a small sorted array (limits are tiny).
 */
class TopList {
  count = 0;
  private readonly items: Entry[] = [];
  constructor(
    private readonly limit: number,
    private readonly order: (a: Entry, b: Entry) => number,
  ) {}

  offer(entry: Entry): void {
    this.count++;
    if (!Number.isFinite(this.limit)) {
      this.items.push(entry);
      return;
    }
    if (this.items.length >= this.limit) {
      const last = this.items[this.items.length - 1]!;
      if (this.order(entry, last) >= 0) return;
      this.items.pop();
    }
    let i = this.items.length;
    while (i > 0 && this.order(entry, this.items[i - 1]!) < 0) i--;
    this.items.splice(i, 0, entry);
  }

  sorted(): Entry[] {
    if (!Number.isFinite(this.limit)) this.items.sort(this.order);
    return this.items;
  }
}

/** Inserts into a bucket kept in `byConcern` order (after its equals). */
function insertSorted(list: Entry[], entry: Entry): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byConcern(list[mid]!, entry) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, entry);
}
