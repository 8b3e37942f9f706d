/**
 * Discord's REST rate limits as the fake enforces them, with the headers Discord sends so
 * @discordjs/rest can pace itself:
 * - global: `global.limit` requests per `global.windowMs` per bot (Discord: 50 per second),
 *   fixed windows starting at the first request after the previous one ended; beyond it a 429
 *   with `{ global: true }` and `X-RateLimit-Global`.
 * - per route: each route ("POST /channels/:id/messages", "PATCH /channels/:id/messages/:id")
 *   and major parameter (the channel) is a bucket of `perRoute.limit` requests per
 *   `perRoute.windowMs` (Discord: 5 per 5 s for messages in a channel), announced on every
 *   answer with X-RateLimit-Limit / -Remaining / -Reset-After / -Bucket.
 * A 429 carries `{ message, retry_after (seconds, float), global }` and `Retry-After`, which
 * Discord rounds up to whole seconds.
 */
import { createHash } from 'node:crypto';

/** One limit: `limit` requests per `windowMs`. */
export interface WindowSpec {
  limit: number;
  windowMs: number;
}

/** The limits the fake enforces. */
export interface DiscordLimits {
  global: WindowSpec;
  perRoute: WindowSpec;
}

/** Discord's documented limits. */
export const DISCORD_LIMITS: DiscordLimits = { global: { limit: 50, windowMs: 1000 }, perRoute: { limit: 5, windowMs: 5000 } };

/** What the limiter decided: go on (with headers to send) or a 429 to answer. */
export type LimitDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; global: boolean; retryAfterMs: number; headers: Record<string, string> };

interface Window {
  count: number;
  resetAt: number;
}

/** The route template and major parameter of a path: "/channels/1/messages/2" → ["/channels/:id/messages/:id", "1"]. */
export function routeOf(path: string): { template: string; major: string } {
  const major = /^\/(?:channels|guilds|webhooks)\/(\d+)/.exec(path)?.[1] ?? 'global';
  return { template: path.replace(/\/\d{5,}/g, '/:id'), major };
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/** The fake's limiter; `now` is milliseconds from any monotonic clock. */
export class DiscordLimiter {
  private global: Window = { count: 0, resetAt: 0 };
  private readonly buckets = new Map<string, Window>();

  constructor(private readonly limits: DiscordLimits) {}

  /** Counts a request and says whether it may go on. */
  check(method: string, path: string, now: number): LimitDecision {
    if (now >= this.global.resetAt) this.global = { count: 0, resetAt: now + this.limits.global.windowMs };
    if (this.global.count >= this.limits.global.limit) {
      const wait = this.global.resetAt - now;
      return { ok: false, global: true, retryAfterMs: wait, headers: { 'retry-after': String(Math.ceil(wait / 1000)), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' } };
    }
    this.global.count++;
    const { template, major } = routeOf(path);
    const route = `${method} ${template}`;
    const hash = createHash('sha1').update(route).digest('hex').slice(0, 16);
    const key = `${route}|${major}`;
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) {
      bucket = { count: 0, resetAt: now + this.limits.perRoute.windowMs };
      this.buckets.set(key, bucket);
    }
    const wait = bucket.resetAt - now;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(this.limits.perRoute.limit),
      'x-ratelimit-reset-after': seconds(wait),
      'x-ratelimit-bucket': hash,
    };
    if (bucket.count >= this.limits.perRoute.limit) {
      return { ok: false, global: false, retryAfterMs: wait, headers: { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': String(Math.ceil(wait / 1000)), 'x-ratelimit-scope': 'user' } };
    }
    bucket.count++;
    return { ok: true, headers: { ...headers, 'x-ratelimit-remaining': String(this.limits.perRoute.limit - bucket.count) } };
  }
}
