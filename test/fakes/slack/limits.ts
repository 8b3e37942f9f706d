/**
 * The Slack rate limits the fake Web API enforces, per Slack's documentation, with every
 * refill multiplied by `scale` (> 1 makes tests and the bench shorter; the lower bound the
 * bench computes from the same figures keeps its meaning):
 * - chat.postMessage ("special" tier): 1 message/s per channel (burst 1); per workspace a
 *   burst of 50 then 50/min. Slack only says "several hundred per minute" for the workspace;
 *   50/min is the conservative figure also used by test/fakes/generic/buckets.ts, so the
 *   fan-out bench's lower bound is the same for the generic and the Slack fakes.
 * - chat.update, conversations.history, conversations.replies (Tier 3): 50/min per
 *   workspace and method, burst 50.
 * - Everything else (auth.test, views.*, users.info...): not limited by the fake.
 * A 429 carries `Retry-After` in whole seconds, rounded up, as Slack sends it.
 * Time comes from the fake's clock (`now`, milliseconds), so tests can run it virtually.
 */
import { LimitSet, platformLimits, type BucketSpec, type PlatformLimits } from '../generic/buckets.js';

/** The limits, by kind of method. */
export interface SlackFakeLimits {
  /** chat.postMessage: per channel and per workspace. */
  post: PlatformLimits;
  /** Tier 3 methods: per workspace and method. */
  tier3: BucketSpec;
}

/** Methods of Tier 3 the fake limits. */
export const TIER3_METHODS: ReadonlySet<string> = new Set(['chat.update', 'conversations.history', 'conversations.replies']);

/** Slack's documented limits, refills × `scale`. */
export function slackLimits(scale = 1): SlackFakeLimits {
  return { post: platformLimits('slack', scale), tier3: { capacity: 50, perSecond: (50 / 60) * scale } };
}

/** Buckets for one fake: `check` answers 0 (and takes a token) or the wait in ms. */
export class SlackLimiter {
  private readonly post: LimitSet;
  private readonly tier3: LimitSet;
  constructor(
    limits: SlackFakeLimits,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.post = new LimitSet(limits.post);
    this.tier3 = new LimitSet({ perWorkspace: limits.tier3 });
  }

  /** 0 when the call may go on, else the milliseconds to wait (nothing taken). */
  check(method: string, workspace: string, channel: string): number {
    const now = this.now();
    if (method === 'chat.postMessage') return this.post.tryTake(workspace, channel, now);
    // The method name stands in for the channel: Tier 3 buckets are per workspace and method.
    if (TIER3_METHODS.has(method)) return this.tier3.tryTake(`${workspace}#${method}`, '', now);
    return 0;
  }
}
