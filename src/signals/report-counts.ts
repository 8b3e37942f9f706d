/**
 * What the report desk keeps in memory so a report's reply needs no query (#15, item 2):
 *
 * - ReporterCounts: the distinct people who reported per service × place over the last 30
 *   minutes, rolled up along the map (a report naming Montpellier counts for Montpellier, the
 *   Hérault, the académie de Montpellier, Occitanie and France; for its service and for "any
 *   service"). One person counts once per key however often they write. It answers what the
 *   store's `reporters(scope, from, to)` answers, for `to` the latest time seen.
 * - RateGate: the times of each reporter's stored reports within the rate window, so the limit
 *   (10 per 10 minutes) is checked and a place reserved synchronously, with no query. The
 *   store checks again when it writes (the truth across instances and restarts).
 *
 * Both are fed with the reports stored and warmed from the store at start; both forget what
 * is older than their window (memory holds the people of the last 30 minutes).
 */
import type { PlaceKind } from '../base/types.js';

/** The places containing a place, as the gazetteer says (src/places/gazetteer.ts implements it). */
export interface PlaceContainment {
  ancestors(place: { kind: PlaceKind; code: string }): { kind: PlaceKind; code: string }[];
}

/** What a counted report needs. */
export interface CountedReport {
  at: Date;
  service: string | null;
  place: { kind: PlaceKind; code: string } | null;
  reporter: string;
}

/** Reporters of one key: reporter → latest time, in the order of those times while `ordered`. */
interface Voices {
  last: Map<string, number>;
  ordered: boolean;
  maxAt: number;
}

const ANY_SERVICE = '*';
const ANYWHERE = 'all';
/** Kinds a place's count rolls up to (the store's denormalised columns, and national). */
const ROLL_UP_KINDS: ReadonlySet<PlaceKind> = new Set(['departement', 'academie', 'region']);
/** After this many reports, keys no report came to within the window are dropped. */
const SWEEP_EVERY = 4_096;

/** Distinct reporters per service × place over a sliding window; see the module comment. */
export class ReporterCounts {
  private readonly keys = new Map<string, Voices>();
  private readonly placeKeys = new Map<string, string[]>();
  private latest = -Infinity;
  private added = 0;

  constructor(
    private readonly windowMs: number,
    private readonly places: PlaceContainment | null = null,
  ) {}

  /** Counts `report` (a person already counted later for a key is left as is). */
  add(report: CountedReport): void {
    const at = report.at.getTime();
    if (!Number.isFinite(at)) return;
    if (at > this.latest) this.latest = at;
    const places = this.placeKeysOf(report.place);
    const services = report.service === null ? [ANY_SERVICE] : [report.service, ANY_SERVICE];
    // The narrowest key first: when the person is already there at this time or later, they
    // are in every wider key too (all are fed together), so a report read twice costs one lookup.
    const narrowest = this.keys.get(`${services[0]}|${places[0]}`)?.last.get(report.reporter);
    if (narrowest !== undefined && narrowest >= at) return;
    for (const service of services) {
      for (const place of places) this.touch(`${service}|${place}`, report.reporter, at);
    }
    if (++this.added % SWEEP_EVERY === 0) this.sweep();
  }

  /**
   * Distinct reporters within `scope` with a report in [at - window, at]: the service (any when
   * null) and the place (reports naming a place inside it included; anywhere when null or national).
   */
  count(scope: { service: string | null; place: { kind: PlaceKind; code: string } | null }, at: Date): number {
    const place = scope.place === null || scope.place.kind === 'national' ? ANYWHERE : `${scope.place.kind}:${scope.place.code}`;
    const key = `${scope.service ?? ANY_SERVICE}|${place}`;
    const voices = this.keys.get(key);
    if (!voices) return 0;
    const to = at.getTime();
    const from = to - this.windowMs;
    if (!voices.ordered) reorder(voices);
    // Oldest first: whoever was last seen before the window is gone for good (times only move on).
    for (const [reporter, t] of voices.last) {
      if (t >= from) break;
      voices.last.delete(reporter);
    }
    if (voices.last.size === 0) {
      this.keys.delete(key);
      return 0;
    }
    if (voices.maxAt <= to) return voices.last.size;
    // Asked about a time before some reports (a clock set back): count those up to it.
    let n = 0;
    for (const t of voices.last.values()) if (t <= to) n++;
    return n;
  }

  /** How many keys and voices are held (bounded by the people of the last window). */
  size(): { keys: number; voices: number } {
    let voices = 0;
    for (const v of this.keys.values()) voices += v.last.size;
    return { keys: this.keys.size, voices };
  }

  private touch(key: string, reporter: string, at: number): void {
    let voices = this.keys.get(key);
    if (!voices) {
      voices = { last: new Map(), ordered: true, maxAt: -Infinity };
      this.keys.set(key, voices);
    }
    const before = voices.last.get(reporter);
    if (before !== undefined) {
      if (before >= at) return;
      voices.last.delete(reporter);
    }
    // Appended: still in time order unless an older report comes after a newer one.
    voices.last.set(reporter, at);
    if (at < voices.maxAt) voices.ordered = false;
    else voices.maxAt = at;
  }

  /** The keys a report at `place` counts under, narrowest first: the place, its containers, anywhere. */
  private placeKeysOf(place: CountedReport['place']): string[] {
    if (place === null || place.kind === 'national') return [ANYWHERE];
    const own = `${place.kind}:${place.code}`;
    let keys = this.placeKeys.get(own);
    if (!keys) {
      keys = [own];
      for (const p of this.places?.ancestors(place) ?? []) {
        if (ROLL_UP_KINDS.has(p.kind)) keys.push(`${p.kind}:${p.code}`);
      }
      keys.push(ANYWHERE);
      if (this.placeKeys.size > 50_000) this.placeKeys.clear();
      this.placeKeys.set(own, keys);
    }
    return keys;
  }

  /** Drops the voices older than the window before the latest report, and the keys left empty. */
  private sweep(): void {
    const from = this.latest - this.windowMs;
    for (const [key, voices] of this.keys) {
      if (voices.maxAt < from) {
        this.keys.delete(key);
        continue;
      }
      if (!voices.ordered) reorder(voices);
      for (const [reporter, t] of voices.last) {
        if (t >= from) break;
        voices.last.delete(reporter);
      }
    }
  }
}

/** Puts a key's reporters back in time order (after an older report came late). */
function reorder(voices: Voices): void {
  voices.last = new Map([...voices.last].sort((a, b) => a[1] - b[1]));
  voices.ordered = true;
}

/**
 * Per-reporter times of stored (or reserved) reports within the rate window: `reserve` checks
 * the limit and takes a place in one synchronous step, so concurrent reports of one person in
 * this process can never both pass it.
 */
export class RateGate {
  private readonly times = new Map<string, number[]>();
  private latest = -Infinity;
  private calls = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** True and a place taken when the reporter has fewer than `limit` reports in [at - window, …). */
  reserve(reporter: string, at: number): boolean {
    if (++this.calls % SWEEP_EVERY === 0) this.sweep();
    if (at > this.latest) this.latest = at;
    const since = at - this.windowMs;
    let times = this.times.get(reporter);
    if (times) {
      // As the store counts: every report at or after `since`.
      times = times.filter((t) => t >= since);
      this.times.set(reporter, times);
    } else {
      times = [];
      this.times.set(reporter, times);
    }
    if (times.length >= this.limit) return false;
    times.push(at);
    return true;
  }

  /** Gives back a place `reserve` took (the report was not stored). */
  release(reporter: string, at: number): void {
    const times = this.times.get(reporter);
    if (!times) return;
    const i = times.lastIndexOf(at);
    if (i >= 0) times.splice(i, 1);
    if (times.length === 0) this.times.delete(reporter);
  }

  /** A report stored before (read back from the store at start). */
  note(reporter: string, at: number): void {
    if (at > this.latest) this.latest = at;
    const times = this.times.get(reporter);
    if (times) times.push(at);
    else this.times.set(reporter, [at]);
  }

  /** How many reporters are held. */
  size(): number {
    return this.times.size;
  }

  private sweep(): void {
    const since = this.latest - this.windowMs;
    for (const [reporter, times] of this.times) {
      if (times.every((t) => t < since)) this.times.delete(reporter);
    }
  }
}
