/**
 * Token buckets, the rate-limit model shared by the fake platform (which answers 429 when a
 * bucket is empty) and the generic transport (which waits for a token before sending, as
 * @discordjs/rest and Slack's WebClient do for their platforms).
 *
 * Modelled limits (per `platformLimits`, time scaled by `scale`):
 * - Slack: chat.postMessage 1 message/s per channel; per workspace a burst of 50 then
 *   50/min (Slack documents "1 per second per channel, short bursts tolerated" and a
 *   workspace-wide special tier; 50/min is the conservative figure used here).
 * - Discord: 50 requests/s per bot (global); per channel route 5 requests / 5 s.
 */

/** A bucket: `capacity` tokens, refilled at `perSecond`. */
export interface BucketSpec {
  capacity: number;
  perSecond: number;
}

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

/** One bucket. Times are milliseconds from `performance.now()`-like clocks. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly spec: BucketSpec,
    now: number,
  ) {
    this.tokens = spec.capacity;
    this.last = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.spec.capacity, this.tokens + ((now - this.last) / 1000) * this.spec.perSecond);
    this.last = now;
  }

  /** Milliseconds until a token is available (0 when one is). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.spec.perSecond) * 1000);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }
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
