/**
 * Which channels a notice reaches. A subscription matches when it is active, follows one of
 * the notice's services (or every service), its place and one of the notice's places contain
 * one another (Occitanie gets Haute-Garonne's notices, Toulouse gets régional and national
 * ones, Hérault does not get Haute-Garonne's), levels intersect and the audience matches.
 * A channel gets one message however many of its subscriptions match.
 */
import type { Gazetteer } from '../places/gazetteer.js';
import type { Subscription } from '../store/subscription-repository.js';
import type { Notice } from '../store/notice.js';
import { channelKey } from '../store/delivery.js';

/** What targeting reads from a notice. */
export type NoticeScope = Pick<Notice, 'services' | 'places' | 'levels' | 'audience'>;

/** A channel to deliver to, with the subscriptions that brought it in. */
export interface Target {
  platform: Subscription['platform'];
  workspace: string;
  channel: string;
  subscriptionIds: string[];
}

/**
 * True when the subscription should receive the notice. `places` remembers, per subscribed
 * place, whether it and the notice's places contain one another (thousands of subscriptions
 * share a few hundred places).
 */
export function subscriptionMatches(sub: Subscription, scope: NoticeScope, gazetteer: Gazetteer, places: PlaceMemo = new Map()): boolean {
  if (!sub.active) return false;
  if (sub.service !== '*' && !scope.services.includes('*') && !scope.services.includes(sub.service)) return false;
  // By kind, then code: no key string built per subscription (50,000 of them for a national notice).
  let ofKind = places.get(sub.place.kind);
  if (!ofKind) places.set(sub.place.kind, (ofKind = new Map()));
  let placeMatches = ofKind.get(sub.place.code);
  if (placeMatches === undefined) {
    placeMatches = scope.places.some((p) => gazetteer.contains(p, sub.place) || gazetteer.contains(sub.place, p));
    ofKind.set(sub.place.code, placeMatches);
  }
  if (!placeMatches) return false;
  if (sub.levels.length > 0 && scope.levels.length > 0 && !sub.levels.some((l) => scope.levels.includes(l))) return false;
  // 'all' is a wildcard on both sides: a staff notice reaches staff channels and general ones.
  return scope.audience === 'all' || sub.audience === 'all' || sub.audience === scope.audience;
}

/** Whether a subscribed place and the notice's places contain one another, by place kind and code. */
export type PlaceMemo = Map<string, Map<string, boolean>>;

/**
 * Numbers for channels (the store's copy of the subscriptions gives them): same number, same
 * channel. Optional everywhere: a subscription without one is grouped by its ids.
 */
export interface ChannelNumbering {
  of(subscription: Subscription): number | undefined;
  size(): number;
}

/**
 * Calls `visit` once per matching subscription with whether it is the first of its channel,
 * in order. Channels are told apart by their number (`channels`, an array index: no key string
 * or map entry per channel, which is most of the cost at 50,000 channels) or, for a
 * subscription without one, by platform, workspace and channel id.
 */
function eachMatch(
  subscriptions: readonly Subscription[],
  scope: NoticeScope,
  gazetteer: Gazetteer,
  channels: ChannelNumbering | undefined,
  visit: (sub: Subscription, first: boolean, slot: number) => void,
): void {
  // Per channel number: 0 while unseen, else 1 + the slot `visit` was given for it.
  const seen = channels ? new Int32Array(channels.size()) : null;
  // Channels without a number, by platform, workspace and channel id (nested: no key string per subscription).
  let byChannel: Map<string, Map<string, Map<string, number>>> | null = null;
  const places: PlaceMemo = new Map();
  let slots = 0;
  for (const sub of subscriptions) {
    if (!subscriptionMatches(sub, scope, gazetteer, places)) continue;
    const n = seen ? channels!.of(sub) : undefined;
    if (n !== undefined && n < seen!.length) {
      const known = seen![n]!;
      if (known > 0) visit(sub, false, known - 1);
      else {
        seen![n] = ++slots;
        visit(sub, true, slots - 1);
      }
      continue;
    }
    byChannel ??= new Map();
    let ofPlatform = byChannel.get(sub.platform);
    if (!ofPlatform) byChannel.set(sub.platform, (ofPlatform = new Map()));
    let ofWorkspace = ofPlatform.get(sub.workspace);
    if (!ofWorkspace) ofPlatform.set(sub.workspace, (ofWorkspace = new Map()));
    const known = ofWorkspace.get(sub.channel);
    if (known !== undefined) visit(sub, false, known);
    else {
      ofWorkspace.set(sub.channel, slots);
      visit(sub, true, slots++);
    }
  }
}

/** The channels a notice reaches, one per channel, in the order of their first matching subscription. */
export function planTargets(subscriptions: readonly Subscription[], scope: NoticeScope, gazetteer: Gazetteer, channels?: ChannelNumbering): Target[] {
  const targets: Target[] = [];
  eachMatch(subscriptions, scope, gazetteer, channels, (sub, first, slot) => {
    if (first) targets.push({ platform: sub.platform, workspace: sub.workspace, channel: sub.channel, subscriptionIds: [sub.id] });
    else targets[slot]!.subscriptionIds.push(sub.id);
  });
  return targets;
}

/**
 * `targets` in the order their deliveries are numbered, and so claimed (src/store/outbox.ts:
 * deliveries due at the same time go by notice, then by number): the first channel of every
 * workspace (Slack team, Discord guild), then the second of each, and so on, each round in
 * the order of the targets. In the order of the subscriptions, a fan-out's first claims were
 * one workspace's hundred channels after another, and the last workspaces started seconds
 * after the first although each had its whole burst to spend at once.
 */
export function spreadWorkspaces(targets: readonly Target[]): Target[] {
  const seen = new Map<string, number>();
  const byRound: Target[][] = [];
  for (const t of targets) {
    const key = `${t.platform}\n${t.workspace}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (byRound[round] ??= []).push(t);
  }
  return byRound.flat();
}

/** How many channels a notice reaches, in all and per platform, and how many of them are in `updated` (channel keys). */
export interface TargetCount {
  total: number;
  byPlatform: Record<string, number>;
  updates: number;
}

/**
 * What `planTargets` would give, counted without building a target per channel (a preview
 * of a national notice counts 50,000 channels). `updated`: channel keys (`channelKey`) that
 * get an update rather than a new post.
 */
export function countTargets(
  subscriptions: readonly Subscription[],
  scope: NoticeScope,
  gazetteer: Gazetteer,
  channels: ChannelNumbering | undefined,
  updated: ReadonlySet<string>,
): TargetCount {
  const out: TargetCount = { total: 0, byPlatform: {}, updates: 0 };
  eachMatch(subscriptions, scope, gazetteer, channels, (sub, first) => {
    if (!first) return;
    out.total++;
    out.byPlatform[sub.platform] = (out.byPlatform[sub.platform] ?? 0) + 1;
    if (updated.size > 0 && updated.has(channelKey(sub))) out.updates++;
  });
  out.byPlatform = byName(out.byPlatform);
  return out;
}

/** The counts with platforms in alphabetical order: the same words for the same counts, whatever order the subscriptions came in. */
function byName(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(platformsInOrder(counts));
}

/**
 * Channels per platform as a person reads them: `first` (the platform the reader is on) first,
 * then the others by name; with `nonZero`, platforms with no channel left out.
 */
export function platformsInOrder(counts: Record<string, number>, first?: string, nonZero = false): [string, number][] {
  return Object.entries(counts)
    .filter(([, n]) => !nonZero || n > 0)
    .sort(([a], [b]) => Number(b === first) - Number(a === first) || (a < b ? -1 : a > b ? 1 : 0));
}

/** How many channels per platform. */
export function countByPlatform(targets: readonly Target[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of targets) out[t.platform] = (out[t.platform] ?? 0) + 1;
  return byName(out);
}
