/**
 * The durable outbox: notices, one delivery per notice and channel, and the root message of
 * each incident per channel. A notice and its deliveries are written in one transaction with
 * the incident change they carry; dispatchers (one or several processes) claim due
 * deliveries with a lease, one per channel at a time and in notice order, and write every
 * outcome back before and after they talk to a platform.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { noticeSchema, type Notice } from './notice.js';
import { channelKey, deliverySchema, type Delivery, type RootMessage } from './delivery.js';
import type { Logger } from '../base/logger.js';
import type { Db } from './sql/connect.js';
import { notifyChange } from './sql/changes.js';
import { GroupCommit, MAX_GROUP } from './sql/group-commit.js';
import { SUBSCRIPTION_COUNTER } from './subscription-copy.js';
import { chunks, nextCounter, readBody, unnestInsert } from './sql/rows.js';
import type { Database, DeliveryTable, RootMessageTable } from './sql/schema.js';

/**
 * The plan of a claim on PostgreSQL, for this transaction only: walk the state's due index in
 * order and stop at the limit, look each channel up in the channel index. The planner's row
 * estimates lag behind the outbox (a fresh publication of 50,000 deliveries into a table whose
 * statistics say nothing is pending, or were never gathered), and with them it chose to read
 * and sort every pending delivery, or to scan them all for each candidate: 0.1 to 20 s per
 * claim instead of a few milliseconds. With sorts, bitmap, hash, merge and sequential scans
 * priced out, the walk above is the only plan left; the claim's queries need nothing else.
 */
const CLAIM_PLAN = sql`select ${sql.join(
  ['enable_sort', 'enable_bitmapscan', 'enable_hashjoin', 'enable_mergejoin', 'enable_seqscan'].map((name) => sql`set_config(${sql.lit(name)}, 'off', true)`),
)}`;

/** The states of a delivery not yet finished (each has its partial index of due deliveries). */
const UNFINISHED = ['pending', 'in_flight'] as const;

/**
 * Outbox writes committed together at most on SQLite (PostgreSQL: MAX_GROUP). A commit of 500
 * delivery saves wrote their pages to the log in one synchronous call of 20 to 60 ms of CPU
 * (measured during a 50,000-channel fan-out), holding the event loop as long. 64 still left
 * event-loop gaps of 20 to 27 ms on a quiet machine; with 32 (and 4-ms time slices) 15 to 20 ms,
 * for about a quarter fewer deliveries a second (7,000 → 5,500: far above what the platforms
 * accept anyway).
 */
export const SQLITE_MAX_GROUP = 32;

/** The counter notices are numbered from. */
export const NOTICE_COUNTER = 'notices';

/** Where a notice's delivery stands, for admins. */
export interface NoticeProgress {
  noticeId: string;
  state: Notice['state'];
  total: number;
  delivered: number;
  failed: number;
  /** Not yet delivered nor failed (includes in flight). */
  pending: number;
  inFlight: number;
  byPlatform: Record<string, { delivered: number; failed: number; pending: number }>;
  failures: { deliveryId: string; platform: string; workspace: string; channel: string; reason: string }[];
  /** Deliveries still being retried after transient errors: since when, next try, last error. */
  retrying: { deliveryId: string; channel: string; since: string; nextAttemptAt: string; lastError: string }[];
}

/** A notice with its delivery counts, for listings. */
export interface NoticeSummary {
  notice: Notice;
  total: number;
  delivered: number;
  failed: number;
  pending: number;
}

/** What a dispatcher asks for when it claims work. */
export interface ClaimRequest {
  /** Who claims (one id per dispatcher process). */
  owner: string;
  now: Date;
  /** How long the claim holds if the dispatcher dies. */
  leaseMs: number;
  limit: number;
  /** Platforms this dispatcher can deliver to. */
  platforms: readonly string[];
  /** Channels this dispatcher is already busy with (not claimed again). */
  busyChannels?: readonly string[];
  /** Says whether to take a due delivery (the caller's fairness caps); all when absent. */
  accept?: (d: { platform: string; workspace: string; channel: string }) => boolean;
  /**
   * Workspaces (by platform) the caller has no room for: their deliveries are passed over in
   * the query, so the claim's rows are ones the caller can take (else a fan-out's first rows,
   * one workspace's hundred channels after another, fill every claim and starve the rest).
   */
  fullWorkspaces?: readonly { platform: string; workspace: string }[];
}

/** Reads and writes notices, deliveries and root messages. */
export interface OutboxRepository {
  /** The next notice number (in the publishing transaction). */
  nextNoticeSeq(tx: Kysely<Database>): Promise<number>;
  /** Writes a notice and its deliveries (in the publishing transaction). */
  insert(notice: Notice, deliveries: readonly Delivery[], tx: Kysely<Database>, options: { idempotencyKey: string | null; deadlineAt: string }): Promise<void>;
  getNotice(id: string): Promise<Notice | null>;
  /** The notice published with this idempotency key, if any. */
  noticeByKey(key: string, tx?: Kysely<Database>): Promise<Notice | null>;
  /** Notices in publication order, the latest `limit` (default all). */
  listNotices(limit?: number): Promise<Notice[]>;
  /** Notices with their delivery counts, in publication order, the latest `limit`. */
  summaries(limit?: number): Promise<NoticeSummary[]>;
  getDelivery(id: string): Promise<Delivery | null>;
  /** Every delivery (of one notice when given), in id order. */
  listDeliveries(noticeId?: string): Promise<Delivery[]>;
  /**
   * Records a delivery's new state; the lease is kept unless `release`. `resetFailures`: in
   * the same write, the channel-fault counts of these subscriptions go back to 0 (a delivery
   * went through), for those that had any.
   */
  saveDelivery(delivery: Delivery, options?: { release?: boolean; resetFailures?: readonly string[] }): Promise<Delivery>;
  /**
   * Claims due deliveries: at most one per channel, the channel's oldest unfinished notice
   * first, none whose workspace or platform is paused, none leased by another dispatcher.
   */
  claim(request: ClaimRequest): Promise<Delivery[]>;
  /** Extends the lease of deliveries still being worked on. */
  renew(ids: readonly string[], owner: string, until: Date): Promise<void>;
  /** Gives claimed deliveries back (shutdown). */
  release(ids: readonly string[], owner: string): Promise<void>;
  /** Gives back every delivery held by an owner `isGone` says is dead (a crashed process); how many. */
  releaseGone(isGone: (owner: string) => boolean): Promise<number>;
  /** When the earliest unfinished delivery is due (null when nothing waits). */
  nextDueAt(platforms: readonly string[]): Promise<string | null>;
  /**
   * An idle dispatcher's look, in one statement: when the earliest unfinished delivery of
   * these platforms is due, and the earliest next check of their pauses (null for none).
   */
  nextLook(platforms: readonly string[]): Promise<{ due: string | null; pauseCheckAt: string | null }>;
  /** Channels that already have (or are getting) the incident's first message. */
  channelsWithIncident(incidentId: string, tx?: Kysely<Database>): Promise<Set<string>>;
  getRoot(incidentId: string, d: { platform: string; workspace: string; channel: string }): Promise<RootMessage | null>;
  setRoot(root: RootMessage, d: { platform: string; workspace: string; channel: string }): Promise<void>;
  /** Forgets a channel's root message (it was deleted on the platform). */
  clearRoot(incidentId: string, d: { platform: string; workspace: string; channel: string }): Promise<void>;
  progress(noticeId: string): Promise<NoticeProgress | null>;
  /**
   * Brings forward, to `now`, the next try of deliveries of `platform` that were failing and
   * wait in backoff (the platform answers again: they should not sit out the rest of a
   * minutes-long backoff); how many.
   */
  expedite(platform: string, now: Date): Promise<number>;
  /** Puts a notice's failed deliveries back to pending (with a new deadline); how many. */
  retryFailed(noticeId: string, now: Date, deadlineAt: Date): Promise<number>;
}

/** The outbox kept in a database. */
export function createOutboxRepository(db: Db, logger: Logger): OutboxRepository {
  const k = db.kysely;
  /** See `OutboxRepository.nextLook`. */
  const nextLook = async (platforms: readonly string[]): Promise<{ due: string | null; pauseCheckAt: string | null }> => {
    if (platforms.length === 0) return { due: null, pauseCheckAt: null };
    // Per state, the first in its partial index's order: one row read however long the
    // history; and the pauses' earliest check (a few rows at most). One round trip: this
    // is the idle dispatcher's poll.
    const first = (state: (typeof UNFINISHED)[number]) =>
      k
        .selectFrom('deliveries')
        .select('next_attempt_at')
        .where('state', '=', sql.lit(state))
        .where('platform', 'in', [...platforms])
        .orderBy('next_attempt_at')
        .limit(1);
    const pauseCheck = k
      .selectFrom('platform_pauses')
      .select((eb) => eb.fn.min('next_check_at').as('at'))
      .where('platform', 'in', [...platforms]);
    const row = await k
      .selectNoFrom(() => [first('pending').as('pending'), first('in_flight').as('in_flight'), pauseCheck.as('pause_check')])
      .executeTakeFirst();
    const times = [row?.pending, row?.in_flight].filter((t): t is string => typeof t === 'string');
    const pauseCheckAt = typeof row?.pause_check === 'string' ? row.pause_check : null;
    return { due: times.length === 0 ? null : times.reduce((a, b) => (b < a ? b : a)), pauseCheckAt };
  };
  const decodeNotice = (row: { id: string; body: string }): Notice | null => readBody(row.body, noticeSchema, `notice ${row.id}`, logger);
  const decodeDelivery = (row: DeliveryTable): Delivery | null => {
    const parsed = deliverySchema.safeParse(fromRow(row));
    if (parsed.success) return parsed.data;
    logger.warn('store: skipping an invalid delivery', { id: row.id });
    return null;
  };
  const deliveries = (rows: DeliveryTable[]) => rows.map(decodeDelivery).filter((d): d is Delivery => d !== null);
  const rootKey = (d: { platform: string; workspace: string; channel: string }) => channelKey(d);
  // A fan-out records a hundred outcomes in the same few milliseconds: they are committed
  // together (each caller answered once its row is written), one sync per batch, not per row.
  // On SQLite the commit writes the batch's pages to the log on the event loop, in one
  // synchronous call: batches stay small enough for that to take a few milliseconds.
  const writes = new GroupCommit<OutboxWrite>((batch) => writeBatch(db, batch), db.dialect === 'sqlite' ? SQLITE_MAX_GROUP : MAX_GROUP);

  /**
   * Due deliveries in one state, in claim order (next attempt, notice number, then delivery
   * number: a notice's deliveries are numbered with the workspaces spread out, so a fan-out's
   * first claims reach every workspace), each its channel's oldest unfinished one. One state at
   * a time, so the state's partial index on (next_attempt_at, notice_seq, id) gives the order
   * and the walk stops at the limit: a claim
   * costs what it takes, not the number of deliveries waiting. "An earlier unfinished
   * delivery of this channel" is looked up through the channel index, the only index it can
   * use (see migration 2026-12-02-06).
   */
  const claimSql = (request: ClaimRequest, state: 'pending' | 'in_flight', tx: Kysely<Database>) => {
    const now = request.now.toISOString();
    const q = tx
      .selectFrom('deliveries as d')
      .selectAll('d')
      // A literal, so the planner (PostgreSQL and SQLite) picks the state's partial index.
      .where('d.state', '=', sql.lit(state))
      .where('d.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<=', now)]))
      .where('d.platform', 'in', request.platforms.length > 0 ? [...request.platforms] : ['-'])
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('deliveries as e')
              .select('e.id')
              .whereRef('e.channel_key', '=', 'd.channel_key')
              .where('e.state', 'in', ['pending', 'in_flight'])
              .whereRef('e.notice_seq', '<', 'd.notice_seq'),
          ),
        ),
      )
      .$if((request.fullWorkspaces ?? []).length > 0, (qb) =>
        qb.where(({ not, or, and, eb }) =>
          not(or(request.fullWorkspaces!.map((w) => and([eb('d.platform', '=', w.platform), eb('d.workspace', '=', w.workspace)])))),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('platform_pauses as p')
              .select('p.platform')
              .whereRef('p.platform', '=', 'd.platform')
              .where((eb) => eb.or([eb('p.workspace', '=', ''), eb('p.workspace', '=', eb.ref('d.workspace'))])),
          ),
        ),
      );
    const ordered = q.orderBy('d.next_attempt_at').orderBy('d.notice_seq').orderBy('d.id').limit(request.limit);
    // Several instances on PostgreSQL: rows another one is claiming are skipped, not waited for.
    return db.dialect === 'postgres' ? ordered.forUpdate('d').skipLocked() : ordered;
  };

  // Callers see StoreErrors only: neither zod's errors nor the driver's leak out (failures.ts).
  return {
    nextNoticeSeq: (tx) => nextCounter(tx, NOTICE_COUNTER),
    async insert(notice, list, tx, options) {
      const parsed = noticeSchema.parse(notice);
      await tx
        .insertInto('notices')
        .values({
          id: parsed.id,
          seq: parsed.seq,
          state: parsed.state,
          idempotency_key: options.idempotencyKey,
          created_at: parsed.createdAt,
          published_at: parsed.publishedAt,
          deadline_at: options.deadlineAt,
          body: JSON.stringify(parsed),
        })
        .execute();
      // The deliveries are built by the publisher from validated input and checked again when
      // read back (claim, progress); parsing 50,000 of them here cost more than writing them.
      // Written without the query builder (building a 500-row insert cost as much as running
      // it): on PostgreSQL 5,000 rows a statement, passed as one array per column; on SQLite (no
      // round trips) one prepared insert per row.
      if (db.dialect === 'postgres') {
        for (const part of chunks(list, 5_000)) await insertDeliveriesPg(part.map(toRow)).execute(tx);
      } else {
        for (const d of list) {
          const row = toRow(d);
          await tx.executeQuery(CompiledQuery.raw(INSERT_ONE_SQL, INSERTED_COLUMNS.map(([column]) => row[column])));
        }
      }
      // Other instances' dispatchers hear of it when the publication commits.
      await notifyChange(db, tx, 'outbox');
    },
    async getNotice(id) {
      const row = await k.selectFrom('notices').select(['id', 'body']).where('id', '=', id).executeTakeFirst();
      return row ? decodeNotice(row) : null;
    },
    async noticeByKey(key, tx) {
      const row = await (tx ?? k).selectFrom('notices').select(['id', 'body']).where('idempotency_key', '=', key).executeTakeFirst();
      return row ? decodeNotice(row) : null;
    },
    async listNotices(limit) {
      let q = k.selectFrom('notices').select(['id', 'body']).orderBy('seq', 'desc');
      if (limit !== undefined) q = q.limit(limit);
      return (await q.execute())
        .map(decodeNotice)
        .filter((n): n is Notice => n !== null)
        .reverse();
    },
    async summaries(limit = 50) {
      const notices = await this.listNotices(limit);
      if (notices.length === 0) return [];
      const counts = await k
        .selectFrom('deliveries')
        .select(['notice_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
        .where(
          'notice_id',
          'in',
          notices.map((n) => n.id),
        )
        .groupBy(['notice_id', 'state'])
        .execute();
      return notices.map((notice) => {
        const of = (state: string) => Number(counts.find((c) => c.notice_id === notice.id && c.state === state)?.n ?? 0);
        const delivered = of('delivered');
        const failed = of('failed');
        const pending = of('pending') + of('in_flight');
        return { notice, total: delivered + failed + pending, delivered, failed, pending };
      });
    },
    async getDelivery(id) {
      const row = await k.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? decodeDelivery(row) : null;
    },
    async listDeliveries(noticeId) {
      let q = k.selectFrom('deliveries').selectAll();
      if (noticeId !== undefined) q = q.where('notice_id', '=', noticeId);
      return deliveries(await q.orderBy('id').execute());
    },
    async saveDelivery(delivery, options = {}) {
      const parsed = deliverySchema.parse(delivery);
      await writes.submit({ kind: 'delivery', key: `d:${parsed.id}`, row: toRow(parsed), release: options.release === true, resetFailures: options.resetFailures ?? [] });
      return parsed;
    },
    async claim(request) {
      const leaseUntil = new Date(request.now.getTime() + request.leaseMs).toISOString();
      return db.write(async (tx) => {
        if (db.dialect === 'postgres') await CLAIM_PLAN.execute(tx);
        // In flight and due again: a try whose process died (its lease ran out); usually none.
        const [pending, inFlight] = [await claimSql(request, 'pending', tx).execute(), await claimSql(request, 'in_flight', tx).execute()];
        const rows = inFlight.length === 0 ? pending : [...pending, ...inFlight].sort(byClaimOrder).slice(0, request.limit);
        // One per channel: the query gives each channel's head, but two heads may tie on
        // notice_seq. Channels the dispatcher is busy with are left (their delivery is leased to
        // it, so normally not returned; this holds even if a lease ran out mid-try). Checked
        // here rather than in SQL: a list of a hundred keys bound into every claim cost more.
        const seen = new Set<string>(request.busyChannels ?? []);
        const picked = rows.filter((r) => !seen.has(r.channel_key) && (request.accept?.(r) ?? true) && seen.add(r.channel_key));
        if (picked.length === 0) return [];
        await tx
          .updateTable('deliveries')
          .set({ lease_owner: request.owner, lease_until: leaseUntil })
          .where(
            'id',
            'in',
            picked.map((r) => r.id),
          )
          .execute();
        return deliveries(picked);
      });
    },
    async renew(ids, owner, until) {
      for (const part of chunks(ids, 500)) {
        await k.updateTable('deliveries').set({ lease_until: until.toISOString() }).where('id', 'in', part).where('lease_owner', '=', owner).execute();
      }
    },
    async release(ids, owner) {
      for (const part of chunks(ids, 500)) {
        await k.updateTable('deliveries').set({ lease_owner: null, lease_until: null }).where('id', 'in', part).where('lease_owner', '=', owner).execute();
      }
      // The other instances' dispatchers take them at once (an idle one may not be polling).
      if (ids.length > 0) await notifyChange(db, k, 'outbox');
    },
    async releaseGone(isGone) {
      // Only held deliveries are in the lease index (a finished one is released as it is
      // saved): a few rows, never the pending ones nor the history.
      const owners = await k.selectFrom('deliveries').select('lease_owner').distinct().where('lease_owner', 'is not', null).execute();
      const gone = owners.map((o) => o.lease_owner!).filter((o) => isGone(o));
      if (gone.length === 0) return 0;
      const result = await k.updateTable('deliveries').set({ lease_owner: null, lease_until: null }).where('lease_owner', 'is not', null).where('lease_owner', 'in', gone).executeTakeFirst();
      const released = Number(result.numUpdatedRows);
      if (released > 0) await notifyChange(db, k, 'outbox');
      return released;
    },
    async expedite(platform, now) {
      const at = now.toISOString();
      const result = await db.write(async (tx) => {
        let updated = 0;
        // Per state, through its partial index: the deliveries waiting, never the history.
        for (const state of UNFINISHED) {
          const r = await tx
            .updateTable('deliveries')
            .set({ next_attempt_at: at })
            .where('state', '=', sql.lit(state))
            .where('platform', '=', platform)
            .where('failing_since', 'is not', null)
            .where('next_attempt_at', '>', at)
            .executeTakeFirst();
          updated += Number(r.numUpdatedRows);
        }
        return updated;
      });
      return result;
    },
    async nextDueAt(platforms) {
      return (await nextLook(platforms)).due;
    },
    nextLook: (platforms) => nextLook(platforms),
    async channelsWithIncident(incidentId, tx) {
      const e = tx ?? k;
      const roots = await e.selectFrom('root_messages').select('channel_key').where('incident_id', '=', incidentId).execute();
      const earlier = await e.selectFrom('deliveries').select('channel_key').distinct().where('incident_id', '=', incidentId).where('state', '<>', 'failed').execute();
      return new Set([...roots, ...earlier].map((r) => r.channel_key));
    },
    async getRoot(incidentId, d) {
      const row = await k.selectFrom('root_messages').selectAll().where('incident_id', '=', incidentId).where('channel_key', '=', rootKey(d)).executeTakeFirst();
      return row ? { incidentId: row.incident_id, channel: d.channel, ref: row.ref, deliveryId: row.delivery_id, at: row.at } : null;
    },
    async setRoot(root, d) {
      const row = { incident_id: root.incidentId, channel_key: rootKey(d), ref: root.ref, delivery_id: root.deliveryId, at: root.at };
      await writes.submit({ kind: 'root', key: `r:${row.incident_id}\n${row.channel_key}`, row });
    },
    async clearRoot(incidentId, d) {
      await k.deleteFrom('root_messages').where('incident_id', '=', incidentId).where('channel_key', '=', rootKey(d)).execute();
    },
    async progress(noticeId) {
      const notice = await this.getNotice(noticeId);
      if (!notice) return null;
      return summarize(notice, await this.listDeliveries(noticeId));
    },
    async retryFailed(noticeId, now, deadlineAt) {
      return db.write(async (tx) => {
        const count = await retryFailedIn(tx, noticeId, now, deadlineAt);
        if (count > 0) await notifyChange(db, tx, 'outbox');
        return count;
      });
    },
  };
}

/** A write the outbox groups with others: a delivery's new state, or a channel's root message. */
type OutboxWrite =
  | { kind: 'delivery'; key: string; row: DeliveryRow; release: boolean; resetFailures: readonly string[] }
  | { kind: 'root'; key: string; row: RootMessageTable };

type DeliveryRow = Omit<DeliveryTable, 'lease_owner' | 'lease_until'>;

/** The columns a delivery's save writes, with their PostgreSQL types (for json_to_recordset). */
const SAVED_COLUMNS: readonly [Exclude<keyof DeliveryRow, 'id'>, 'text' | 'integer'][] = [
  ['notice_id', 'text'],
  ['notice_seq', 'integer'],
  ['channel_key', 'text'],
  ['platform', 'text'],
  ['workspace', 'text'],
  ['channel', 'text'],
  ['incident_id', 'text'],
  ['language', 'text'],
  ['subscription_ids', 'text'],
  ['kind', 'text'],
  ['state', 'text'],
  ['attempts', 'integer'],
  ['last_error', 'text'],
  ['failing_since', 'text'],
  ['edited', 'integer'],
  ['message_ref', 'text'],
  ['root_ref', 'text'],
  ['next_attempt_at', 'text'],
  ['deadline_at', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['delivered_at', 'text'],
];

/**
 * Writes a batch of outbox writes: the root messages in one upsert, then the deliveries. On
 * PostgreSQL the deliveries go in one UPDATE joined to the batch passed as one JSON parameter
 * (json_to_recordset): one statement, one round trip, whatever the batch. On SQLite (no round
 * trips) one prepared UPDATE per row, in one transaction: SQLite's JSON functions parse the
 * text again for each field, which cost ten times more than the rows' own updates.
 */
async function writeBatch(db: Db, batch: readonly OutboxWrite[]): Promise<void> {
  const roots: RootMessageTable[] = [];
  const saves: { row: DeliveryRow; release: boolean }[] = [];
  const reset = new Set<string>();
  for (const w of batch) {
    if (w.kind === 'root') roots.push(w.row);
    else {
      saves.push({ row: w.row, release: w.release });
      for (const id of w.resetFailures) reset.add(id);
    }
  }
  // Subscriptions with channel faults to forget: usually none, found in one read.
  const failing =
    reset.size === 0
      ? []
      : (await db.kysely.selectFrom('subscriptions').select('id').where('id', 'in', [...reset]).where('failures', '>', 0).execute()).map((r) => r.id);
  if (db.dialect === 'postgres' && roots.length === 0 && failing.length === 0) {
    await updateDeliveriesPg(saves).execute(db.kysely);
    return;
  }
  await db.write(async (tx) => {
    if (failing.length > 0) {
      // As SubscriptionRepository.update does: stamped with a new change, so copies catch up.
      const change = await nextCounter(tx, SUBSCRIPTION_COUNTER);
      const at = saves.reduce((latest, s) => (s.row.updated_at > latest ? s.row.updated_at : latest), '');
      await tx.updateTable('subscriptions').set({ failures: 0, updated_at: at, change_seq: change }).where('id', 'in', failing).where('failures', '>', 0).execute();
    }
    for (const part of chunks(roots, 500)) {
      await tx
        .insertInto('root_messages')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['incident_id', 'channel_key']).doUpdateSet((eb) => ({ ref: eb.ref('excluded.ref'), delivery_id: eb.ref('excluded.delivery_id'), at: eb.ref('excluded.at') })),
        )
        .execute();
    }
    if (saves.length === 0) return;
    if (db.dialect === 'postgres') {
      await updateDeliveriesPg(saves).execute(tx);
      return;
    }
    for (const { row, release } of saves) {
      const r = release ? 1 : 0;
      await tx.executeQuery(CompiledQuery.raw(UPDATE_ONE_SQL, [...SAVED_COLUMNS.map(([column]) => row[column]), r, r, row.id]));
    }
  });
}

/** Released (finished, or given back): no dispatcher holds it any more. */
const LEASE_COLUMNS = ['lease_owner', 'lease_until'] as const;

/** One delivery's save on SQLite: the saved columns, `release` (0 or 1) once per lease column, then the id. */
const UPDATE_ONE_SQL = `update deliveries set ${[
  ...SAVED_COLUMNS.map(([column]) => `"${column}" = ?`),
  ...LEASE_COLUMNS.map((column) => `"${column}" = case when ? = 1 then null else "${column}" end`),
].join(', ')} where id = ?`;

/** The columns a new delivery is written with (its lease is empty), with their PostgreSQL types. */
const INSERTED_COLUMNS: readonly [keyof DeliveryRow, 'text' | 'integer'][] = [['id', 'text'], ...SAVED_COLUMNS];

/** One new delivery (SQLite). */
const INSERT_ONE_SQL = `insert into deliveries (${INSERTED_COLUMNS.map(([c]) => `"${c}"`).join(', ')}) values (${INSERTED_COLUMNS.map(() => '?').join(', ')})`;

/**
 * New deliveries in one INSERT (PostgreSQL), by `unnest` of one array per column (rows.ts):
 * about half the time of the same rows as one JSON parameter read by json_to_recordset
 * (50,000 rows: 1.8 s vs 3.3 s on a loaded 2-core machine, where rows generated by the server
 * itself took 1.4 s). Columns with one value for every delivery (the notice, its times and
 * deadline, the state: most of them in a publication) are passed once: both sides then encode
 * and parse about a third of the text (10,000 rows: 7 arrays instead of 23).
 */
function insertDeliveriesPg(rows: readonly DeliveryRow[]) {
  return unnestInsert('deliveries', INSERTED_COLUMNS, rows);
}

/** Every delivery of the batch in one UPDATE (PostgreSQL). */
function updateDeliveriesPg(saves: readonly { row: DeliveryRow; release: boolean }[]) {
  const json = JSON.stringify(saves.map(({ row, release }) => ({ ...row, release: release ? 1 : 0 })));
  const set = sql.join(
    [
      ...SAVED_COLUMNS.map(([column]) => sql`${sql.id(column)} = v.${sql.id(column)}`),
      ...LEASE_COLUMNS.map((column) => sql`${sql.id(column)} = case when v.release = 1 then null else d.${sql.id(column)} end`),
    ],
    sql`, `,
  );
  const columns: [string, string][] = [['id', 'text'], ...SAVED_COLUMNS, ['release', 'integer']];
  const rows = sql`json_to_recordset(cast(${json} as json)) as v(${sql.join(columns.map(([c, type]) => sql`${sql.id(c)} ${sql.raw(type)}`))})`;
  return sql`update deliveries as d set ${set} from ${rows} where d.id = v.id`;
}

/** Puts a notice's failed deliveries back to pending, in `tx`; how many. */
async function retryFailedIn(tx: Kysely<Database>, noticeId: string, now: Date, deadlineAt: Date): Promise<number> {
  const result = await tx
    .updateTable('deliveries')
    .set((eb) => ({
      // A delivery that was tried may have landed before it failed (a timeout at the
      // deadline): it is looked for before any resend, so a retry never duplicates.
      state: eb.case().when('attempts', '>', 0).then('in_flight').else('pending').end(),
      next_attempt_at: now.toISOString(),
      deadline_at: deadlineAt.toISOString(),
      failing_since: null,
      updated_at: now.toISOString(),
      lease_owner: null,
      lease_until: null,
    }))
    .where('notice_id', '=', noticeId)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function byClaimOrder(a: DeliveryTable, b: DeliveryTable): number {
  if (a.next_attempt_at !== b.next_attempt_at) return a.next_attempt_at < b.next_attempt_at ? -1 : 1;
  if (Number(a.notice_seq) !== Number(b.notice_seq)) return Number(a.notice_seq) - Number(b.notice_seq);
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Counts a notice's deliveries. */
export function summarize(notice: Notice, list: readonly Delivery[]): NoticeProgress {
  const out: NoticeProgress = { noticeId: notice.id, state: notice.state, total: list.length, delivered: 0, failed: 0, pending: 0, inFlight: 0, byPlatform: {}, failures: [], retrying: [] };
  for (const d of list) {
    const platform = (out.byPlatform[d.platform] ??= { delivered: 0, failed: 0, pending: 0 });
    if (d.state === 'delivered') {
      out.delivered++;
      platform.delivered++;
    } else if (d.state === 'failed') {
      out.failed++;
      platform.failed++;
      out.failures.push({ deliveryId: d.id, platform: d.platform, workspace: d.workspace, channel: d.channel, reason: d.lastError ?? 'unknown' });
    } else {
      out.pending++;
      platform.pending++;
      if (d.state === 'in_flight') out.inFlight++;
      if (d.failingSince && d.lastError) out.retrying.push({ deliveryId: d.id, channel: channelKey(d), since: d.failingSince, nextAttemptAt: d.nextAttemptAt, lastError: d.lastError });
    }
  }
  return out;
}

function toRow(d: Delivery): Omit<DeliveryTable, 'lease_owner' | 'lease_until'> {
  return {
    id: d.id,
    notice_id: d.noticeId,
    notice_seq: d.noticeSeq,
    channel_key: channelKey(d),
    platform: d.platform,
    workspace: d.workspace,
    channel: d.channel,
    incident_id: d.incidentId,
    language: d.language,
    subscription_ids: JSON.stringify(d.subscriptionIds),
    kind: d.kind,
    state: d.state,
    attempts: d.attempts,
    last_error: d.lastError,
    failing_since: d.failingSince,
    edited: d.edited ? 1 : 0,
    message_ref: d.messageRef,
    root_ref: d.rootRef,
    next_attempt_at: d.nextAttemptAt,
    deadline_at: d.deadlineAt,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    delivered_at: d.deliveredAt,
  };
}

function fromRow(row: DeliveryTable): unknown {
  let subscriptionIds: unknown = null;
  try {
    subscriptionIds = JSON.parse(row.subscription_ids);
  } catch {
    subscriptionIds = null;
  }
  return {
    id: row.id,
    noticeId: row.notice_id,
    noticeSeq: Number(row.notice_seq),
    subscriptionIds,
    platform: row.platform,
    workspace: row.workspace,
    channel: row.channel,
    language: row.language,
    incidentId: row.incident_id,
    kind: row.kind,
    state: row.state,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    failingSince: row.failing_since,
    edited: Number(row.edited) === 1,
    messageRef: row.message_ref,
    rootRef: row.root_ref,
    nextAttemptAt: row.next_attempt_at,
    deadlineAt: row.deadline_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveredAt: row.delivered_at,
  };
}
