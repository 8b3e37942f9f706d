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
 * number), never the whole history; the next index is made from the last one with just those
 * changes (never rebuilt from everything), so catching up costs what changed. A change made
 * by another process (the CLI, another instance) is seen within `checkMs` (at once when
 * notified); concurrent callers share one refresh, and the periodic one runs behind the
 * questions, not before them.
 */
export class StoreSource implements IncidentSource {
  readonly scenario = null;
  /** Resolution time (ms) of the resolved incidents indexed, to drop them once out of the window. */
  private readonly resolvedAt = new Map<string, number>();
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
    if (this.index_ && !this.dirty) {
      // The periodic look at the store runs behind the question, which answers from the index
      // as it is: a question never waits for a round trip to the store just because a second
      // went by. (A change this process made, or was told of, is waited for: see `invalidate`.)
      // Only when no look is in flight: a question asked meanwhile must not hang one more
      // handler on that look (at thousands of questions a second they piled up and outlived
      // the young generation, making the collections longer).
      if (this.refreshing === null && this.monotonic() - this.checkedAt >= this.checkMs) void this.start(now).catch(() => undefined);
      return this.index_;
    }
    return this.start(now);
  }

  /** After a write in this process (or a notification of another's): the next question waits for a look at the store. */
  invalidate(): void {
    this.dirty = true;
  }

  /** Resolves once the look at the store in progress, if any, is done (for tools and tests). */
  async settled(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
  }

  private start(now: Date): Promise<IncidentIndex> {
    this.refreshing ??= this.refresh(now).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refresh(now: Date): Promise<IncidentIndex> {
    this.dirty = false;
    this.checkedAt = this.monotonic();
    const since = now.getTime() - (this.options.resolvedWindowMs ?? RECENTLY_RESOLVED_MS);
    const first = this.seq === null || this.index_ === null;
    const changes = first ? await this.store.incidents.inEffect(new Date(since)) : await this.store.incidents.changesSince(this.seq!);
    this.seq = changes.seq;
    for (const id of changes.deleted) this.resolvedAt.delete(id);
    // Resolved long ago: no answer mentions it any more (a change may bring in such an old one too).
    const gone = new Set(changes.deleted);
    const kept: Incident[] = [];
    for (const incident of changes.changed) {
      const resolved = incident.resolvedAt ? Date.parse(incident.resolvedAt) : null;
      if (resolved !== null && resolved < since) {
        gone.add(incident.id);
        this.resolvedAt.delete(incident.id);
        continue;
      }
      if (resolved === null) this.resolvedAt.delete(incident.id);
      else this.resolvedAt.set(incident.id, resolved);
      kept.push(incident);
    }
    for (const [id, resolved] of this.resolvedAt) {
      if (resolved < since) {
        gone.add(id);
        this.resolvedAt.delete(id);
      }
    }
    if (first) this.index_ = new IncidentIndex(kept, this.gazetteer, this.options);
    // Unchanged, the same index: answers memoised on it stay good.
    else {
      const removed = [...gone].filter((id) => this.index_!.has(id));
      if (kept.length > 0 || removed.length > 0) this.index_ = this.index_!.withChanges(kept, removed);
    }
    return this.index_!;
  }
}
