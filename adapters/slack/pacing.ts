/**
 * Client-side pacing of chat.postMessage, so the transport stays under Slack's limits
 * instead of learning them from 429s: token buckets per channel (Slack documents 1 message
 * per second per channel) and, optionally, per workspace (Slack publishes no exact figure,
 * "several hundred per minute"; its 429 + Retry-After covers the rest).
 */

/** A bucket: `capacity` tokens, refilled at `perSecond`. */
export interface PaceSpec {
  capacity: number;
  perSecond: number;
}

/** What to pace; absent = not paced. */
export interface SlackPacing {
  perChannel?: PaceSpec;
  perWorkspace?: PaceSpec;
}

/** Slack's documented per-channel limit; workspaces are left to Retry-After. */
export const DEFAULT_PACING: SlackPacing = { perChannel: { capacity: 1, perSecond: 1 } };

class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly spec: PaceSpec,
    now: number,
  ) {
    this.tokens = spec.capacity;
    this.last = now;
  }

  /** Milliseconds until a token is there (0 when one is). */
  waitMs(now: number): number {
    this.tokens = Math.min(this.spec.capacity, this.tokens + ((now - this.last) / 1000) * this.spec.perSecond);
    this.last = now;
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.spec.perSecond) * 1000);
  }

  take(): void {
    this.tokens -= 1;
  }
}

// Idle channels' buckets are full again after a while; forgetting them bounds memory.
const MAX_BUCKETS = 50_000;

/** Waits for a token of the channel's and the workspace's buckets before each post. */
export class Pacer {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly pacing: SlackPacing) {}

  /** Resolves when a message may be posted to `channel` of `workspace` (and takes the tokens). */
  async take(workspace: string, channel: string): Promise<void> {
    for (;;) {
      const now = performance.now();
      const buckets = this.bucketsFor(workspace, channel, now);
      const wait = Math.max(0, ...buckets.map((b) => b.waitMs(now)));
      if (wait === 0) {
        for (const b of buckets) b.take();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private bucketsFor(workspace: string, channel: string, now: number): Bucket[] {
    const out: Bucket[] = [];
    const get = (key: string, spec: PaceSpec | undefined) => {
      if (!spec) return;
      let b = this.buckets.get(key);
      if (!b) {
        if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
        b = new Bucket(spec, now);
        this.buckets.set(key, b);
      }
      out.push(b);
    };
    get(`w/${workspace}`, this.pacing.perWorkspace);
    get(`c/${workspace}/${channel}`, this.pacing.perChannel);
    return out;
  }
}
