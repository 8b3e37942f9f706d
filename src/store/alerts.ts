/**
 * Crowd-signal alerts in the store (#15 item 6): the desk's alerts (`signal_alerts`, the last
 * wording as JSON) and the message showing each on each platform (`signal_alert_messages`),
 * recorded as soon as a post succeeds so a restart edits that message instead of posting a
 * second one. Also where the alerts' sample texts come from: the most recent distinct masked
 * report texts about a service in a place (the reports table, src/store/reports.ts).
 */
import { z } from 'zod';
import type { Logger } from '../base/logger.js';
import type { AlertRecord, AlertSampleSource, AlertShown, AlertStore } from '../signals/alerts.js';
import { guarded } from './failures.js';
import type { Db } from './sql/connect.js';

const recordSchema = z.object({
  id: z.string(),
  state: z.enum(['open', 'ended']),
  revision: z.number().int().nonnegative(),
  openedAt: z.string(),
  endedAt: z.string().nullable(),
  groupId: z.string().nullable(),
  probes: z.array(z.string()),
  alert: z.object({
    id: z.string(),
    state: z.enum(['open', 'ended']),
    revision: z.number().int().nonnegative(),
    wording: z.object({
      language: z.enum(['fr', 'en']),
      title: z.string(),
      lines: z.array(z.string()),
      samples: z.array(z.string()),
      caveat: z.string(),
      openIncidentLabel: z.string().optional(),
    }),
    prefill: z.object({ service: z.string(), places: z.array(z.string()), status: z.string(), cause: z.string() }),
  }),
});

/** Texts read per sample request before keeping the distinct ones. */
const SAMPLE_ROWS = 60;

/** The alerts' store and sample texts, on the store's database. */
export function createAlertStore(db: Db, logger: Logger): AlertStore & AlertSampleSource {
  const k = db.kysely;
  const store: AlertStore & AlertSampleSource = {
    async load(since) {
      const rows = await k
        .selectFrom('signal_alerts')
        .select(['id', 'body'])
        .where((eb) => eb.or([eb('state', '=', 'open'), eb('updated_at', '>=', since.toISOString())]))
        .orderBy('opened_at')
        .execute();
      const messages = rows.length === 0 ? [] : await k.selectFrom('signal_alert_messages').selectAll().where('alert_id', 'in', rows.map((r) => r.id)).execute();
      const out: { record: AlertRecord; shown: AlertShown[] }[] = [];
      for (const row of rows) {
        let value: unknown;
        try {
          value = JSON.parse(row.body);
        } catch {
          value = null;
        }
        const parsed = recordSchema.safeParse(value);
        if (!parsed.success) {
          logger.warn('alerts: a kept alert is invalid; skipped', { alert: row.id, code: 'ALERT_STORE_FAILED' });
          continue;
        }
        out.push({
          record: parsed.data as AlertRecord,
          shown: messages.filter((m) => m.alert_id === row.id).map((m) => ({ platform: m.platform, messageId: m.message_id, revision: Number(m.revision) })),
        });
      }
      return out;
    },

    async save(record, now) {
      const body = JSON.stringify(record);
      const updated = now.toISOString();
      await db.write(async (tx) => {
        await tx
          .insertInto('signal_alerts')
          .values({ id: record.id, state: record.state, opened_at: record.openedAt, updated_at: updated, body })
          .onConflict((oc) => oc.column('id').doUpdateSet({ state: record.state, updated_at: updated, body }))
          .execute();
      });
    },

    async shown(alertId, shown, now) {
      await db.write(async (tx) => {
        await tx
          .insertInto('signal_alert_messages')
          .values({ alert_id: alertId, platform: shown.platform, message_id: shown.messageId, revision: shown.revision, posted_at: now.toISOString() })
          .onConflict((oc) => oc.columns(['alert_id', 'platform']).doUpdateSet({ message_id: shown.messageId, revision: shown.revision }))
          .execute();
      });
    },

    async prune(before) {
      return db.write(async (tx) => {
        const old = await tx.selectFrom('signal_alerts').select('id').where('state', '=', 'ended').where('updated_at', '<', before.toISOString()).execute();
        if (old.length === 0) return 0;
        const ids = old.map((r) => r.id);
        await tx.deleteFrom('signal_alert_messages').where('alert_id', 'in', ids).execute();
        await tx.deleteFrom('signal_alerts').where('id', 'in', ids).execute();
        return ids.length;
      });
    },

    async samples(scopes, since, limit) {
      if (scopes.length === 0 || limit <= 0) return [];
      const rows = await k
        .selectFrom('reports')
        .select(['text'])
        .where('at', '>=', since.toISOString())
        .where((eb) =>
          eb.or(
            scopes.map(({ service, place }) => {
              const same = eb('service', '=', service);
              if (place.kind === 'national') return same;
              const exact = eb.and([eb('place_kind', '=', place.kind), eb('place_code', '=', place.code)]);
              if (place.kind === 'commune') return eb.and([same, exact]);
              return eb.and([same, eb.or([exact, eb(place.kind, '=', place.code)])]);
            }),
          ),
        )
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(SAMPLE_ROWS)
        .execute();
      const seen = new Set<string>();
      const out: string[] = [];
      for (const { text } of rows) {
        const trimmed = text.trim();
        const key = trimmed.toLowerCase().replace(/\s+/g, ' ');
        if (!trimmed || seen.has(key)) continue;
        seen.add(key);
        out.push(trimmed);
        if (out.length >= limit) break;
      }
      return out;
    },
  };
  return guarded('alerts', store);
}
