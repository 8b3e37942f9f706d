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
  /**
   * Like `reserve`, but only when the slot is at most `withinMs` away: otherwise nothing more
   * is reserved (a limit already reserved earlier in `limits` keeps its slot unused) and it
   * resolves with `later`, about how long until a slot that near may be had.
   */
  reserveWithin?(limits: readonly RateLimit[], withinMs: number): Promise<{ waitMs: number } | { laterMs: number }>;
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
/** Most slots of one limit reserved by one statement. */
const MAX_BATCH = 64;

/** A request waiting for its slot of a one-limit reservation. */
interface Waiter {
  resolve: (slot: { at: number; now: number }) => void;
  reject: (error: unknown) => void;
}

/**
 * Shared limits in the store's database. Each limit is reserved by one statement (an upsert
 * that moves the bucket on and returns it), so a row is locked only for that statement.
 * Several limits are reserved in turn, each no earlier than the slot the previous one gave.
 *
 * A reservation of one limit (Discord's global limit, every request of a bot; Slack's Tier 3)
 * is batched: while this process's statement for that limit is on its way, the requests that
 * come meanwhile wait and are then reserved together, by one statement that moves the bucket
 * on by as many slots (the same slots as that many statements in a row). Each process then has
 * at most one statement at a time on a busy row instead of one per request in flight (64 per
 * dispatcher and platform), which queued on the row's lock while holding connections of the
 * pool that claims, saves and Slack's reservations need. Every slot still has its request: none
 * is reserved ahead for a request that may never come.
 */
export function createRateBuckets(db: Db, options: RateBucketOptions = {}): SharedPace {
  const pg = db.dialect === 'postgres';
  const num = (x: number) => (pg ? sql`${x}::float8` : sql`${x}`);
  const greatest = sql.raw(pg ? 'greatest' : 'max');
  const clock = () => (options.now ? num(options.now()) : pg ? sql`(extract(epoch from clock_timestamp()) * 1000)::float8` : sql`((julianday('now') - 2440587.5) * 86400000.0)`);
  let reservations = 0;

  /**
   * Reserves `count` consecutive slots of `limit`, none before `notBefore`: when the i-th
   * (from 0) may go, and the clock's now, in database time.
   */
  const reserveSlots = async (limit: RateLimit, count: number, notBefore: number): Promise<{ at: (i: number) => number; now: number }> => {
    const interval = 1000 / limit.perSecond;
    const tolerance = (Math.max(1, limit.capacity) - 1) * interval;
    // GCRA: next = max(next, now) + interval per slot; slot i may go at max(now, start + i × interval - tolerance).
    const { rows } = await sql<{ tat_ms: number; now: number }>`
      insert into rate_buckets as b (key, tat_ms) values (${limit.key}, ${greatest}(${clock()}, ${num(notBefore)}) + ${num(count * interval)})
      on conflict (key) do update set tat_ms = ${greatest}(b.tat_ms + ${num(count * interval)}, excluded.tat_ms)
      returning tat_ms, ${clock()} as now`.execute(db.kysely);
    const start = Number(rows[0]!.tat_ms) - count * interval;
    const now = Number(rows[0]!.now);
    return { at: (i) => Math.max(now, notBefore, start + i * interval - tolerance), now };
  };

  /** One-limit reservations waiting, by limit; a limit is here while its statement is on its way. */
  const batches = new Map<string, Waiter[]>();
  const reserveBatched = (limit: RateLimit): Promise<{ at: number; now: number }> =>
    new Promise((resolve, reject) => {
      const id = `${limit.key}\n${limit.capacity}\n${limit.perSecond}`;
      const waiting = batches.get(id);
      if (waiting) {
        waiting.push({ resolve, reject });
        return;
      }
      const queue: Waiter[] = [{ resolve, reject }];
      batches.set(id, queue);
      void (async () => {
        // The requests of this turn of the event loop go in the first statement.
        await new Promise((r) => setImmediate(r));
        while (queue.length > 0) {
          const batch = queue.splice(0, MAX_BATCH);
          try {
            const slots = await reserveSlots(limit, batch.length, 0);
            batch.forEach((w, i) => w.resolve({ at: slots.at(i), now: slots.now }));
          } catch (error) {
            for (const w of batch) w.reject(error);
          }
        }
        batches.delete(id);
      })();
    });

  /**
   * One slot of `limit`, none before `notBefore`, if it may go at most `withinMs` after the
   * database's now: the slot and now; else null and how far the next slot is. Taken only when
   * near, in one statement (an UPDATE that matches only then), so requests that would wait
   * long do not take slots they would hold for seconds.
   */
  const reserveNear = async (limit: RateLimit, notBefore: number, withinMs: number): Promise<{ at: number; now: number } | { aheadMs: number }> => {
    const interval = 1000 / limit.perSecond;
    const tolerance = (Math.max(1, limit.capacity) - 1) * interval;
    for (let round = 0; round < 3; round++) {
      const { rows } = await sql<{ tat_ms: number; now: number }>`
        update rate_buckets set tat_ms = ${greatest}(tat_ms, ${clock()}, ${num(notBefore)}) + ${num(interval)}
        where key = ${limit.key} and ${greatest}(tat_ms - ${num(tolerance)}, ${num(notBefore)}) - ${clock()} <= ${num(withinMs)}
        returning tat_ms, ${clock()} as now`.execute(db.kysely);
      if (rows[0]) {
        const now = Number(rows[0].now);
        return { at: Math.max(now, notBefore, Number(rows[0].tat_ms) - interval - tolerance), now };
      }
      const { rows: found } = await sql<{ tat_ms: number; now: number }>`select tat_ms, ${clock()} as now from rate_buckets where key = ${limit.key}`.execute(db.kysely);
      if (found[0]) {
        const ahead = Math.max(Number(found[0].tat_ms) - tolerance, notBefore) - Number(found[0].now);
        if (ahead > withinMs) return { aheadMs: ahead };
        continue; // moved back within reach meanwhile
      }
      // No bucket yet: the first request makes it (unless another one just did).
      const { rows: made } = await sql<{ tat_ms: number; now: number }>`
        insert into rate_buckets (key, tat_ms) values (${limit.key}, ${greatest}(${clock()}, ${num(notBefore)}) + ${num(interval)})
        on conflict (key) do nothing returning tat_ms, ${clock()} as now`.execute(db.kysely);
      if (made[0]) {
        const now = Number(made[0].now);
        if (notBefore - now > withinMs) return { aheadMs: notBefore - now };
        return { at: Math.max(now, notBefore, Number(made[0].tat_ms) - interval - tolerance), now };
      }
    }
    // Contended three times over: come back a moment later rather than spin.
    return { aheadMs: withinMs + 1000 / limit.perSecond };
  };

  const cleanUp = async (now: number) => {
    if (++reservations % CLEAN_EVERY === 0) await db.kysely.deleteFrom('rate_buckets').where('tat_ms', '<', now - IDLE_MS).execute();
  };

  return {
    async reserveWithin(limits, withinMs) {
      let at = 0;
      let now = 0;
      for (const limit of limits) {
        const slot = await reserveNear(limit, at, withinMs);
        if ('aheadMs' in slot) return { laterMs: Math.max(0, slot.aheadMs - withinMs / 2) };
        ({ at, now } = slot);
      }
      if (limits.length > 0) await cleanUp(now);
      return { waitMs: Math.max(0, Math.ceil(at - now)) };
    },
    async reserve(limits) {
      let at = 0;
      let now = 0;
      if (limits.length === 1) ({ at, now } = await reserveBatched(limits[0]!));
      else {
        for (const limit of limits) {
          const slots = await reserveSlots(limit, 1, at);
          ({ now } = slots);
          at = slots.at(0);
        }
      }
      if (limits.length > 0) await cleanUp(now);
      return Math.max(0, Math.ceil(at - now));
    },
  };
}
