/**
 * Platform rate limits kept in the database, so every instance on one store draws from the
 * same allowance (Discord's 50 requests/s per bot token, Slack's 1 message/s per channel)
 * instead of each sending at the full rate. Each limit is a GCRA bucket: a row holding the
 * "theoretical arrival time" of its next request (`tat_ms`); a reservation moves it on in one
 * statement and says how long to wait. Times come from the database's clock, so instances
 * on hosts whose clocks differ still agree. With several limits (a Slack channel and its
 * workspace), a request waiting on a later one uses the earlier ones' slots late: the pace
 * is then slightly uneven, never faster on average.
 */
import { sql } from 'kysely';
import type { Db } from './sql/connect.js';

/** One limit: a burst of `capacity` requests, then `perSecond`. */
export interface RateLimit {
  /** What is limited, e.g. "discord:<token digest>" or "slack:T1/C1". */
  key: string;
  capacity: number;
  perSecond: number;
}

/** Reserves slots in shared limits. */
export interface SharedPace {
  /**
   * Reserves the next slot allowed by every limit in `limits` (one request's worth of each)
   * and resolves with the milliseconds to wait before sending. The slot is used up even if
   * the caller then gives up.
   */
  reserve(limits: readonly RateLimit[]): Promise<number>;
}

/** Options for `createRateBuckets`. */
export interface RateBucketOptions {
  /** The buckets' clock in milliseconds (tests); default the database's clock. */
  now?: () => number;
}

/** Buckets idle this long are deleted now and then (they are full again anyway). */
const IDLE_MS = 3_600_000;
/** Reservations between two clean-ups of idle buckets. */
const CLEAN_EVERY = 1_000;

/**
 * Shared limits in the store's database. Each limit is reserved by one statement (an upsert
 * that moves the bucket on and returns it), so a row is locked only for that statement and
 * busy limits (Discord's 50/s across instances) do not queue behind round trips. Several
 * limits are reserved in turn, each no earlier than the slot the previous one gave.
 */
export function createRateBuckets(db: Db, options: RateBucketOptions = {}): SharedPace {
  const pg = db.dialect === 'postgres';
  const num = (x: number) => (pg ? sql`${x}::float8` : sql`${x}`);
  const greatest = sql.raw(pg ? 'greatest' : 'max');
  const clock = () => (options.now ? num(options.now()) : pg ? sql`(extract(epoch from clock_timestamp()) * 1000)::float8` : sql`((julianday('now') - 2440587.5) * 86400000.0)`);
  let reservations = 0;

  /** Reserves one slot of `limit` not before `notBefore`; the slot and the clock's now, in database time. */
  const reserveOne = async (limit: RateLimit, notBefore: number): Promise<{ at: number; now: number }> => {
    const interval = 1000 / limit.perSecond;
    const tolerance = (Math.max(1, limit.capacity) - 1) * interval;
    // GCRA: next = max(next, now) + interval; the request may go at max(now, next - interval - tolerance).
    const { rows } = await sql<{ tat_ms: number; now: number }>`
      insert into rate_buckets as b (key, tat_ms) values (${limit.key}, ${greatest}(${clock()}, ${num(notBefore)}) + ${num(interval)})
      on conflict (key) do update set tat_ms = ${greatest}(b.tat_ms + ${num(interval)}, excluded.tat_ms)
      returning tat_ms, ${clock()} as now`.execute(db.kysely);
    const tat = Number(rows[0]!.tat_ms);
    const now = Number(rows[0]!.now);
    return { at: Math.max(now, notBefore, tat - interval - tolerance), now };
  };

  return {
    async reserve(limits) {
      let at = 0;
      let now = 0;
      for (const limit of limits) ({ at, now } = await reserveOne(limit, at));
      if (limits.length > 0 && ++reservations % CLEAN_EVERY === 0) {
        await db.kysely.deleteFrom('rate_buckets').where('tat_ms', '<', now - IDLE_MS).execute();
      }
      return Math.max(0, Math.ceil(at - now));
    },
  };
}
