/**
 * The signals service (#15): owns a SignalDetector, feeds it the reports that arrived since
 * the last step (from a ReportSource, the store's reports table), steps it once a minute on
 * the injected clock and timer, and answers two questions: what covers this service and place
 * now (`view`, for answers) and what is open (`snapshot`, for `vigie signals` and `/signaux`).
 * Probe readings, when a Prober runs, are read beside the counts; they are never mixed in.
 *
 * The detector's window counts are saved (when a CountsKeeper is given: the store's meta
 * table) after each step that closes a window and at stop, and restored at start, so the
 * baseline of the past weeks survives restarts although reports are kept only a few days.
 */
import type { Clock } from '../base/clock.js';
import { silentLogger, type Logger } from '../base/logger.js';
import { realTimer, type Timer } from '../base/timer.js';
import type { PlaceKind, PlaceRef } from '../base/types.js';
import type { SignalsConfig } from '../content/signals-schema.js';
import { SignalDetector, type AlertGroup, type DetectionStep, type DetectorCounts, type Episode, type PlaceTree } from './detect.js';
import type { ProbeReading, ReportSource, SignalStrength } from './types.js';

/** Where the detector's counts are kept between runs. */
export interface CountsKeeper {
  load(): Promise<DetectorCounts | null>;
  save(counts: DetectorCounts): Promise<void>;
}

/** What reads probes (a Prober). */
export interface ProbeReadings {
  readings(): ProbeReading[];
}

/** The crowd signal and probe readings that cover one service × place. */
export interface SignalView {
  /** The open episode that covers the place (the narrowest wider-or-same one), or the strongest one inside it; null when none. */
  episode: {
    id: string;
    service: string;
    place: PlaceRef;
    strength: SignalStrength;
    current: SignalStrength | 'calm';
    /** Distinct reporters over the last two windows. */
    reporters: number;
    /** Reporters counted since the episode's first window. */
    total: number;
    firstSeen: Date;
    topPlaces: { place: PlaceRef; reporters: number }[];
    /**
     * For a France-wide episode asked about a place inside it: that place's région and its
     * reporters since the episode's first window (none when nobody reported there), so the
     * answer says where the reports are rather than "all of France".
     */
    local?: { place: PlaceRef; total: number };
  } | null;
  /** Probes of the service whose places cover or lie in the asked one and that are down or slow. */
  probes: ProbeReading[];
  /** A short stable string of what the view says (for memo keys). */
  signature: string;
  /**
   * Set when the view is of every service at a place (a question naming none, `viewPlace`):
   * the other services' episodes after `episode`, largest first (at most 3 in all).
   */
  more?: NonNullable<SignalView['episode']>[];
  /** The counts include a replayed scenario's reconstructed reports (the demo), not only people's. */
  reconstructed?: boolean;
}

/** Everything open, for operators. */
export interface SignalsSnapshot {
  at: Date;
  /** When the detector last stepped (null before the first step). */
  steppedAt: Date | null;
  episodes: Episode[];
  groups: AlertGroup[];
  probes: ProbeReading[];
  /** When the counts include a replayed scenario's reconstructed reports: the scenario's label for them. */
  reconstructed?: Record<'fr' | 'en', string>;
}

/** What the view of a service × place asks of the service (the Bot's side). */
export interface SignalLookup {
  view(service: string | null, place: { kind: PlaceKind; code: string } | null, now: Date): SignalView | null;
  snapshot(now: Date): SignalsSnapshot;
  /** The open signals of every service at a place (a question naming no service), at most `max`, largest first. */
  viewPlace?(place: { kind: PlaceKind; code: string }, now: Date, max?: number): SignalView | null;
  /** Pulls and steps now (before a listing), when the lookup can. */
  tick?(): Promise<unknown>;
  /**
   * Brings the lookup to the clock's now before a view, for a lookup whose clock jumps (the
   * replayed demo's `/at`); a live service steps on its own timer and has none.
   */
  settle?(): Promise<void>;
}

export interface SignalsServiceDeps {
  places: PlaceTree;
  config: SignalsConfig;
  source: ReportSource;
  clock: Clock;
  timer?: Timer;
  logger?: Logger;
  prober?: ProbeReadings | null;
  counts?: CountsKeeper | null;
  /** Known service ids (reports naming another are left out). */
  services?: readonly string[];
  /** Between steps (default one minute). */
  stepMs?: number;
  /** How long reports are kept (VIGIE_REPORT_RETENTION): the span before the start that counts as observed. Default 0. */
  reportsKeptMs?: number;
  /** Told after each step (the alert desk, src/signals/alerts.ts); not awaited, so a slow alert channel never holds the loop. */
  afterStep?: (step: DetectionStep) => void;
}

const MINUTE = 60_000;
/** Reports are pulled again this far back: a report stamped just before a pull but written after it still counts (the detector counts a person once). */
const PULL_OVERLAP_MS = 10_000;

/** Steps a SignalDetector on reports from a source; see the module comment. */
export class SignalsService implements SignalLookup {
  private readonly detector: SignalDetector;
  private readonly stepMs: number;
  private readonly logger: Logger;
  private pulledUntil: number | null = null;
  private last: DetectionStep | null = null;
  private abort: AbortController | null = null;
  private loop: Promise<void> = Promise.resolve();
  private savedWindow = -Infinity;
  private busy: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SignalsServiceDeps) {
    this.stepMs = deps.stepMs ?? MINUTE;
    this.logger = deps.logger ?? silentLogger;
    const now = deps.clock.now().getTime();
    const weeksMs = deps.config.baseline.weeks * 7 * 24 * 60 * MINUTE;
    this.detector = new SignalDetector({
      places: deps.places,
      config: deps.config,
      // Counted from the oldest report kept on; restored counts widen it.
      observedFrom: new Date(now - (deps.reportsKeptMs ?? 0)),
      ...(deps.services ? { services: deps.services } : {}),
    });
    this.weeksMs = weeksMs;
  }
  private readonly weeksMs: number;

  /**
   * Restores the saved counts, pulls the reports kept since (up to the baseline's weeks), takes
   * a first step, then steps every minute until `stop`.
   */
  async start(): Promise<void> {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    await this.warmUp();
    this.loop = this.run(abort.signal);
  }

  async stop(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    abort.abort();
    await this.loop;
    await this.busy;
    this.abort = null;
    await this.save(true);
  }

  /** Pulls what arrived since the last step and steps at the clock's now (the minute's work). */
  tick(): Promise<DetectionStep> {
    const run = this.busy.then(() => this.tickNow());
    this.busy = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** The last step's result (null before the first). */
  lastStep(): DetectionStep | null {
    return this.last;
  }

  view(service: string | null, place: { kind: PlaceKind; code: string } | null, now: Date): SignalView | null {
    if (service === null) return null;
    const asked = place ?? { kind: 'national' as const, code: 'FR' };
    const askedKeys = this.keysOf(asked);
    const askedKey = askedKeys[askedKeys.length - 1]!;
    let covering: Episode | null = null;
    let inside: Episode | null = null;
    for (const e of this.last?.episodes ?? []) {
      if (e.state !== 'open' || e.service !== service) continue;
      const eKey = `${e.place.kind}:${e.place.code}`;
      if (askedKeys.includes(eKey)) {
        // The narrowest covering one: the one with the most ancestors.
        if (!covering || this.keysOf(e.place).length > this.keysOf(covering.place).length) covering = e;
      } else if (this.keysOf(e.place).includes(askedKey)) {
        if (!inside || e.total > inside.total) inside = e;
      }
    }
    const chosen = covering ?? inside;
    const probes = (this.deps.prober?.readings() ?? []).filter(
      (r) =>
        r.service === service &&
        (r.state === 'down' || r.state === 'slow') &&
        (asked.kind === 'national' || r.places.length === 0 || r.places.some((p) => askedKeys.includes(`${p.kind}:${p.code}`) || this.keysOf(p).includes(askedKey))),
    );
    if (!chosen && probes.length === 0) return null;
    const local = chosen && chosen.place.kind === 'national' && asked.kind !== 'national' ? this.localPart(chosen, asked, now) : null;
    const episode = chosen
      ? {
          id: chosen.id,
          service: chosen.service,
          place: chosen.place,
          strength: chosen.strength,
          current: chosen.current,
          reporters: chosen.reporters,
          total: chosen.total,
          firstSeen: chosen.firstSeen,
          topPlaces: chosen.topPlaces,
          ...(local ? { local } : {}),
        }
      : null;
    const signature = [
      episode ? `${episode.id}|${episode.total}|${episode.firstSeen.getTime()}|${local ? `${local.place.code}:${local.total}` : ''}` : '',
      ...probes.map((p) => `${p.probe}:${p.state}:${p.since.getTime()}`),
    ].join(';');
    return { episode, probes, signature };
  }

  viewPlace(place: { kind: PlaceKind; code: string }, now: Date, max = 3): SignalView | null {
    const services = new Set((this.last?.episodes ?? []).filter((e) => e.state === 'open').map((e) => e.service));
    for (const r of this.deps.prober?.readings() ?? []) if (r.state === 'down' || r.state === 'slow') services.add(r.service);
    const views = [...services]
      .map((service) => this.view(service, place, now))
      .filter((v): v is SignalView => v !== null)
      .sort((a, b) => (b.episode?.total ?? 0) - (a.episode?.total ?? 0))
      .slice(0, Math.max(1, max));
    if (views.length === 0) return null;
    const episodes = views.flatMap((v) => (v.episode ? [v.episode] : []));
    return {
      episode: episodes[0] ?? null,
      more: episodes.slice(1),
      probes: views.flatMap((v) => v.probes),
      signature: `any:${views.map((v) => v.signature).join('/')}`,
    };
  }

  snapshot(now: Date): SignalsSnapshot {
    const step = this.last;
    return {
      at: now,
      steppedAt: step ? step.at : null,
      episodes: (step?.episodes ?? []).filter((e) => e.state === 'open'),
      groups: (step?.groups ?? []).filter((g) => g.state === 'open'),
      probes: this.deps.prober?.readings() ?? [],
    };
  }

  // ---------------------------------------------------------------------------------------

  /** The asked place's région (or the place itself when wider than a région) and its count since the episode's first window. */
  private localPart(episode: Episode, asked: { kind: PlaceKind; code: string }, now: Date): { place: PlaceRef; total: number } | null {
    const place = asked.kind === 'region' || asked.kind === 'academie' ? this.deps.places.get(asked.kind, asked.code) : this.deps.places.ancestors(asked).find((p) => p.kind === 'region');
    if (!place) return null;
    const total = this.detector.countedBetween(episode.service, place, episode.firstSeen, now);
    return total > 0 ? { place, total } : null;
  }

  private keyCache = new Map<string, string[]>();

  /** Keys of a place's ancestors and itself, widest first. */
  private keysOf(place: { kind: PlaceKind; code: string }): string[] {
    const key = `${place.kind}:${place.code}`;
    let keys = this.keyCache.get(key);
    if (!keys) {
      keys = [...this.deps.places.ancestors(place).map((p) => `${p.kind}:${p.code}`), key];
      if (this.keyCache.size > 10_000) this.keyCache.clear();
      this.keyCache.set(key, keys);
    }
    return keys;
  }

  /** Restores the saved counts, pulls the reports kept and steps once at the clock's now (what `start` does first; `vigie signals` does only this). */
  async warmUp(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    let from = now - this.weeksMs;
    if (this.deps.counts) {
      try {
        const saved = await this.deps.counts.load();
        if (saved) {
          this.detector.restoreCounts(saved);
          const until = Date.parse(saved.until);
          if (Number.isFinite(until)) from = Math.max(from, Math.min(until, now) - PULL_OVERLAP_MS);
        }
      } catch (error) {
        this.logger.warn('signals: saved counts not restored; the baseline starts from the reports kept', { error });
      }
    }
    try {
      await this.detector.pull(this.deps.source, new Date(from), new Date(now));
      this.pulledUntil = now;
    } catch (error) {
      this.logger.warn('signals: reports not read at start; read at the next step', { error });
      this.pulledUntil = from;
    }
    this.last = this.detector.step(new Date(now));
    this.told(this.last);
  }

  private told(step: DetectionStep): void {
    try {
      this.deps.afterStep?.(step);
    } catch (error) {
      this.logger.error('signals: a listener of steps failed', { error });
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { timer = realTimer } = this.deps;
    while (!signal.aborted) {
      await timer.sleep(this.stepMs, signal);
      if (signal.aborted) break;
      try {
        await this.tick();
      } catch (error) {
        this.logger.error('signals: step failed', { error });
      }
    }
  }

  private async tickNow(): Promise<DetectionStep> {
    const now = this.deps.clock.now().getTime();
    const from = this.pulledUntil === null ? now - this.weeksMs : this.pulledUntil - PULL_OVERLAP_MS;
    try {
      if (from < now) await this.detector.pull(this.deps.source, new Date(from), new Date(now));
      this.pulledUntil = Math.max(this.pulledUntil ?? now, now);
    } catch (error) {
      // The reports are read again at the next step; the step still runs (episodes close on time).
      this.logger.warn('signals: reports not read; tried again at the next step', { error });
    }
    this.last = this.detector.step(new Date(now));
    this.told(this.last);
    await this.save(false);
    return this.last;
  }

  /** Saves the counts once per window (and at stop). */
  private async save(force: boolean): Promise<void> {
    if (!this.deps.counts) return;
    const window = Math.floor(this.deps.clock.now().getTime() / (this.deps.config.windowMinutes * MINUTE));
    if (!force && window === this.savedWindow) return;
    this.savedWindow = window;
    try {
      await this.deps.counts.save(this.detector.exportCounts());
    } catch (error) {
      this.logger.warn('signals: counts not saved; saved again at the next window', { error });
    }
  }
}
