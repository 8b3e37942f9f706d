/**
 * Platform rate limits kept in the database, so every instance on one store draws from the
 * same allowance (Discord's 50 requests/s per bot token, Slack's 1 message/s per channel)
 * instead of each sending at the full rate. Each limit is a GCRA bucket: a row holding the
 * time its next request may go (`tat_ms`); a reservation locks the rows it needs, takes the
 * earliest time every one of them allows, moves them on, and says how long to wait. Times
 * come from the database's clock, so instances on hosts whose clocks differ still agree.
 */
import { sql, type Kysely } from 'kysely';
import type { Db } from './sql/connect.js';
import type { Database } from './sql/schema.js';

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

/** Shared limits in the store's database. */
export function createRateBuckets(db: Db, options: RateBucketOptions = {}): SharedPace {
  let reservations = 0;
  const nowIn = async (tx: Kysely<Database>): Promise<number> => {
    if (options.now) return options.now();
    const query = db.dialect === 'postgres' ? sql<{ now: number }>`select extract(epoch from clock_timestamp()) * 1000 as now` : sql<{ now: number }>`select (julianday('now') - 2440587.5) * 86400000.0 as now`;
    return Number((await query.execute(tx)).rows[0]!.now);
  };
  return {
    async reserve(limits) {
      if (limits.length === 0) return 0;
      const byKey = new Map(limits.map((l) => [l.key, l]));
      // Always the same order, so two reservations never wait for each other's rows crosswise.
      const keys = [...byKey.keys()].sort();
      return db.write(async (tx) => {
        await tx
          .insertInto('rate_buckets')
          .values(keys.map((key) => ({ key, tat_ms: 0 })))
          .onConflict((oc) => oc.column('key').doNothing())
          .execute();
        let rows = tx.selectFrom('rate_buckets').select(['key', 'tat_ms']).where('key', 'in', keys).orderBy('key');
        if (db.dialect === 'postgres') rows = rows.forUpdate();
        const current = new Map((await rows.execute()).map((r) => [r.key, Number(r.tat_ms)]));
        const now = await nowIn(tx);
        // The earliest time every bucket allows: its next slot, less the burst it tolerates.
        let at = now;
        for (const key of keys) {
          const limit = byKey.get(key)!;
          const interval = 1000 / limit.perSecond;
          at = Math.max(at, (current.get(key) ?? 0) - (Math.max(1, limit.capacity) - 1) * interval);
        }
        for (const key of keys) {
          const interval = 1000 / byKey.get(key)!.perSecond;
          const tat = Math.max(current.get(key) ?? 0, at) + interval;
          await tx.updateTable('rate_buckets').set({ tat_ms: tat }).where('key', '=', key).execute();
        }
        if (++reservations % CLEAN_EVERY === 0) await tx.deleteFrom('rate_buckets').where('tat_ms', '<', now - IDLE_MS).execute();
        return Math.max(0, Math.ceil(at - now));
      });
    },
  };
}
