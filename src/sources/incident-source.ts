/**
 * Where the bot's incidents come from: a replayed scenario (demo, `--scenario`, `--data`)
 * or the store (what admins opened). Both hand out an IncidentIndex for a given time.
 */
import { IncidentIndex, RECENTLY_RESOLVED_MS, replayScenario, timedEvents, type Incident, type IncidentIndexOptions } from '../incidents/index.js';
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
    private readonly options: IncidentIndexOptions = {},
  ) {
    this.eventTimes = timedEvents(scenario).map((e) => e.time.getTime());
  }

  async index(now: Date): Promise<IncidentIndex> {
    const t = now.getTime();
    let applied = 0;
    for (const time of this.eventTimes) if (time <= t) applied++;
    if (this.cached?.applied !== applied) {
      this.cached = { applied, index: new IncidentIndex(replayScenario(this.scenario, now), this.gazetteer, this.options) };
    }
    return this.cached.index;
  }

  invalidate(): void {
    this.cached = null;
  }
}

/**
 * Reads incidents from the store, incrementally: once the incidents in effect (open, or
 * resolved within the window answers mention), then only what changed since (by change
 * number), never the whole history. A change made by another process (the CLI) is seen
 * within `checkMs`; concurrent callers share one refresh.
 */
export class StoreSource implements IncidentSource {
  readonly scenario = null;
  private readonly known = new Map<string, Incident>();
  private seq: number | null = null;
  private index_: IncidentIndex | null = null;
  private checkedAt = -Infinity;
  private refreshing: Promise<IncidentIndex> | null = null;
  private dirty = false;

  constructor(
    private readonly store: Pick<Store, 'incidents'>,
    private readonly gazetteer: Gazetteer,
    private readonly checkMs = 1_000,
    private readonly monotonic: () => number = () => performance.now(),
    private readonly options: IncidentIndexOptions = {},
  ) {}

  async index(now: Date): Promise<IncidentIndex> {
    if (this.index_ && !this.dirty && this.monotonic() - this.checkedAt < this.checkMs) return this.index_;
    this.refreshing ??= this.refresh(now).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** After a write in this process: the next question looks at the store at once. */
  invalidate(): void {
    this.dirty = true;
  }

  private async refresh(now: Date): Promise<IncidentIndex> {
    this.dirty = false;
    this.checkedAt = this.monotonic();
    const since = new Date(now.getTime() - (this.options.resolvedWindowMs ?? RECENTLY_RESOLVED_MS));
    const changes = this.seq === null ? await this.store.incidents.inEffect(since) : await this.store.incidents.changesSince(this.seq);
    const changed = changes.changed.length > 0 || changes.deleted.length > 0 || this.seq === null;
    this.seq = changes.seq;
    for (const id of changes.deleted) this.known.delete(id);
    for (const incident of changes.changed) this.known.set(incident.id, incident);
    // Resolved long ago: no answer mentions it any more.
    let pruned = false;
    for (const [id, incident] of this.known) {
      if (incident.resolvedAt && Date.parse(incident.resolvedAt) < since.getTime()) {
        this.known.delete(id);
        pruned = true;
      }
    }
    if (changed || pruned || !this.index_) this.index_ = new IncidentIndex([...this.known.values()], this.gazetteer, this.options);
    return this.index_;
  }
}
