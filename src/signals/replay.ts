/**
 * Crowd signals in a replayed scenario (#15, item 7): the console demo's lookup. The scenario's
 * reconstructed crowd timeline (src/signals/crowd.ts), with the reports typed in the demo
 * itself (its own in-memory store), is counted by a SignalsService stepped minute by minute
 * on a clock of its own, up to the demo clock's now. The demo clock stands still until `/at`
 * moves it, either way: `settle` catches up (a minute at a time, so an episode's first
 * reports and totals are those of a detector that ran all morning), and a move back in time
 * starts the count again from the scenario day's start.
 *
 * Only the replayed scenario gets these reports: a real deployment (npm start with platform
 * tokens, `vigie signals`) reads its store alone, and this lookup is never built there. Every
 * view and snapshot it gives is marked reconstructed when the scenario's crowd is in it, so the
 * answer's "Non confirmé" line and /signaux say so.
 */
import { FixedClock, type Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { PlaceKind } from '../base/types.js';
import type { SignalsConfig } from '../content/signals-schema.js';
import type { CrowdReports } from './crowd.js';
import type { PlaceTree } from './detect.js';
import { SignalsService, type SignalLookup, type SignalView, type SignalsSnapshot } from './service.js';
import type { ReportSource, SignalReport } from './types.js';

export interface ReplayedSignalsDeps {
  places: PlaceTree;
  config: SignalsConfig;
  /** The demo's clock (the console's `/at` moves it). */
  clock: Clock;
  /** The scenario's crowd reports. */
  crowd: CrowdReports;
  /** Reports typed in the demo (its own store), counted beside the crowd's; none when absent. */
  typed?: ReportSource | null;
  /** Where counting starts (the scenario day's midnight): no history before it, the baseline's floor. */
  from: Date;
  services?: readonly string[];
  logger?: Logger;
  /** Between replayed steps (default one minute, as the live service). */
  stepMs?: number;
}

const MINUTE = 60_000;

/** Reports of several sources as one, oldest first. */
export function mergedSource(...sources: ReportSource[]): ReportSource {
  return {
    async reportsBetween(from: Date, to: Date): Promise<SignalReport[]> {
      const all = (await Promise.all(sources.map((s) => s.reportsBetween(from, to)))).flat();
      return all.sort((a, b) => a.at.getTime() - b.at.getTime());
    },
  };
}

/** See the module comment. */
export class ReplayedSignals implements SignalLookup {
  private readonly stepMs: number;
  private readonly source: ReportSource;
  private readonly stepClock: FixedClock;
  private service: SignalsService | null = null;
  /** The instant the service last stepped at (ms). */
  private steppedTo = -Infinity;
  private busy: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ReplayedSignalsDeps) {
    this.stepMs = deps.stepMs ?? MINUTE;
    this.source = deps.typed ? mergedSource(deps.crowd, deps.typed) : deps.crowd;
    this.stepClock = new FixedClock(deps.from);
  }

  /** Catches up with the demo clock (see the module comment); calls are run one after another. */
  settle(): Promise<void> {
    const run = this.busy.then(() => this.catchUp());
    this.busy = run.catch(() => undefined);
    return run;
  }

  /** Before a listing: the same catch-up. */
  tick(): Promise<void> {
    return this.settle();
  }

  view(service: string | null, place: { kind: PlaceKind; code: string } | null, now: Date): SignalView | null {
    return this.marked(this.service?.view(service, place, now) ?? null, now);
  }

  viewPlace(place: { kind: PlaceKind; code: string }, now: Date, max?: number): SignalView | null {
    return this.marked(this.service?.viewPlace(place, now, max) ?? null, now);
  }

  snapshot(now: Date): SignalsSnapshot {
    const snapshot = this.service?.snapshot(now) ?? { at: now, steppedAt: null, episodes: [], groups: [], probes: [] };
    const label = this.deps.crowd.label;
    if (label && snapshot.episodes.some((e) => this.fromCrowd(e.service, e.place, e.firstSeen, now))) snapshot.reconstructed = { fr: label.fr.trim(), en: label.en.trim() };
    return snapshot;
  }

  // ---------------------------------------------------------------------------------------

  private async catchUp(): Promise<void> {
    // Up to the demo's now included: a report typed at this very instant counts.
    const target = this.deps.clock.now().getTime() + 1;
    if (this.service && target === this.steppedTo) {
      // The clock stood still: pull what was typed since (a person counts once), as the live service's minute does.
      await this.service.tick();
      return;
    }
    if (!this.service || target < this.steppedTo) {
      // First use, or the clock went back: count again from the start of the day.
      const from = Math.min(this.deps.from.getTime(), target);
      this.stepClock.set(new Date(from));
      const { places, config, services, logger } = this.deps;
      this.service = new SignalsService({ places, config, source: this.source, clock: this.stepClock, ...(services ? { services } : {}), ...(logger ? { logger } : {}) });
      await this.service.warmUp();
      this.steppedTo = from;
    }
    for (let t = this.steppedTo + this.stepMs; t < target; t += this.stepMs) {
      this.stepClock.set(new Date(t));
      await this.service.tick();
    }
    this.stepClock.set(new Date(target));
    await this.service.tick();
    this.steppedTo = target;
  }

  /** A view marked reconstructed when one of its episodes holds the scenario's crowd. */
  private marked(view: SignalView | null, now: Date): SignalView | null {
    if (!view) return null;
    const episodes = [...(view.episode ? [view.episode] : []), ...(view.more ?? [])];
    if (!episodes.some((e) => this.fromCrowd(e.service, e.place, e.firstSeen, now))) return view;
    return { ...view, reconstructed: true, signature: `${view.signature}|reconstructed` };
  }

  /** Whether the crowd timeline has reports of `service` in or around `place` between `since` and `now`. */
  private fromCrowd(service: string, place: { kind: PlaceKind; code: string }, since: Date, now: Date): boolean {
    const keys = (p: { kind: PlaceKind; code: string }) => [...this.deps.places.ancestors(p).map((a) => `${a.kind}:${a.code}`), `${p.kind}:${p.code}`];
    const placeKeys = keys(place);
    const placeKey = `${place.kind}:${place.code}`;
    return this.deps.crowd.runs.some((run) => {
      if (run.service !== service || run.from.getTime() > now.getTime() || run.to.getTime() <= since.getTime() - this.deps.config.windowMinutes * MINUTE) return false;
      const runKeys = keys(run.place);
      return placeKeys.includes(runKeys[runKeys.length - 1]!) || runKeys.includes(placeKey);
    });
  }
}
