/**
 * Detection of crowd signals (#15): pure, synchronous, driven by the caller's clock.
 *
 * Reports are counted as distinct reporters per service × place in counting windows, rolled
 * up along the French map (commune → département → académie → région → national, as the
 * gazetteer nests them: three reports in Hérault and four in Gard are seven for Occitanie).
 * A reporter counts once per service × place per `reporterOnceMinutes`, however often they
 * write. Each window is compared with its baseline (same weekday and window of the day over
 * the past weeks); `step(now)` turns that into episodes and alert groups.
 *
 * Where an episode opens: at a hot place (above a threshold) unless a wider place of the same
 * service already has an episode (the narrower one shows among its top places), or one
 * narrower hot place holds `dominantShare` of its reporters (20 in Gard alone are Gard's
 * signal, not Occitanie's nor France's). Wider places are considered first. An open episode
 * stays open until `calmMinutes` after its last window above the elevated threshold.
 *
 * No wall clock and no timers: the caller feeds reports (`ingest`, or `pull` from a
 * ReportSource) and calls `step(now)`. Memory holds only the windows the baseline needs (the
 * past weeks), the reporters seen within the one-voice span, and the open episodes.
 */
import type { PlaceKind, PlaceRef } from '../base/types.js';
import type { SignalsConfig } from '../content/signals-schema.js';
import type { ReportSource, SignalReport, SignalStrength } from './types.js';
import { MINUTE, SlotCache, baselineOf, stronger, strengthOf, windowStart } from './baseline.js';
import { AlertGrouper, type AlertGroup, type Episode, type EpisodeEvent, type GroupEvent } from './episodes.js';
import { SCHOOL_TIMEZONE } from '../base/zoned-time.js';

export type { AlertGroup, Episode, EpisodeEvent, GroupEvent } from './episodes.js';

/** What detection needs of the gazetteer (src/places/gazetteer.ts implements it). */
export interface PlaceTree {
  get(kind: PlaceKind, code: string): PlaceRef | null;
  /** The places containing this one, widest first, itself excluded. */
  ancestors(place: { kind: PlaceKind; code: string }): PlaceRef[];
}

export interface DetectorOptions {
  places: PlaceTree;
  config: SignalsConfig;
  /**
   * Since when reports were counted: past slots before it are not evidence of calm (the
   * floor stands in). Usually `now` minus the baseline's weeks, once the history was pulled.
   */
  observedFrom: Date;
  /** Known service ids: reports naming another are left out (keeps memory bounded). All when absent. */
  services?: readonly string[];
  timeZone?: string;
}

/** What one step saw and changed. */
export interface DetectionStep {
  at: Date;
  /** Open episodes, and those that closed at this step. */
  episodes: Episode[];
  /** Open alert groups, and those that closed at this step. */
  groups: AlertGroup[];
  episodeEvents: EpisodeEvent[];
  groupEvents: GroupEvent[];
}

/**
 * The window counts a detector holds, to be saved and restored across restarts: reports are
 * kept a few days (VIGIE_REPORT_RETENTION) while the baseline needs weeks of counts. Restore
 * them, then pull the reports from `until` on.
 */
export interface DetectorCounts {
  windowMinutes: number;
  /** Since when these counts were observed (ISO). */
  observedFrom: string;
  /** Up to when (ISO): the last step. */
  until: string;
  series: { service: string; place: { kind: PlaceKind; code: string }; windows: [start: number, reporters: number][] }[];
}

/** How much the detector holds (for tests and the bench: it must stay bounded). */
export interface DetectorSize {
  series: number;
  windows: number;
  reporters: number;
  openEpisodes: number;
}

/** Counts of what `ingest` did, since the start. */
export interface IngestStats {
  reports: number;
  /** Reports that counted (at the place named; roll-ups not included). */
  counted: number;
  /** Reports of a reporter already counted for that service × place within the one-voice span. */
  repeated: number;
  /** Reports without a service, of an unknown service, or older than the history kept. */
  ignored: number;
  /** Reports naming a place the gazetteer does not know: counted nationally. */
  unknownPlace: number;
}

/** The live state of one service × place. */
interface Series {
  service: string;
  place: PlaceRef;
  key: string;
  /** Window index (start / window length) → reporters counted in it and the first one's time; only windows within the baseline's reach. */
  cells: Map<number, Cell>;
  /** The latest window's cell (most reports land there). */
  cur: Cell | null;
  curIdx: number;
  /** Reporter → when last counted here (within the one-voice span). */
  voices: Map<string, number>;
  lastAt: number;
  /** Narrower places on the line (régions of France, départements of a région or académie, communes of a département). */
  children: Set<Series>;
  /** The wider places of the same service (while one has an episode, this one opens none). */
  wider: Series[];
  /** Per step: strength now, reporters over the last two windows, stamp of that step. */
  now: SignalStrength | null;
  recent: number;
  stamp: number;
  /** End of the last window above a threshold. */
  lastHotEnd: number;
  episode: LiveEpisode | null;
}

interface Cell {
  n: number;
  first: number;
}

interface LiveEpisode {
  id: string;
  firstWindow: number;
  openedAt: number;
  firstSeen: number;
  strength: SignalStrength;
  groupId: string;
  /** What the last snapshot said, to tell a growth from a repeat. */
  signature: string;
}

const LINE: readonly PlaceKind[] = ['national', 'region', 'departement', 'commune'];
const KIND_RANK: Record<PlaceKind, number> = { national: 0, region: 1, academie: 2, departement: 3, commune: 4 };

/** Detects signals from reports; see the module comment. */
export class SignalDetector {
  private readonly cfg: SignalsConfig;
  private readonly places: PlaceTree;
  private readonly windowMs: number;
  private readonly onceMs: number;
  private readonly calmMs: number;
  private readonly historyMs: number;
  private readonly slots: SlotCache;
  private readonly services: ReadonlySet<string> | null;
  private observedFrom: number;

  private readonly series = new Map<string, Series>();
  /** service → place kind → code → the series a report there counts in (the place and every wider one). */
  private readonly chains = new Map<string, Map<string, Map<string, Series[]>>>();
  private readonly ancestorKeys = new Map<string, string[]>();
  /** Series with counts in the last two windows, or an open episode. */
  private readonly live = new Set<Series>();
  private readonly grouper: AlertGrouper;
  private lastStep = -Infinity;
  private prunedAt = -Infinity;
  private stamp = 0;
  readonly stats: IngestStats = { reports: 0, counted: 0, repeated: 0, ignored: 0, unknownPlace: 0 };

  constructor(options: DetectorOptions) {
    this.cfg = options.config;
    this.places = options.places;
    this.windowMs = this.cfg.windowMinutes * MINUTE;
    this.onceMs = this.cfg.reporterOnceMinutes * MINUTE;
    this.calmMs = this.cfg.calmMinutes * MINUTE;
    // The baseline's weeks, a day more for DST and late windows.
    this.historyMs = (this.cfg.baseline.weeks * 7 + 1) * 24 * 60 * MINUTE;
    this.slots = new SlotCache(this.cfg.baseline.weeks, options.timeZone ?? SCHOOL_TIMEZONE);
    this.services = options.services ? new Set(options.services) : null;
    this.observedFrom = options.observedFrom.getTime();
    this.grouper = new AlertGrouper((a, b) => this.related(a, b));
  }

  /** Counts reports (oldest first). Reports older than the history kept are ignored. */
  ingest(reports: Iterable<SignalReport>): void {
    const horizon = this.lastStep - this.historyMs;
    for (const r of reports) {
      this.stats.reports += 1;
      const at = r.at.getTime();
      if (r.service === null || (this.services !== null && !this.services.has(r.service)) || !(at >= horizon)) {
        this.stats.ignored += 1;
        continue;
      }
      const chain = this.chainFor(r.service, r.place);
      const idx = Math.floor(at / this.windowMs);
      for (let i = chain.length - 1; i >= 0; i--) {
        const s = chain[i]!;
        const last = s.voices.get(r.reporter);
        if (last !== undefined && Math.abs(at - last) < this.onceMs) {
          if (i === chain.length - 1) this.stats.repeated += 1;
          continue;
        }
        if (i === chain.length - 1) this.stats.counted += 1;
        s.voices.set(r.reporter, at);
        let cell = s.curIdx === idx ? s.cur : s.cells.get(idx);
        if (!cell) {
          cell = { n: 0, first: at };
          s.cells.set(idx, cell);
        }
        if (idx >= s.curIdx) {
          s.curIdx = idx;
          s.cur = cell;
        }
        cell.n += 1;
        if (at < cell.first) cell.first = at;
        if (at > s.lastAt) s.lastAt = at;
        this.live.add(s);
      }
    }
  }

  /**
   * Reads the reports of [from, to) from a source and counts them, a day at a time (to warm
   * the baseline up after a start, or to catch up between steps).
   */
  async pull(source: ReportSource, from: Date, to: Date, chunkMs = 24 * 60 * MINUTE): Promise<void> {
    for (let t = from.getTime(); t < to.getTime(); t += chunkMs) {
      const end = Math.min(t + chunkMs, to.getTime());
      this.ingest(await source.reportsBetween(new Date(t), new Date(end)));
      if (end - this.lastStep >= this.windowMs && end < to.getTime()) this.prune(end);
    }
  }

  /**
   * Evaluates every live series at `now`: opens, grows and closes episodes, regroups them.
   * A series' strength is the stronger of the window now (as it fills) and the previous one.
   * Call it at least once a window (every minute is fine); time never goes back: an earlier
   * `now` than the last step is taken as the last step.
   */
  step(nowDate: Date): DetectionStep {
    const now = Math.max(nowDate.getTime(), this.lastStep);
    this.lastStep = now;
    const at = new Date(now);
    const cw = windowStart(now, this.windowMs);
    const pw = cw - this.windowMs;
    if (cw > this.prunedAt) this.prune(now);
    const stamp = ++this.stamp;

    // 1. Strength of every live series now.
    for (const s of this.live) {
      const c = this.count(s, cw);
      const p = this.count(s, pw);
      const lc = c > 0 ? strengthOf(c, this.baseline(s, cw), this.cfg.thresholds) : null;
      const lp = p > 0 ? strengthOf(p, this.baseline(s, pw), this.cfg.thresholds) : null;
      s.now = stronger(lc, lp);
      s.recent = c + p;
      s.stamp = stamp;
      if (lc) s.lastHotEnd = Math.max(s.lastHotEnd, cw + this.windowMs);
      else if (lp) s.lastHotEnd = Math.max(s.lastHotEnd, cw);
    }
    const hot = (s: Series | null) => s !== null && s.stamp === stamp && s.now !== null;

    // 2. Episodes open where a hot place is not carried by a narrower one.
    // Wider places first: a narrower place defers to a wider one's episode, opened just before.
    const opened = new Set<string>();
    const candidates = [...this.live].filter((s) => !s.episode && hot(s)).sort((a, b) => KIND_RANK[a.place.kind] - KIND_RANK[b.place.kind]);
    for (const s of candidates) {
      if (this.dominated(s, hot)) continue;
      const firstWindow = this.count(s, pw) > 0 ? pw : cw;
      const id = `${s.service}@${s.key}@${new Date(firstWindow).toISOString()}`;
      s.episode = { id, firstWindow, openedAt: now, firstSeen: s.cells.get(firstWindow / this.windowMs)?.first ?? s.lastAt, strength: s.now!, groupId: '', signature: '' };
      opened.add(id);
    }

    // 3. Grow or close the open episodes.
    const episodeEvents: EpisodeEvent[] = [];
    const open: Episode[] = [];
    const closedNow: Episode[] = [];
    const changed = new Set<string>();
    for (const s of this.live) {
      const ep = s.episode;
      if (!ep) continue;
      const isHot = hot(s);
      if (isHot) ep.strength = stronger(ep.strength, s.now)!;
      const closing = !isHot && now >= s.lastHotEnd + this.calmMs;
      const snap = this.snapshot(s, ep, cw, isHot, closing ? s.lastHotEnd + this.calmMs : null);
      const signature = `${snap.strength}|${snap.current}|${snap.reporters}|${snap.total}|${snap.peak.count}|${snap.topPlaces.map((t) => `${t.place.code}:${t.reporters}`).join(',')}`;
      if (closing) {
        closedNow.push(snap);
        episodeEvents.push({ type: 'closed', episode: snap });
        changed.add(snap.id);
        s.episode = null;
      } else {
        open.push(snap);
        if (opened.has(ep.id)) episodeEvents.push({ type: 'opened', episode: snap });
        else if (signature !== ep.signature) episodeEvents.push({ type: 'updated', episode: snap });
        if (signature !== ep.signature) changed.add(snap.id);
      }
      ep.signature = signature;
    }

    // 4. Alert groups.
    const groupEvents = this.grouper.update(at, open, closedNow, changed);
    for (const e of open) this.series.get(`${e.service}\u0000${e.place.kind}:${e.place.code}`)!.episode!.groupId = e.groupId;

    // Series with nothing recent and no episode leave the live set.
    for (const s of this.live) {
      if (!s.episode && this.count(s, cw) === 0 && this.count(s, pw) === 0) this.live.delete(s);
    }
    const closedGroups = groupEvents.filter((g) => g.type === 'closed').map((g) => g.group);
    return {
      at,
      episodes: [...open, ...closedNow].sort(byId),
      groups: [...this.grouper.groups(), ...closedGroups],
      episodeEvents,
      groupEvents,
    };
  }

  /**
   * Distinct reporters for a service at a place (rolled up) over the `minutes` before `now`
   * (at most the one-voice span): "23 personnes … en Occitanie depuis 30 min".
   */
  reportersSince(service: string, place: { kind: PlaceKind; code: string } | null, now: Date, minutes = this.cfg.reporterOnceMinutes): number {
    const key = place ? `${place.kind}:${place.code}` : 'national:FR';
    const s = this.series.get(`${service}\u0000${key}`);
    if (!s) return 0;
    const from = now.getTime() - Math.min(minutes, this.cfg.reporterOnceMinutes) * MINUTE;
    let n = 0;
    for (const t of s.voices.values()) if (t > from && t <= now.getTime()) n += 1;
    return n;
  }

  /**
   * Reporters counted for a service at a place (rolled up) in the windows from `from`'s to
   * `now`'s, as an episode's total counts them: a place's part of a wider episode since its first window.
   */
  countedBetween(service: string, place: { kind: PlaceKind; code: string }, from: Date, now: Date): number {
    const s = this.series.get(`${service}\u0000${place.kind}:${place.code}`);
    if (!s) return 0;
    let n = 0;
    for (let w = windowStart(from.getTime(), this.windowMs); w <= now.getTime(); w += this.windowMs) n += this.count(s, w);
    return n;
  }

  /** The window counts held (the baseline's weeks), to save; see DetectorCounts. */
  exportCounts(): DetectorCounts {
    const series: DetectorCounts['series'] = [];
    for (const s of this.series.values()) {
      if (s.cells.size === 0) continue;
      const windows: [number, number][] = [];
      for (const [idx, cell] of s.cells) windows.push([idx * this.windowMs, cell.n]);
      windows.sort((a, b) => a[0] - b[0]);
      series.push({ service: s.service, place: { kind: s.place.kind, code: s.place.code }, windows });
    }
    return {
      windowMinutes: this.cfg.windowMinutes,
      observedFrom: new Date(Number.isFinite(this.observedFrom) ? this.observedFrom : 0).toISOString(),
      until: new Date(Number.isFinite(this.lastStep) ? this.lastStep : this.observedFrom).toISOString(),
      series,
    };
  }

  /**
   * Restores saved counts (each window keeps the larger of its count and the saved one, so a
   * second restore changes nothing); windows older than the baseline's weeks and places the
   * gazetteer no longer knows are left out. The observed span starts at the earlier of the two.
   * Throws when the counts were made with another window length.
   */
  restoreCounts(saved: DetectorCounts): void {
    if (saved.windowMinutes !== this.cfg.windowMinutes) {
      throw new RangeError(`saved signal counts use ${saved.windowMinutes}-minute windows, content/signals.yaml says ${this.cfg.windowMinutes}`);
    }
    const from = Date.parse(saved.observedFrom);
    if (Number.isFinite(from)) this.observedFrom = Math.min(this.observedFrom, from);
    const horizon = Math.floor((Date.parse(saved.until) - this.historyMs) / this.windowMs);
    for (const entry of saved.series) {
      if (this.services !== null && !this.services.has(entry.service)) continue;
      const ref = this.places.get(entry.place.kind, entry.place.code);
      if (!ref) continue;
      this.chainFor(entry.service, entry.place);
      const s = this.seriesFor(entry.service, ref);
      for (const [start, n] of entry.windows) {
        const idx = Math.floor(start / this.windowMs);
        if (!(idx >= horizon) || !(n > 0)) continue;
        const cell = s.cells.get(idx);
        if (!cell) s.cells.set(idx, { n, first: start });
        else cell.n = Math.max(cell.n, n);
      }
      this.live.add(s);
    }
  }

  /** How much is held. */
  size(): DetectorSize {
    let windows = 0;
    let reporters = 0;
    let openEpisodes = 0;
    for (const s of this.series.values()) {
      windows += s.cells.size;
      reporters += s.voices.size;
      if (s.episode) openEpisodes += 1;
    }
    return { series: this.series.size, windows, reporters, openEpisodes };
  }

  // ---------------------------------------------------------------------------------------

  private baseline(s: Series, w: number): number {
    return baselineOf((slot) => this.count(s, slot), this.slots.slots(w), this.observedFrom, this.cfg.baseline.floor);
  }

  /** Reporters counted in the window starting at `w` (ms). */
  private count(s: Series, w: number): number {
    return s.cells.get(Math.floor(w / this.windowMs))?.n ?? 0;
  }

  /**
   * A hot place that opens no episode: a wider place has one (the signal shows there, this
   * place among its top places), or a narrower hot place carries its signal.
   */
  private dominated(s: Series, hot: (s: Series | null) => boolean): boolean {
    for (const w of s.wider) if (w.episode) return true;
    for (const c of s.children) if (hot(c) && c.recent >= this.cfg.dominantShare * s.recent) return true;
    return false;
  }

  private snapshot(s: Series, ep: LiveEpisode, cw: number, isHot: boolean, closedAt: number | null): Episode {
    let total = 0;
    let peak = { count: 0, window: ep.firstWindow };
    for (let w = ep.firstWindow; w <= cw; w += this.windowMs) {
      const c = this.count(s, w);
      total += c;
      if (c > peak.count) peak = { count: c, window: w };
    }
    const top = [...s.children]
      .map((c) => ({ c, n: this.count(c, cw) + this.count(c, cw - this.windowMs) }))
      .filter((x) => x.n > 0)
      .sort((a, b) => b.n - a.n || (a.c.key < b.c.key ? -1 : 1))
      .slice(0, this.cfg.topPlaces)
      .map((x) => ({ place: x.c.place, reporters: x.n }));
    return {
      id: ep.id,
      service: s.service,
      place: s.place,
      state: closedAt === null ? 'open' : 'closed',
      strength: ep.strength,
      current: isHot ? s.now! : 'calm',
      openedAt: new Date(ep.openedAt),
      firstSeen: new Date(ep.firstSeen),
      lastSeen: new Date(s.lastAt),
      reporters: this.count(s, cw) + this.count(s, cw - this.windowMs),
      total,
      peak: { count: peak.count, window: new Date(peak.window), baseline: this.baseline(s, peak.window) },
      baseline: this.baseline(s, cw),
      topPlaces: top,
      closedAt: closedAt === null ? null : new Date(closedAt),
      groupId: ep.groupId,
    };
  }

  /** Episodes that belong in one alert: one service anywhere, or services in one académie (or nested places below France). */
  private related(a: Episode, b: Episode): boolean {
    if (a.service === b.service) return true;
    if (a.place.kind === 'national' || b.place.kind === 'national') return false;
    const ka = this.within(a.place);
    const kb = this.within(b.place);
    const selfA = ka[ka.length - 1]!;
    const selfB = kb[kb.length - 1]!;
    if (ka.includes(selfB) || kb.includes(selfA)) return true;
    const acA = ka.find((k) => k.startsWith('academie:'));
    return acA !== undefined && acA === kb.find((k) => k.startsWith('academie:'));
  }

  /** Keys of a place's ancestors and itself, widest first. */
  private within(place: PlaceRef): string[] {
    const key = `${place.kind}:${place.code}`;
    let keys = this.ancestorKeys.get(key);
    if (!keys) {
      keys = [...this.places.ancestors(place).map((p) => `${p.kind}:${p.code}`), key];
      this.ancestorKeys.set(key, keys);
    }
    return keys;
  }

  /** The series a report at this place counts in, widest first, the place itself last. */
  private chainFor(service: string, place: SignalReport['place']): Series[] {
    const kind = place ? place.kind : 'national';
    const code = place ? place.code : 'FR';
    let byKind = this.chains.get(service);
    if (!byKind) this.chains.set(service, (byKind = new Map()));
    let byCode = byKind.get(kind);
    if (!byCode) byKind.set(kind, (byCode = new Map()));
    let chain = byCode.get(code);
    if (chain) return chain;
    let refs: PlaceRef[];
    const ref = place ? this.places.get(place.kind, place.code) : null;
    if (ref) refs = [...this.places.ancestors(ref), ref];
    else {
      if (place) this.stats.unknownPlace += 1;
      refs = [this.places.get('national', 'FR') ?? { kind: 'national', code: 'FR', name: 'France' }];
    }
    chain = refs.map((p) => this.seriesFor(service, p));
    // Links: each place on the line to the next narrower one, an académie to the next
    // narrower place on the line; each place to the wider ones.
    const line = chain.filter((s) => LINE.includes(s.place.kind));
    for (let i = 0; i + 1 < line.length; i++) line[i]!.children.add(line[i + 1]!);
    const ac = chain.findIndex((s) => s.place.kind === 'academie');
    if (ac >= 0) {
      const below = chain.slice(ac + 1).find((s) => LINE.includes(s.place.kind));
      if (below) chain[ac]!.children.add(below);
    }
    chain.forEach((s, i) => {
      if (s.wider.length !== i) s.wider = chain!.slice(0, i);
    });
    // Unknown places are not kept (made-up codes must not grow memory).
    if (ref || !place) byCode.set(code, chain);
    return chain;
  }

  private seriesFor(service: string, place: PlaceRef): Series {
    const key = `${place.kind}:${place.code}`;
    const id = `${service}\u0000${key}`;
    let s = this.series.get(id);
    if (!s) {
      s = {
        service,
        place,
        key,
        cells: new Map(),
        cur: null,
        curIdx: -Infinity,
        voices: new Map(),
        lastAt: -Infinity,
        children: new Set(),
        wider: [],
        now: null,
        recent: 0,
        stamp: 0,
        lastHotEnd: -Infinity,
        episode: null,
      };
      this.series.set(id, s);
    }
    return s;
  }

  /** Drops what no baseline, voice or episode needs any more. */
  private prune(now: number): void {
    this.prunedAt = windowStart(now, this.windowMs);
    const horizon = Math.floor((now - this.historyMs) / this.windowMs);
    const voiceHorizon = now - this.onceMs;
    let dropped = false;
    for (const [id, s] of this.series) {
      for (const w of s.cells.keys()) if (w < horizon) s.cells.delete(w);
      if (s.curIdx < horizon) {
        s.cur = null;
        s.curIdx = -Infinity;
      }
      for (const [r, t] of s.voices) if (t <= voiceHorizon) s.voices.delete(r);
      if (s.cells.size === 0 && s.voices.size === 0 && !s.episode) {
        this.series.delete(id);
        this.live.delete(s);
        dropped = true;
      }
    }
    // Chains hold series objects: rebuild them when a series went away.
    if (dropped) {
      this.chains.clear();
      for (const s of this.series.values()) {
        for (const c of s.children) if (!this.series.has(`${c.service}\u0000${c.key}`)) s.children.delete(c);
        s.wider = s.wider.filter((w) => this.series.has(`${w.service}\u0000${w.key}`));
      }
    }
  }
}

function byId(a: Episode, b: Episode): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
