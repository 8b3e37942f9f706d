/**
 * The durable outbox: notices, their deliveries and the root message of each incident per
 * channel, in the store. Everything the dispatcher does is written here before and after it
 * talks to a platform, so a restart knows what is pending and what may have been sent.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/index.js';
import { noticeSchema, type Notice } from '../notices/notice.js';
import { channelKey, deliverySchema, rootSchema, type Delivery, type RootMessage } from './delivery.js';

/** Store namespaces of the outbox. */
export const OUTBOX_NAMESPACES = { notices: 'notices', deliveries: 'deliveries', roots: 'delivery-roots' } as const;

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
}

/** Reads and writes notices, deliveries and root messages. */
export class Outbox {
  constructor(private readonly store: Store) {}

  async saveNotice(notice: Notice): Promise<Notice> {
    const parsed = noticeSchema.parse(notice);
    await this.store.kv(OUTBOX_NAMESPACES.notices).set(parsed.id, parsed);
    return parsed;
  }

  async getNotice(id: string): Promise<Notice | null> {
    const value: unknown = await this.store.kv(OUTBOX_NAMESPACES.notices).get(id);
    const parsed = noticeSchema.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  /** Every notice, in publication order. */
  async listNotices(): Promise<Notice[]> {
    const all = await this.store.records(OUTBOX_NAMESPACES.notices, noticeSchema);
    return all.map((r) => r.value).sort((a, b) => a.seq - b.seq || a.id.localeCompare(b.id));
  }

  /** The number the next notice gets. */
  async nextSeq(): Promise<number> {
    const notices = await this.listNotices();
    return (notices.at(-1)?.seq ?? 0) + 1;
  }

  async saveDelivery(delivery: Delivery): Promise<Delivery> {
    const parsed = deliverySchema.parse(delivery);
    await this.store.kv(OUTBOX_NAMESPACES.deliveries).set(parsed.id, parsed);
    return parsed;
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    const parsed = deliverySchema.safeParse(await this.store.kv(OUTBOX_NAMESPACES.deliveries).get(id));
    return parsed.success ? parsed.data : null;
  }

  /** Every delivery (of one notice when given), in id order. */
  async listDeliveries(noticeId?: string): Promise<Delivery[]> {
    const all = await this.store.records(OUTBOX_NAMESPACES.deliveries, deliverySchema);
    return all.map((r) => r.value).filter((d) => noticeId === undefined || d.noticeId === noticeId);
  }

  async getRoot(incidentId: string, d: Pick<Delivery, 'platform' | 'workspace' | 'channel'>): Promise<RootMessage | null> {
    const parsed = rootSchema.safeParse(await this.store.kv(OUTBOX_NAMESPACES.roots).get(rootKey(incidentId, d)));
    return parsed.success ? parsed.data : null;
  }

  async setRoot(root: RootMessage, d: Pick<Delivery, 'platform' | 'workspace' | 'channel'>): Promise<void> {
    await this.store.kv(OUTBOX_NAMESPACES.roots).set(rootKey(root.incidentId, d), rootSchema.parse(root));
  }

  /** Forgets a channel's root message (it was deleted on the platform). */
  async clearRoot(incidentId: string, d: Pick<Delivery, 'platform' | 'workspace' | 'channel'>): Promise<void> {
    await this.store.kv(OUTBOX_NAMESPACES.roots).delete(rootKey(incidentId, d));
  }

  /** Delivered / failed / pending counts and the failures with their reasons. */
  async progress(noticeId: string): Promise<NoticeProgress | null> {
    const notice = await this.getNotice(noticeId);
    if (!notice) return null;
    return summarize(notice, await this.listDeliveries(noticeId));
  }
}

/** Counts a notice's deliveries. */
export function summarize(notice: Notice, deliveries: readonly Delivery[]): NoticeProgress {
  const out: NoticeProgress = { noticeId: notice.id, state: notice.state, total: deliveries.length, delivered: 0, failed: 0, pending: 0, inFlight: 0, byPlatform: {}, failures: [] };
  for (const d of deliveries) {
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
    }
  }
  return out;
}

function rootKey(incidentId: string, d: Pick<Delivery, 'platform' | 'workspace' | 'channel'>): string {
  return createHash('sha256').update(JSON.stringify([incidentId, channelKey(d)])).digest('hex').slice(0, 24);
}
