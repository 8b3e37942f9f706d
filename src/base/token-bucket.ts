/**
 * The token bucket, Vigie's one model of a rate limit: a burst of `capacity` requests, then
 * `perSecond`. The Slack transport paces its calls with it (adapters/slack/pacing.ts, which
 * adds holds and adaptive slow-downs on top); the test fakes answer 429 and the generic
 * transport waits with the same buckets (test/fakes/generic/buckets.ts). Times are
 * milliseconds on whatever clock the caller passes (performance.now(), a virtual clock); a
 * time earlier than the last one seen refills nothing.
 */

/** A bucket's shape: `capacity` tokens, refilled at `perSecond`. */
export interface BucketSpec {
  capacity: number;
  perSecond: number;
}

/** One bucket. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  /** The refill rate, per second: the spec's, unless its owner slows it down. */
  rate: number;

  constructor(
    readonly spec: BucketSpec,
    now: number,
  ) {
    this.tokens = spec.capacity;
    this.last = now;
    this.rate = spec.perSecond;
  }

  /** Milliseconds until a token is there (0 when one is). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }

  /** Takes a token (the bucket may go into debt: the next ones wait longer). */
  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** Drops the burst: no token left (a debt is kept). */
  empty(now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(now: number): void {
    if (now > this.last) this.tokens = Math.min(this.spec.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = Math.max(this.last, now);
  }
}
