/**
 * Brings a store file written by Vigie's first, key-value store (one `keyv` table of JSON
 * blobs) into the tables, once, so nothing already stored is lost: incidents,
 * subscriptions, notices and their deliveries, root messages and the audit log. Drafts
 * left by a publisher that died halfway are dropped (they were never sent); follow-up
 * contexts are not kept (they last 30 minutes). The old table is kept, renamed
 * `keyv_imported`, for a manual look.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { incidentSchema } from '../incidents/schema.js';
import type { Logger } from '../base/logger.js';
import { channelKey } from './delivery.js';
import type { Db } from './sql/connect.js';
import type { Database } from './sql/schema.js';

/** What the import did, for the log and the tests. */
export interface LegacyImport {
  incidents: number;
  subscriptions: number;
  notices: number;
  deliveries: number;
  roots: number;
  audit: number;
  droppedDrafts: number;
  skipped: number;
}

/** Hooks into the repositories, so imported rows are written exactly as new ones. */
export interface LegacyWriters {
  putIncident(value: z.output<typeof incidentSchema>, tx: Kysely<Database>): Promise<void>;
  putSubscription(value: Record<string, unknown>, tx: Kysely<Database>): Promise<boolean>;
}

const DAY_MS = 24 * 3600_000;

/** Imports the legacy table when there is one not yet imported; null when there was nothing to do. */
export async function importLegacyKeyv(db: Db, writers: LegacyWriters, logger: Logger, now: Date): Promise<LegacyImport | null> {
  if (db.dialect !== 'sqlite' || !db.sqlite) return null;
  const hasTable = db.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'keyv'").get();
  if (!hasTable) return null;
  const rows = db.sqlite.prepare('SELECT key, value FROM keyv').all() as { key: string; value: string }[];
  const byNs = new Map<string, { key: string; value: Record<string, unknown> }[]>();
  const out: LegacyImport = { incidents: 0, subscriptions: 0, notices: 0, deliveries: 0, roots: 0, audit: 0, droppedDrafts: 0, skipped: 0 };
  for (const row of rows) {
    const colon = row.key.indexOf(':');
    const value = envelope(row.value);
    if (colon < 0 || !value) {
      out.skipped++;
      continue;
    }
    const ns = row.key.slice(0, colon);
    const list = byNs.get(ns) ?? [];
    list.push({ key: row.key.slice(colon + 1), value });
    byNs.set(ns, list);
  }
  await db.write(async (tx) => {
    for (const { value } of byNs.get('incidents') ?? []) {
      const parsed = incidentSchema.safeParse(value);
      if (parsed.success) {
        await writers.putIncident(parsed.data, tx);
        out.incidents++;
      } else out.skipped++;
    }
    for (const { value } of byNs.get('subscriptions') ?? []) {
      if (await writers.putSubscription(value, tx)) out.subscriptions++;
      else out.skipped++;
    }
    const notices = new Map<string, { seq: number; state: string }>();
    let maxSeq = 0;
    for (const { value } of byNs.get('notices') ?? []) {
      const id = String(value.id ?? '');
      const seq = Number(value.seq);
      if (!id || !Number.isInteger(seq)) {
        out.skipped++;
        continue;
      }
      if (value.state !== 'published') {
        out.droppedDrafts++;
        continue;
      }
      notices.set(id, { seq, state: 'published' });
      maxSeq = Math.max(maxSeq, seq);
      const createdAt = String(value.createdAt ?? now.toISOString());
      await tx
        .insertInto('notices')
        .values({ id, seq, state: 'published', idempotency_key: null, created_at: createdAt, published_at: (value.publishedAt as string | null) ?? null, deadline_at: new Date(Date.parse(createdAt) + DAY_MS).toISOString(), body: JSON.stringify(value) })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      out.notices++;
    }
    if (maxSeq > 0) {
      await tx
        .insertInto('counters')
        .values({ name: 'notices', value: maxSeq })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`max(counters.value, ${maxSeq})` }))
        .execute();
    }
    const deliveryChannel = new Map<string, string>();
    for (const { value: d } of byNs.get('deliveries') ?? []) {
      const notice = notices.get(String(d.noticeId ?? ''));
      if (!notice) {
        // A draft's delivery (never sent) or an orphan.
        out.skipped++;
        continue;
      }
      const key = channelKey({ platform: String(d.platform), workspace: String(d.workspace ?? ''), channel: String(d.channel) });
      deliveryChannel.set(String(d.id), key);
      const open = d.state === 'pending' || d.state === 'in_flight';
      const createdAt = String(d.createdAt ?? now.toISOString());
      await tx
        .insertInto('deliveries')
        .values({
          id: String(d.id),
          notice_id: String(d.noticeId),
          notice_seq: notice.seq,
          channel_key: key,
          platform: String(d.platform),
          workspace: String(d.workspace ?? ''),
          channel: String(d.channel),
          incident_id: (d.incidentId as string | null) ?? null,
          language: String(d.language ?? 'fr'),
          subscription_ids: JSON.stringify(d.subscriptionIds ?? []),
          kind: String(d.kind ?? 'post'),
          state: String(d.state),
          attempts: Number(d.attempts ?? 0),
          last_error: (d.lastError as string | null) ?? null,
          failing_since: null,
          edited: d.edited ? 1 : 0,
          message_ref: (d.messageRef as string | null) ?? null,
          root_ref: (d.rootRef as string | null) ?? null,
          next_attempt_at: now.toISOString(),
          // What was still on its way gets a full day from the upgrade.
          deadline_at: new Date((open ? now.getTime() : Date.parse(createdAt)) + DAY_MS).toISOString(),
          lease_owner: null,
          lease_until: null,
          created_at: createdAt,
          updated_at: String(d.updatedAt ?? createdAt),
          delivered_at: (d.deliveredAt as string | null) ?? null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      out.deliveries++;
    }
    for (const { value: r } of byNs.get('delivery-roots') ?? []) {
      const key = deliveryChannel.get(String(r.deliveryId ?? ''));
      if (!key || typeof r.incidentId !== 'string' || typeof r.ref !== 'string') {
        out.skipped++;
        continue;
      }
      await tx
        .insertInto('root_messages')
        .values({ incident_id: r.incidentId, channel_key: key, ref: r.ref, delivery_id: String(r.deliveryId), at: String(r.at ?? now.toISOString()) })
        .onConflict((oc) => oc.columns(['incident_id', 'channel_key']).doNothing())
        .execute();
      out.roots++;
    }
    const audit = (byNs.get('audit') ?? []).sort((a, b) => a.key.localeCompare(b.key));
    for (const { key, value: e } of audit) {
      const actor = (e.actor ?? {}) as Record<string, unknown>;
      if (typeof e.action !== 'string' || typeof e.at !== 'string') {
        out.skipped++;
        continue;
      }
      await tx
        .insertInto('audit')
        .values({ seq: Number(key), at: e.at, actor_platform: String(actor.platform ?? 'unknown'), actor_user: String(actor.user ?? 'unknown'), action: e.action, target: (e.target as string | undefined) ?? null, outcome: String(e.outcome ?? 'ok'), detail: (e.detail as string | undefined) ?? null } as never)
        .execute();
      out.audit++;
    }
    await sql`ALTER TABLE keyv RENAME TO keyv_imported`.execute(tx);
    await tx.insertInto('meta').values({ key: 'legacy_keyv_import', value: JSON.stringify({ at: now.toISOString(), ...out }) }).onConflict((oc) => oc.column('key').doNothing()).execute();
  });
  logger.info('store: imported the key-value store of an earlier version', { ...out });
  return out;
}

/** keyv's stored envelope `{ value, expires }` (strings starting with ":" were escaped as "::"). */
function envelope(raw: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(raw, (_key, value: unknown) => (typeof value === 'string' && value.startsWith(':') ? value.slice(1) : value));
    if (typeof parsed !== 'object' || parsed === null || !('value' in parsed)) return null;
    const value = (parsed as { value: unknown }).value;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
