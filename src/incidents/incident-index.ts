/**
 * Which incidents are in effect for a question: by service, place (with nesting), level and
 * time. Built once from a list of incidents; each lookup touches only the buckets of the
 * asked place and its ancestors, so it stays fast with tens of thousands of incidents.
 */
import type { Level, PlaceRef, Status } from '../types.js';
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

/** Incidents indexed by service and place, answering "what is in effect here, now?". */
export class IncidentIndex {
  private readonly entries: Entry[];
  /** `${service}|${placeKey}` → incidents whose scope names this place. */
  private readonly atPlace = new Map<string, Entry[]>();
  /** `${service}|${placeKey}` → incidents whose scope names a place strictly inside this one. */
  private readonly inside = new Map<string, Entry[]>();
  /** Service → all its incidents (national questions); ANY → every incident. */
  private readonly byService = new Map<string, Entry[]>();
  private readonly ancestorKeys = new Map<string, string[]>();
  private readonly latest: string | null;
  /** The scenario the latest update comes from, when replayed or loaded demo data. */
  private readonly latestDemo: string | undefined;
  /** Incidents that come from a scenario (replayed, or loaded into the store): id → scenario. */
  private readonly scenarios = new Map<string, string>();
  private stamp = 0;
  /** Instants at which the answer to some lookup can change: starts, resolutions, ends of the resolved window, expected recoveries. */
  private readonly changes: number[];
  /** Lookups already made, per epoch between two changes: a crisis morning asks the same things again and again. */
  private readonly memo = new Map<string, IncidentMatches>();

  /** How long after its resolution an incident is still listed (and counts as an all-clear). */
  readonly resolvedWindowMs: number;

  constructor(
    incidents: Incident[],
    private readonly gazetteer: Gazetteer,
    options: IncidentIndexOptions = {},
  ) {
    this.resolvedWindowMs = options.resolvedWindowMs ?? RECENTLY_RESOLVED_MS;
    this.entries = [];
    let latest = -Infinity;
    let latestIso: string | null = null;
    let latestDemo: string | undefined;
    for (const incident of incidents) {
      if (incident.scenario) this.scenarios.set(incident.id, incident.scenario);
      let lastUpdate = Date.parse(incident.startedAt);
      for (const u of incident.updates) {
        const t = Date.parse(u.at);
        if (t > lastUpdate) lastUpdate = t;
        if (t > latest) {
          latest = t;
          latestIso = u.at;
          latestDemo = incident.scenario;
        }
      }
      const entry: Entry = {
        incident,
        start: Date.parse(incident.startedAt),
        resolved: incident.resolvedAt === null ? null : Date.parse(incident.resolvedAt),
        lastUpdate,
        severity: STATUS_SEVERITY[incident.status],
        stamp: 0,
      };
      this.entries.push(entry);
      for (const service of [incident.service, ANY]) {
        push(this.byService, service, entry);
        for (const place of incident.scope.places) {
          push(this.atPlace, `${service}|${placeKey(place)}`, entry);
          for (const ancestor of this.gazetteer.ancestors(place)) {
            push(this.inside, `${service}|${placeKey(ancestor)}`, entry);
          }
        }
      }
    }
    this.latest = latestIso;
    this.latestDemo = latestDemo;
    const changes = new Set<number>();
    for (const e of this.entries) {
      changes.add(e.start);
      // An expected recovery that passes changes how answers read ("announced for 8:00, no news since").
      const recovery = e.incident.expectedRecovery?.at;
      if (recovery && e.resolved === null) changes.add(Date.parse(recovery));
      if (e.resolved !== null) {
        changes.add(e.resolved);
        changes.add(e.resolved + this.resolvedWindowMs);
      }
    }
    this.changes = [...changes].sort((a, b) => a - b);
    // Buckets sorted once here: a lookup then joins a few sorted runs, which sorts in near-linear time.
    for (const map of [this.atPlace, this.inside, this.byService]) for (const list of map.values()) list.sort(byConcern);
  }

  /** Every incident, as given. */
  all(): Incident[] {
    return this.entries.map((e) => e.incident);
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

  /**
   * Incidents in effect for a service, place and level at a time, and the recently resolved
   * ones. `limit` caps the lists (the counts stay exact): a national question over thousands
   * of incidents then costs one pass and no sort.
   */
  find(q: IncidentQuery, limit = Number.POSITIVE_INFINITY): IncidentMatches {
    const at = q.at.getTime();
    const memoKey = `${q.service ?? ANY}|${q.place ? placeKey(q.place) : ''}|${q.level ?? ''}|${limit}|${this.epoch(at)}`;
    const known = this.memo.get(memoKey);
    if (known) return known;
    const found = this.lookup(q, at, limit);
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
    const stamp = ++this.stamp;
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

function push(map: Map<string, Entry[]>, key: string, entry: Entry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}
