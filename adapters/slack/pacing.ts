/**
 * Client-side pacing of Slack Web API calls, so the transport stays under Slack's limits
 * instead of learning them from 429s:
 * - chat.postMessage: a bucket per channel (Slack documents 1 message per second per
 *   channel) and one per workspace (Slack documents a workspace-wide limit but no figure; the
 *   default, a burst of 40 then 48 a minute, stays under the conservative 50 a minute the
 *   fakes enforce);
 * - chat.update, conversations.history, conversations.replies (Tier 3, 50+ a minute): a
 *   bucket per workspace and method.
 * Workspace buckets adapt: a 429 holds the bucket for its whole Retry-After, empties its
 * burst and halves its rate (once per round of calls sent at the old rate; never below a
 * tenth of the configured rate); each call that goes through gives back a fiftieth of it.
 * Waits run on the injected clock and timer, and end at once when the caller's signal aborts.
 */
import type { Timer } from '../../src/base/timer.js';
import { TokenBucket, type BucketSpec } from '../../src/base/token-bucket.js';

/** What to pace; an absent bucket is not paced. */
export interface SlackPacing {
  /** chat.postMessage per channel. */
  perChannel?: BucketSpec;
  /** chat.postMessage per workspace. */
  perWorkspace?: BucketSpec;
  /** Each Tier 3 method (chat.update, conversations.history/replies) per workspace. */
  tier3?: BucketSpec;
  /** Whether workspace buckets slow down after a 429 (default true). */
  adaptive?: boolean;
  /**
   * A hold (what is left of a Retry-After) longer than this is not waited out in the
   * transport: the call is handed back to the dispatcher as rate limited, unsent (default 1 s).
   */
  maxHoldWaitMs?: number;
}

/** Slack's documented per-channel limit, and conservative workspace and Tier 3 rates. */
export const DEFAULT_PACING: SlackPacing = {
  perChannel: { capacity: 1, perSecond: 1 },
  perWorkspace: { capacity: 40, perSecond: 0.8 },
  tier3: { capacity: 40, perSecond: 0.8 },
};

/** Methods paced as Tier 3. */
const TIER3: ReadonlySet<string> = new Set(['chat.update', 'conversations.history', 'conversations.replies']);

/** How a wait for a pace ended. */
export type Pass =
  /** Go: send now. `sentAt` is given back with the outcome. */
  | { kind: 'go'; sentAt: number }
  /** The workspace is held by a 429 for longer than `maxHoldWaitMs`: do not send. */
  | { kind: 'held'; retryAfterMs: number }
  /** The signal aborted: do not send. */
  | { kind: 'aborted' };

/** One bucket (src/base/token-bucket.ts); an adaptive one also takes 429s into account. */
class Lane {
  private readonly bucket: TokenBucket;
  private heldUntil = -Infinity;
  private slowedAt = -Infinity;

  constructor(
    private readonly spec: BucketSpec,
    now: number,
    private readonly adaptive: boolean,
  ) {
    this.bucket = new TokenBucket(spec, now);
  }

  /** Milliseconds the lane is still held by a 429. */
  heldFor(now: number): number {
    return Math.max(0, this.heldUntil - now);
  }

  /** Milliseconds until a token is there (0 when one is and the lane is not held). */
  waitMs(now: number): number {
    return Math.max(this.heldFor(now), this.bucket.waitMs(now));
  }

  take(now: number): void {
    this.bucket.take(now);
  }

  /** A 429 to a call sent at `sentAt`: hold for the Retry-After, drop the burst, slow down. */
  limited(now: number, sentAt: number, retryAfterMs: number): void {
    this.bucket.empty(now);
    this.heldUntil = Math.max(this.heldUntil, now + retryAfterMs);
    // Calls sent before the last slow-down were paced at the old rate: one cut for them all.
    if (this.adaptive && sentAt > this.slowedAt) {
      this.bucket.rate = Math.max(this.spec.perSecond / 10, this.bucket.rate / 2);
      this.slowedAt = now;
    }
  }

  /** A call went through: speed back up, slowly, to the configured rate. */
  passed(): void {
    if (this.adaptive) this.bucket.rate = Math.min(this.spec.perSecond, this.bucket.rate + this.spec.perSecond / 50);
  }

  /** The current rate, per second (for tests and logs). */
  get perSecond(): number {
    return this.bucket.rate;
  }
}

// Idle channels' buckets are full again after a while; forgetting them bounds memory.
const MAX_LANES = 50_000;

/** Waits for the tokens of a call's buckets, and learns from Slack's answers. */
export class Pacer {
  private readonly lanes = new Map<string, Lane>();
  private readonly maxHoldWaitMs: number;

  constructor(
    private readonly pacing: SlackPacing,
    private readonly now: () => number,
    private readonly timer: Timer,
  ) {
    this.maxHoldWaitMs = pacing.maxHoldWaitMs ?? 1_000;
  }

  /** Waits until `method` may be called for `channel` of `workspace` (and takes the tokens). */
  async take(workspace: string, channel: string, method: string, signal?: AbortSignal): Promise<Pass> {
    for (;;) {
      if (signal?.aborted) return { kind: 'aborted' };
      const now = this.now();
      const lanes = this.lanesFor(workspace, channel, method, now);
      const held = Math.max(0, ...lanes.map((l) => l.heldFor(now)));
      if (held > this.maxHoldWaitMs) return { kind: 'held', retryAfterMs: held };
      const wait = Math.max(0, ...lanes.map((l) => l.waitMs(now)));
      if (wait === 0) {
        for (const l of lanes) l.take(now);
        return { kind: 'go', sentAt: now };
      }
      await this.timer.sleep(wait, signal);
    }
  }

  /** Slack answered 429 to a call sent at `sentAt`. */
  limited(workspace: string, method: string, sentAt: number, retryAfterMs: number): void {
    this.feedbackLane(workspace, method)?.limited(this.now(), sentAt, retryAfterMs);
  }

  /** Slack answered a call without a rate limit. */
  passed(workspace: string, method: string): void {
    this.feedbackLane(workspace, method)?.passed();
  }

  /** The current rate of a workspace's `method` bucket, per second (undefined when not paced yet). */
  rateOf(workspace: string, method: string): number | undefined {
    return this.feedbackLane(workspace, method)?.perSecond;
  }

  /** The bucket a 429 is blamed on: the workspace's (Slack's per-channel pace is kept anyway). */
  private feedbackLane(workspace: string, method: string): Lane | undefined {
    if (method === 'chat.postMessage') return this.lanes.get(`w/${workspace}`);
    if (TIER3.has(method)) return this.lanes.get(`m/${workspace}/${method}`);
    return undefined;
  }

  private lanesFor(workspace: string, channel: string, method: string, now: number): Lane[] {
    const out: Lane[] = [];
    const get = (key: string, spec: BucketSpec | undefined, adaptive: boolean) => {
      if (!spec) return;
      let lane = this.lanes.get(key);
      if (!lane) {
        if (this.lanes.size >= MAX_LANES) this.lanes.delete(this.lanes.keys().next().value!);
        lane = new Lane(spec, now, adaptive);
        this.lanes.set(key, lane);
      }
      out.push(lane);
    };
    const adaptive = this.pacing.adaptive ?? true;
    if (method === 'chat.postMessage') {
      get(`w/${workspace}`, this.pacing.perWorkspace, adaptive);
      get(`c/${workspace}/${channel}`, this.pacing.perChannel, false);
    } else if (TIER3.has(method)) {
      get(`m/${workspace}/${method}`, this.pacing.tier3, adaptive);
    }
    return out;
  }
}
