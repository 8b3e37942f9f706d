/**
 * The reports table: what people reported to the bot, pseudonymous and masked before it gets
 * here (src/signals/reports.ts). Detection reads it as a ReportSource; the bot's reply counts
 * the distinct people within a service × place (a place counts the reports naming a place
 * inside it: Montpellier's count for Occitanie). Retention deletes rows after
 * VIGIE_REPORT_RETENTION (src/store/retention.ts).
 */
import { z } from 'zod';
import { LEVELS, PLACE_KINDS } from '../base/types.js';
import type { Logger } from '../base/logger.js';
import type { ReportLog, ReportRecord, ReportScope } from '../signals/reports.js';
import type { SignalReport } from '../signals/types.js';
import type { DetectorCounts } from '../signals/detect.js';
import type { Db } from './sql/connect.js';
import type { PlaceContainers, PlaceLocator } from './subscription-repository.js';

/** The reports kept in the store. */
export type ReportRepository = ReportLog;

const rowSchema = z.object({
  at: z.string().datetime(),
  service: z.string().nullable(),
  place_kind: z.enum(PLACE_KINDS).nullable(),
  place_code: z.string().nullable(),
  level: z.enum(LEVELS).nullable(),
  platform: z.string(),
  reporter: z.string().regex(/^[0-9a-f]{64}$/),
});

const NO_CONTAINERS: PlaceContainers = { region: '', academie: '', departement: '' };

/** Reports kept in a database; `locate` says where a place lies, for counts by containing place. */
export function createReportRepository(db: Db, logger: Logger, locate: PlaceLocator = () => NO_CONTAINERS): ReportRepository {
  const k = db.kysely;
  return {
    async addUnlessLimited(report: ReportRecord, limit: number, since: Date) {
      const containers = report.place && report.place.kind !== 'national' ? locate(report.place) : NO_CONTAINERS;
      return db.write(async (tx) => {
        const recent = await tx
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('reporter', '=', report.reporter)
          .where('at', '>=', since.toISOString())
          .executeTakeFirstOrThrow();
        if (Number(recent.n) >= limit) return false;
        await tx
          .insertInto('reports')
          .values({
            at: report.at.toISOString(),
            service: report.service,
            place_kind: report.place?.kind ?? null,
            place_code: report.place?.code ?? null,
            region: containers.region,
            academie: containers.academie,
            departement: containers.departement,
            level: report.level,
            platform: report.platform,
            reporter: report.reporter,
            text: report.text,
          })
          .execute();
        return true;
      });
    },

    async reporters(scope: ReportScope, from: Date, to: Date) {
      let query = k
        .selectFrom('reports')
        .select((eb) => eb.fn.count<number | string>('reporter').distinct().as('n'))
        .where('at', '>=', from.toISOString())
        .where('at', '<=', to.toISOString());
      if (scope.service !== null) query = query.where('service', '=', scope.service);
      const place = scope.place;
      if (place && place.kind !== 'national') {
        const column = place.kind === 'commune' ? null : place.kind;
        query = query.where((eb) => {
          const exact = eb.and([eb('place_kind', '=', place.kind), eb('place_code', '=', place.code)]);
          return column ? eb.or([exact, eb(column, '=', place.code)]) : exact;
        });
      }
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    async reportsBetween(from: Date, to: Date): Promise<SignalReport[]> {
      const rows = await k
        .selectFrom('reports')
        .select(['at', 'service', 'place_kind', 'place_code', 'level', 'platform', 'reporter'])
        .where('at', '>=', from.toISOString())
        .where('at', '<', to.toISOString())
        .orderBy('at')
        .orderBy('id')
        .execute();
      const out: SignalReport[] = [];
      for (const row of rows) {
        const parsed = rowSchema.safeParse(row);
        if (!parsed.success) {
          // A corrupted row is skipped with a warning, never a crash (as every record read back).
          logger.warn('reports: a stored report is invalid; skipped', { at: row.at });
          continue;
        }
        const r = parsed.data;
        out.push({
          at: new Date(r.at),
          service: r.service,
          place: r.place_kind && r.place_code !== null ? { kind: r.place_kind, code: r.place_code } : null,
          level: r.level,
          platform: r.platform,
          reporter: r.reporter,
        });
      }
      return out;
    },
  };
}

const countsSchema = z.object({
  windowMinutes: z.number().int().positive(),
  observedFrom: z.string(),
  until: z.string(),
  series: z.array(
    z.object({
      service: z.string(),
      place: z.object({ kind: z.enum(PLACE_KINDS), code: z.string() }),
      windows: z.array(z.tuple([z.number(), z.number()])),
    }),
  ),
});

/** The meta key the detector's window counts are saved under. */
export const SIGNAL_COUNTS_KEY = 'signal_counts';

/**
 * The detector's window counts (SignalDetector.exportCounts), kept as one JSON value in the
 * meta table so the baseline's weeks survive restarts while reports are deleted after days.
 * An unreadable value is skipped with a warning (the baseline then starts from the reports kept).
 */
export function createSignalCountsKeeper(db: Db, logger: Logger): { load(): Promise<DetectorCounts | null>; save(counts: DetectorCounts): Promise<void> } {
  return {
    async load() {
      const row = await db.kysely.selectFrom('meta').select('value').where('key', '=', SIGNAL_COUNTS_KEY).executeTakeFirst();
      if (!row) return null;
      let value: unknown;
      try {
        value = JSON.parse(row.value);
      } catch {
        value = null;
      }
      const parsed = countsSchema.safeParse(value);
      if (!parsed.success) {
        logger.warn('signals: the saved counts are invalid; the baseline starts from the reports kept');
        return null;
      }
      return parsed.data;
    },
    async save(counts) {
      const value = JSON.stringify(counts);
      await db.write(async (tx) => {
        await tx.insertInto('meta').values({ key: SIGNAL_COUNTS_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
      });
    },
  };
}
