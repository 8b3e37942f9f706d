/**
 * What operators ask of a store (`vigie db status`, `vigie health`): how much it holds, what
 * is waiting to be delivered and since when, what is paused. Read-only and cheap enough to run
 * against a live store: the waiting deliveries are found through the (next attempt)
 * partial indexes of each state, never by reading the history.
 */
import { sql } from 'kysely';
import type { Db } from './sql/connect.js';

/** The deliveries still to go out. */
export interface Backlog {
  /** Pending or in flight. */
  count: number;
  /** The earliest created of them, with its notice. */
  oldest: { createdAt: string; noticeId: string } | null;
  /** The earliest next attempt among them (a time in the past means it is due). */
  nextAttemptAt: string | null;
}

/** How many rows each part of the store holds. */
export interface StoreCounts {
  incidents: number;
  openIncidents: number;
  subscriptions: number;
  activeSubscriptions: number;
  notices: number;
  deliveries: Record<string, number>;
  auditEntries: number;
}

const UNFINISHED = ['pending', 'in_flight'] as const;

/** The deliveries still waiting. */
export async function backlog(db: Db): Promise<Backlog> {
  const k = db.kysely;
  let count = 0;
  let next: string | null = null;
  let oldest: Backlog['oldest'] = null;
  // Per state, a literal: each state's partial index holds only what waits (no index spans
  // every state, so `state in (…)` would read the whole history).
  for (const state of UNFINISHED) {
    const row = await k
      .selectFrom('deliveries')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('next_attempt_at').as('next')])
      .where('state', '=', sql.lit(state))
      .executeTakeFirstOrThrow();
    count += Number(row.n);
    const at = (row.next as string | null) ?? null;
    if (at !== null && (next === null || at < next)) next = at;
    const first = await k.selectFrom('deliveries').select(['created_at', 'notice_id']).where('state', '=', sql.lit(state)).orderBy('created_at').limit(1).executeTakeFirst();
    if (first && (oldest === null || first.created_at < oldest.createdAt)) oldest = { createdAt: first.created_at, noticeId: first.notice_id };
  }
  return { count, oldest, nextAttemptAt: next };
}

/** Row counts (reads every table's index: for `db status`, not for health checks). */
export async function storeCounts(db: Db): Promise<StoreCounts> {
  const k = db.kysely;
  const count = async (table: 'notices' | 'audit') => Number((await k.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const incidents = await k
    .selectFrom('incidents')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('id').filterWhere('resolved_at', 'is', null).as('open')])
    .executeTakeFirstOrThrow();
  const subscriptions = await k
    .selectFrom('subscriptions')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('id').filterWhere('active', '=', 1).as('active')])
    .executeTakeFirstOrThrow();
  const byState = await k.selectFrom('deliveries').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
  return {
    incidents: Number(incidents.n),
    openIncidents: Number(incidents.open),
    subscriptions: Number(subscriptions.n),
    activeSubscriptions: Number(subscriptions.active),
    notices: await count('notices'),
    deliveries: Object.fromEntries(byState.map((r) => [r.state, Number(r.n)])),
    auditEntries: await count('audit'),
  };
}
