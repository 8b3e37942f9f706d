/**
 * Where the bot's incidents come from: a replayed scenario (demo, `--scenario`, `--data`)
 * or the store (what admins opened). Both hand out an IncidentIndex for a given time.
 */
import { IncidentIndex, replayScenario, timedEvents, type Incident } from '../incidents/index.js';
import type { Scenario } from '../content/schemas.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { Store } from '../store/index.js';

/** Hands out the incidents known at a time. */
export interface IncidentSource {
  /** The index of incidents as known at `now`. */
  index(now: Date): Promise<IncidentIndex>;
  /** Set for replayed data, so answers are labelled as such. */
  readonly scenario: Scenario | null;
  /** Drops cached data after a write. */
  invalidate(): void;
}

/** Replays a scenario; the index is rebuilt only when the clock crosses an event. */
export class ScenarioSource implements IncidentSource {
  private readonly eventTimes: number[];
  private cached: { applied: number; index: IncidentIndex } | null = null;

  constructor(
    readonly scenario: Scenario,
    private readonly gazetteer: Gazetteer,
  ) {
    this.eventTimes = timedEvents(scenario).map((e) => e.time.getTime());
  }

  async index(now: Date): Promise<IncidentIndex> {
    const t = now.getTime();
    const applied = this.eventTimes.filter((time) => time <= t).length;
    if (this.cached?.applied !== applied) {
      this.cached = { applied, index: new IncidentIndex(replayScenario(this.scenario, now), this.gazetteer) };
    }
    return this.cached.index;
  }

  invalidate(): void {
    this.cached = null;
  }
}

/**
 * Reads incidents from the store. The list is cached briefly so a burst of questions costs
 * one read, and a change made by another process (the CLI) is seen within `maxAgeMs`.
 */
export class StoreSource implements IncidentSource {
  readonly scenario = null;
  private cached: { at: number; index: IncidentIndex } | null = null;

  constructor(
    private readonly store: Pick<Store, 'incidents'>,
    private readonly gazetteer: Gazetteer,
    private readonly maxAgeMs = 5_000,
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  async index(): Promise<IncidentIndex> {
    const t = this.monotonic();
    if (!this.cached || t - this.cached.at > this.maxAgeMs) {
      const incidents: Incident[] = await this.store.incidents.list();
      this.cached = { at: t, index: new IncidentIndex(incidents, this.gazetteer) };
    }
    return this.cached.index;
  }

  invalidate(): void {
    this.cached = null;
  }
}
