/**
 * Which channels a notice reaches. A subscription matches when it is active, follows one of
 * the notice's services (or every service), its place and one of the notice's places contain
 * one another (Occitanie gets Haute-Garonne's notices, Toulouse gets régional and national
 * ones, Hérault does not get Haute-Garonne's), levels intersect and the audience matches.
 * A channel gets one message however many of its subscriptions match.
 */
import type { Gazetteer } from '../places/gazetteer.js';
import type { Subscription } from '../store/subscriptions.js';
import type { Notice } from '../store/notice.js';

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

/** The channels a notice reaches, one per channel, in the order of their first matching subscription. */
export function planTargets(subscriptions: readonly Subscription[], scope: NoticeScope, gazetteer: Gazetteer): Target[] {
  // Channels by platform, workspace and channel id (nested: no key string per subscription).
  const byChannel = new Map<string, Map<string, Map<string, Target>>>();
  const targets: Target[] = [];
  const places: PlaceMemo = new Map();
  for (const sub of subscriptions) {
    if (!subscriptionMatches(sub, scope, gazetteer, places)) continue;
    let ofPlatform = byChannel.get(sub.platform);
    if (!ofPlatform) byChannel.set(sub.platform, (ofPlatform = new Map()));
    let ofWorkspace = ofPlatform.get(sub.workspace);
    if (!ofWorkspace) ofPlatform.set(sub.workspace, (ofWorkspace = new Map()));
    const existing = ofWorkspace.get(sub.channel);
    if (existing) existing.subscriptionIds.push(sub.id);
    else {
      const target: Target = { platform: sub.platform, workspace: sub.workspace, channel: sub.channel, subscriptionIds: [sub.id] };
      ofWorkspace.set(sub.channel, target);
      targets.push(target);
    }
  }
  return targets;
}

/** How many channels per platform. */
export function countByPlatform(targets: readonly Target[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of targets) out[t.platform] = (out[t.platform] ?? 0) + 1;
  return out;
}
