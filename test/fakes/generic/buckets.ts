/**
 * Token buckets (src/base/token-bucket.ts, the Slack pacer's too), the rate-limit model shared
 * by the fake platform (which answers 429 when a bucket is empty) and the generic transport
 * (which waits for a token before sending, as @discordjs/rest and Slack's WebClient do for
 * their platforms).
 *
 * Modelled limits (per `platformLimits`, time scaled by `scale`):
 * - Slack: chat.postMessage 1 message/s per channel; per workspace a burst of 50 then
 *   50/min (Slack documents "1 per second per channel, short bursts tolerated" and a
 *   workspace-wide special tier; 50/min is the conservative figure used here).
 * - Discord: 50 requests/s per bot (global); per channel route 5 requests / 5 s.
 */

import { TokenBucket, type BucketSpec } from '../../../src/base/token-bucket.js';

export { TokenBucket, type BucketSpec };

/** Limits by scope; absent = unlimited. */
export interface PlatformLimits {
  global?: BucketSpec;
  perWorkspace?: BucketSpec;
  perChannel?: BucketSpec;
}

/** The modelled Slack and Discord limits; `scale` > 1 makes every refill faster (and the bench shorter). */
export function platformLimits(platform: 'slack' | 'discord', scale = 1): PlatformLimits {
  return platform === 'slack'
    ? { perChannel: { capacity: 1, perSecond: 1 * scale }, perWorkspace: { capacity: 50, perSecond: (50 / 60) * scale } }
    : { global: { capacity: 50, perSecond: 50 * scale }, perChannel: { capacity: 5, perSecond: 1 * scale } };
}

/**
 * The same limits for a client that must stay under the server's: refills slowed by `factor`
 * (< 1) and `reserve` tokens of each burst left unused, so network jitter (two requests
 * arriving closer together than they were sent) does not turn into 429s.
 */
export function withMargin(limits: PlatformLimits, factor: number, reserve = 1): PlatformLimits {
  const slow = (b: BucketSpec | undefined) => (b ? { capacity: Math.max(1, b.capacity - reserve), perSecond: b.perSecond * factor } : undefined);
  const out: PlatformLimits = {};
  const g = slow(limits.global);
  const w = slow(limits.perWorkspace);
  const c = slow(limits.perChannel);
  if (g) out.global = g;
  if (w) out.perWorkspace = w;
  if (c) out.perChannel = c;
  return out;
}

/** Buckets per scope for a set of limits, created on first use. */
export class LimitSet {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(private readonly limits: PlatformLimits) {}

  private bucketsFor(workspace: string, channel: string, now: number): TokenBucket[] {
    const out: TokenBucket[] = [];
    const get = (key: string, spec: BucketSpec | undefined) => {
      if (!spec) return;
      let b = this.buckets.get(key);
      if (!b) {
        b = new TokenBucket(spec, now);
        this.buckets.set(key, b);
      }
      out.push(b);
    };
    get('global', this.limits.global);
    get(`w/${workspace}`, this.limits.perWorkspace);
    get(`c/${workspace}/${channel}`, this.limits.perChannel);
    return out;
  }

  /** Takes a token from every bucket of the channel and returns 0, or returns the wait (taking nothing). */
  tryTake(workspace: string, channel: string, now: number): number {
    const buckets = this.bucketsFor(workspace, channel, now);
    const wait = Math.max(0, ...buckets.map((b) => b.waitMs(now)));
    if (wait > 0) return wait;
    for (const b of buckets) b.take(now);
    return 0;
  }
}
