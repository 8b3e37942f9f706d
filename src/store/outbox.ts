/**
 * The durable outbox: notices, one delivery per notice and channel, and the root message of
 * each incident per channel. A notice and its deliveries are written in one transaction with
 * the incident change they carry; dispatchers (one or several processes) claim due
 * deliveries with a lease, one per channel at a time and in notice order, and write every
 * outcome back before and after they talk to a platform.
 */
import type { Kysely } from 'kysely';
import { noticeSchema, type Notice } from '../notices/notice.js';
import { channelKey, deliverySchema, type Delivery, type RootMessage } from '../delivery/delivery.js';
import type { Logger } from '../logger.js';
import type { Db } from './sql/connect.js';
import { notifyChange } from './sql/changes.js';
import { chunks, nextCounter, readBody } from './sql/rows.js';
import type { Database, DeliveryTable } from './sql/schema.js';

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
  /** Records a delivery's new state; the lease is kept unless `release`. */
  saveDelivery(delivery: Delivery, options?: { release?: boolean }): Promise<Delivery>;
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
  const decodeNotice = (row: { id: string; body: string }): Notice | null => readBody(row.body, noticeSchema, `notice ${row.id}`, logger);
  const decodeDelivery = (row: DeliveryTable): Delivery | null => {
    const parsed = deliverySchema.safeParse(fromRow(row));
    if (parsed.success) return parsed.data;
    logger.warn('store: skipping an invalid delivery', { id: row.id });
    return null;
  };
  const deliveries = (rows: DeliveryTable[]) => rows.map(decodeDelivery).filter((d): d is Delivery => d !== null);
  const rootKey = (d: { platform: string; workspace: string; channel: string }) => channelKey(d);

  /**
   * Due deliveries in one state, in claim order (next attempt, then notice number), each its
   * channel's oldest unfinished one. One state at a time, so the (state, next_attempt_at,
   * notice_seq) index gives the order and the walk stops at the limit: a claim costs what it
   * takes, not the number of deliveries waiting.
   */
  const claimSql = (request: ClaimRequest, state: 'pending' | 'in_flight', tx: Kysely<Database>) => {
    const now = request.now.toISOString();
    let q = tx
      .selectFrom('deliveries as d')
      .selectAll('d')
      .where('d.state', '=', state)
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
    if (request.busyChannels && request.busyChannels.length > 0 && request.busyChannels.length <= 500) {
      q = q.where('d.channel_key', 'not in', [...request.busyChannels]);
    }
    q = q.orderBy('d.state').orderBy('d.next_attempt_at').orderBy('d.notice_seq').limit(request.limit);
    // Several instances on PostgreSQL: rows another one is claiming are skipped, not waited for.
    return db.dialect === 'postgres' ? q.forUpdate('d').skipLocked() : q;
  };

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
      // 23 columns a row: 500 rows stay under SQLite's and PostgreSQL's parameter limits. The
      // deliveries are built by the publisher from validated input and checked again when read
      // back (claim, progress); parsing 50,000 of them here cost more than writing them.
      for (const part of chunks(list, 500)) {
        await tx.insertInto('deliveries').values(part.map(toRow)).execute();
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
      const { id, ...row } = toRow(parsed);
      await k
        .updateTable('deliveries')
        .set({ ...row, ...(options.release ? { lease_owner: null, lease_until: null } : {}) })
        .where('id', '=', id)
        .execute();
      return parsed;
    },
    async claim(request) {
      const leaseUntil = new Date(request.now.getTime() + request.leaseMs).toISOString();
      return db.write(async (tx) => {
        // In flight and due again: a try whose process died (its lease ran out); usually none.
        const [pending, inFlight] = [await claimSql(request, 'pending', tx).execute(), await claimSql(request, 'in_flight', tx).execute()];
        const rows = inFlight.length === 0 ? pending : [...pending, ...inFlight].sort(byClaimOrder).slice(0, request.limit);
        // One per channel: the query gives each channel's head, but two heads may tie on notice_seq.
        const seen = new Set<string>();
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
    },
    async releaseGone(isGone) {
      const owners = await k.selectFrom('deliveries').select('lease_owner').distinct().where('lease_owner', 'is not', null).execute();
      const gone = owners.map((o) => o.lease_owner!).filter((o) => isGone(o));
      if (gone.length === 0) return 0;
      const result = await k.updateTable('deliveries').set({ lease_owner: null, lease_until: null }).where('lease_owner', 'in', gone).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async expedite(platform, now) {
      const at = now.toISOString();
      const result = await db.write((tx) =>
        tx
          .updateTable('deliveries')
          .set({ next_attempt_at: at })
          .where('state', 'in', ['pending', 'in_flight'])
          .where('platform', '=', platform)
          .where('failing_since', 'is not', null)
          .where('next_attempt_at', '>', at)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows);
    },
    async nextDueAt(platforms) {
      if (platforms.length === 0) return null;
      // Per state, the first in index order: one row read, however long the history.
      let earliest: string | null = null;
      for (const state of ['pending', 'in_flight']) {
        const row = await k
          .selectFrom('deliveries')
          .select('next_attempt_at')
          .where('state', '=', state)
          .where('platform', 'in', [...platforms])
          .orderBy('state')
          .orderBy('next_attempt_at')
          .limit(1)
          .executeTakeFirst();
        if (row && (earliest === null || row.next_attempt_at < earliest)) earliest = row.next_attempt_at;
      }
      return earliest;
    },
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
      await k
        .insertInto('root_messages')
        .values(row)
        .onConflict((oc) => oc.columns(['incident_id', 'channel_key']).doUpdateSet({ ref: row.ref, delivery_id: row.delivery_id, at: row.at }))
        .execute();
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
  return a.next_attempt_at < b.next_attempt_at ? -1 : a.next_attempt_at > b.next_attempt_at ? 1 : Number(a.notice_seq) - Number(b.notice_seq);
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
