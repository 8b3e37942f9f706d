/**
 * Episodes and alert groups of crowd signals (#15).
 *
 * An episode is one service × place above a threshold: it opens, grows (strength, peak, top
 * places) and closes after the calm span. Episodes at the same time that belong together
 * (one service in several places, or several services in one académie) form one alert group,
 * so officials get one alert, not a storm. A group keeps its id while it lives: when groups
 * merge, the oldest id stays; when one splits, the part with the oldest member keeps it.
 */
import type { PlaceRef } from '../base/types.js';
import type { SignalStrength } from './types.js';

/** One service × place above a threshold. Times are instants; counts are distinct reporters. */
export interface Episode {
  /** Stable: service, place and the first window ("ent@region:76@2026-12-01T07:15:00.000Z"). */
  id: string;
  service: string;
  place: PlaceRef;
  state: 'open' | 'closed';
  /** The highest strength reached. */
  strength: SignalStrength;
  /** The strength now ('calm' while waiting out the calm span before closing). */
  current: SignalStrength | 'calm';
  /** The step at which it opened. */
  openedAt: Date;
  /** The first counted report of its first window. */
  firstSeen: Date;
  /** The last counted report. */
  lastSeen: Date;
  /** Distinct reporters over the last two windows (30 minutes by default). */
  reporters: number;
  /** Reporters counted since the first window (each once per `reporterOnceMinutes`). */
  total: number;
  /** The busiest window so far, with its baseline. */
  peak: { count: number; window: Date; baseline: number };
  /** The baseline of the window now. */
  baseline: number;
  /** Narrower places with the most reporters over the last two windows, most first. */
  topPlaces: { place: PlaceRef; reporters: number }[];
  /** The end of the calm span that closed it (null while open). */
  closedAt: Date | null;
  /** The alert group it belongs to. */
  groupId: string;
}

/** One alert: related episodes at the same time. */
export interface AlertGroup {
  /** Stable while the group lives: "g:" and the id of its first episode. */
  id: string;
  state: 'open' | 'closed';
  openedAt: Date;
  /** Open episodes, and those that closed while in the group. */
  episodes: Episode[];
  services: string[];
  /** The highest current strength among its open episodes (its highest ever once closed). */
  strength: SignalStrength;
  firstSeen: Date;
  closedAt: Date | null;
  /** When it closed because its episodes joined another group: that group's id. */
  mergedInto: string | null;
}

export type EpisodeEvent = { type: 'opened' | 'updated' | 'closed'; episode: Episode };
export type GroupEvent = { type: 'opened' | 'updated' | 'closed'; group: AlertGroup };

const RANK = { elevated: 1, surge: 2 } as const;

/**
 * Assigns open episodes to alert groups, step after step. `related` says whether two
 * episodes belong together; groups are the connected parts of that relation.
 */
export class AlertGrouper {
  private readonly open = new Map<string, AlertGroup>();
  /** Creation order of group ids (the oldest id wins a merge). */
  private readonly order = new Map<string, number>();
  private seq = 0;

  constructor(private readonly related: (a: Episode, b: Episode) => boolean) {}

  /** Open groups now. */
  groups(): AlertGroup[] {
    return [...this.open.values()];
  }

  /**
   * Regroups after a step: `openEpisodes` are the episodes open now (their `groupId` is the
   * previous assignment, '' when new), `closedNow` those that closed at this step. Sets
   * `groupId` on every episode and returns what changed; `changed` holds the ids of episodes
   * that opened, grew or closed at this step.
   */
  update(now: Date, openEpisodes: Episode[], closedNow: Episode[], changed: ReadonlySet<string>): GroupEvent[] {
    // Connected parts, in a stable order (episodes sorted by id).
    const eps = [...openEpisodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const parent = eps.map((_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
      return i;
    };
    for (let i = 0; i < eps.length; i++) {
      for (let j = i + 1; j < eps.length; j++) {
        if (find(i) !== find(j) && this.related(eps[i]!, eps[j]!)) parent[find(j)] = find(i);
      }
    }
    const parts = new Map<number, Episode[]>();
    eps.forEach((e, i) => {
      const r = find(i);
      const list = parts.get(r);
      if (list) list.push(e);
      else parts.set(r, [e]);
    });
    // Each part keeps the oldest id among its members' groups, unless an older part took it.
    const components = [...parts.values()].map((members) => {
      const ids = [...new Set(members.map((m) => m.groupId).filter((id) => this.order.has(id)))].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
      const oldest = members.reduce((m, e) => Math.min(m, e.openedAt.getTime()), Infinity);
      return { members, ids, oldest };
    });
    components.sort((a, b) => (this.order.get(a.ids[0] ?? '') ?? Infinity) - (this.order.get(b.ids[0] ?? '') ?? Infinity) || a.oldest - b.oldest);
    const taken = new Set<string>();
    const events: GroupEvent[] = [];
    const nowOpen = new Map<string, AlertGroup>();
    for (const { members, ids } of components) {
      let id = ids.find((candidate) => !taken.has(candidate));
      const before = id === undefined ? undefined : this.open.get(id);
      if (id === undefined || before === undefined) {
        id = `g:${members[0]!.id}`;
        while (this.order.has(id)) id = `${id}+`;
        this.order.set(id, this.seq++);
      }
      taken.add(id);
      const grown = members.some((m) => m.groupId !== id || changed.has(m.id));
      for (const m of members) m.groupId = id;
      // Episodes of this group that closed at this step stay listed in it.
      const closed = (before?.episodes ?? []).filter((e) => e.state === 'closed');
      for (const e of closedNow) if (e.groupId === id) closed.push(e);
      const group = build(id, before?.openedAt ?? now, [...members, ...closed], before);
      nowOpen.set(id, group);
      const ids_ = new Set(members.map((m) => m.id));
      const shrunk = before !== undefined && before.episodes.some((e) => e.state === 'open' && !ids_.has(e.id));
      if (!before) events.push({ type: 'opened', group });
      else if (grown || shrunk || closedNow.some((e) => e.groupId === id)) events.push({ type: 'updated', group });
    }
    // Groups no part kept: all their episodes closed, or they joined another group.
    const openById = new Map(eps.map((e) => [e.id, e]));
    for (const [id, before] of this.open) {
      if (nowOpen.has(id)) continue;
      const episodes = before.episodes.map((e) => closedNow.find((c) => c.id === e.id) ?? e);
      const moved = episodes.map((e) => openById.get(e.id)).find((e) => e !== undefined);
      const closedAt = moved ? now : episodes.reduce((m, e) => Math.max(m, e.closedAt?.getTime() ?? now.getTime()), 0);
      const group: AlertGroup = { ...build(id, before.openedAt, episodes, before), state: 'closed', closedAt: new Date(closedAt), mergedInto: moved ? moved.groupId : null };
      events.push({ type: 'closed', group });
      this.order.delete(id);
    }
    this.open.clear();
    for (const [id, g] of nowOpen) this.open.set(id, g);
    return events;
  }
}

function build(id: string, openedAt: Date, episodes: Episode[], before: AlertGroup | undefined): AlertGroup {
  const open = episodes.filter((e) => e.state === 'open');
  const from = open.length > 0 ? open.map((e) => (e.current === 'calm' ? 'elevated' : e.current)) : episodes.map((e) => e.strength);
  let strength: SignalStrength = 'elevated';
  for (const s of from) if (RANK[s] > RANK[strength]) strength = s;
  const firstSeen = Math.min(before?.firstSeen.getTime() ?? Infinity, ...episodes.map((e) => e.firstSeen.getTime()));
  return {
    id,
    state: 'open',
    openedAt,
    episodes,
    services: [...new Set(episodes.map((e) => e.service))].sort(),
    strength,
    firstSeen: new Date(firstSeen),
    closedAt: null,
    mergedInto: null,
  };
}
