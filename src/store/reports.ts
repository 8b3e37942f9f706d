/**
 * The reports table: what people reported to the bot, pseudonymous and masked before it gets
 * here (src/signals/reports.ts). Detection reads it as a ReportSource; the bot's reply counts
 * the distinct people within a service × place (a place counts the reports naming a place
 * inside it: Montpellier's count for Occitanie). Retention deletes rows after
 * VIGIE_REPORT_RETENTION (src/store/retention.ts).
 */
import { CompiledQuery, sql } from 'kysely';
import { z } from 'zod';
import { LEVELS, PLACE_KINDS, type Level, type PlaceKind } from '../base/types.js';
import type { Logger } from '../base/logger.js';
import type { ReportLog, ReportRecord, ReportScope } from '../signals/reports.js';
import type { SignalReport } from '../signals/types.js';
import type { DetectorCounts } from '../signals/detect.js';
import type { Db } from './sql/connect.js';
import type { PlaceContainers, PlaceLocator } from './subscription-repository.js';

/** The reports kept in the store. */
export interface ReportRepository extends ReportLog {
  /** Stores one report unless its reporter has `limit` reports at or after `since` (addBatch of one); true when stored. */
  addUnlessLimited(report: ReportRecord, limit: number, since: Date): Promise<boolean>;
}

const PLACE_KIND_SET: ReadonlySet<string> = new Set(PLACE_KINDS);
const LEVEL_SET: ReadonlySet<string> = new Set(LEVELS);
/** As Date.toISOString() writes it (any fraction of a second, as zod's datetime() accepted). */
const ISO_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const REPORTER = /^[0-9a-f]{64}$/;

/**
 * A stored row as a SignalReport, or null when it is not one (a corrupted row). Checked by
 * hand, not with zod: the signals service reads thousands of rows a minute in a crisis, and
 * the event loop that answers waits meanwhile.
 */
function reportOf(row: { at: unknown; service: unknown; place_kind: unknown; place_code: unknown; level: unknown; platform: unknown; reporter: unknown }): SignalReport | null {
  if (typeof row.at !== 'string' || !ISO_AT.test(row.at)) return null;
  const at = new Date(row.at);
  if (Number.isNaN(at.getTime())) return null;
  if (row.service !== null && typeof row.service !== 'string') return null;
  if (row.place_kind !== null && (typeof row.place_kind !== 'string' || !PLACE_KIND_SET.has(row.place_kind))) return null;
  if (row.place_code !== null && typeof row.place_code !== 'string') return null;
  if (row.level !== null && (typeof row.level !== 'string' || !LEVEL_SET.has(row.level))) return null;
  if (typeof row.platform !== 'string' || typeof row.reporter !== 'string' || !REPORTER.test(row.reporter)) return null;
  return {
    at,
    service: row.service,
    place: row.place_kind !== null && row.place_code !== null ? { kind: row.place_kind as PlaceKind, code: row.place_code } : null,
    level: row.level as Level | null,
    platform: row.platform,
    reporter: row.reporter,
  };
}

const NO_CONTAINERS: PlaceContainers = { region: '', academie: '', departement: '' };

/** The most rows per insert statement (704 parameters). */
const INSERT_MAX = 64;
/** The columns a report's row fills (all text; `id` is the database's). */
const COLUMNS = ['at', 'service', 'place_kind', 'place_code', 'region', 'academie', 'departement', 'level', 'platform', 'reporter', 'text'] as const;
/** The first key of the reporters' advisory locks on PostgreSQL ("VR"): apart from any other lock's. */
const REPORTS_LOCK_CLASS = 0x5652;

const insertTexts = new Map<string, string>();

/** `insert into reports (…) values (…), …` for `rows` rows, in the dialect's placeholders. */
function insertSql(dialect: string, rows: number): string {
  const key = `${dialect}|${rows}`;
  let text = insertTexts.get(key);
  if (!text) {
    let n = 0;
    const values = Array.from({ length: rows }, () => `(${COLUMNS.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`);
    text = `insert into reports (${COLUMNS.join(', ')}) values ${values.join(', ')}`;
    insertTexts.set(key, text);
  }
  return text;
}

/** A reporter's advisory lock key: 32 bits of its (HMAC, hex) key. Two people sharing one only wait for each other. */
function lockKey(reporter: string): number {
  return Number.parseInt(reporter.slice(0, 8), 16) | 0;
}

/** Reports kept in a database; `locate` says where a place lies, for counts by containing place. */
export function createReportRepository(db: Db, logger: Logger, locate: PlaceLocator = () => NO_CONTAINERS): ReportRepository {
  const k = db.kysely;
  return {
    async addUnlessLimited(report: ReportRecord, limit: number, since: Date) {
      const [stored] = await this.addBatch([report], limit, report.at.getTime() - since.getTime());
      return stored === true;
    },

    async addBatch(batch: readonly ReportRecord[], limit: number, windowMs: number) {
      if (batch.length === 0) return [];
      const rows = batch.map((report) => {
        const containers = report.place && report.place.kind !== 'national' ? locate(report.place) : NO_CONTAINERS;
        return {
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
        };
      });
      const reporters = [...new Set(batch.map((r) => r.reporter))];
      let earliest = Infinity;
      for (const r of batch) earliest = Math.min(earliest, r.at.getTime());
      return db.write(async (tx) => {
        if (db.dialect === 'postgres') {
          // One transaction at a time per reporter, across instances: the count below and the
          // insert cannot interleave with another's for the same person. Keys in one order, so
          // two batches never wait on each other crosswise.
          const keys = [...new Set(reporters.map(lockKey))].sort((a, b) => a - b);
          await sql`select pg_advisory_xact_lock(${REPORTS_LOCK_CLASS}::int4, k) from unnest(${keys}::int4[]) as t(k)`.execute(tx);
        }
        // Each reporter's reports within the window before the batch's earliest. One SQL text
        // whatever the batch (the list goes as one parameter), so the statement stays prepared.
        const since = new Date(earliest - windowMs).toISOString();
        const found =
          db.dialect === 'postgres'
            ? await sql<{ reporter: string; at: string }>`select reporter, at from reports where reporter = any(${reporters}::text[]) and at >= ${since}`.execute(tx)
            : await sql<{ reporter: string; at: string }>`select reporter, at from reports where reporter in (select value from json_each(${JSON.stringify(reporters)})) and at >= ${since}`.execute(tx);
        const recent = new Map<string, number[]>();
        for (const row of found.rows) {
          const t = Date.parse(row.at);
          const times = recent.get(row.reporter);
          if (times) times.push(t);
          else recent.set(row.reporter, [t]);
        }
        const stored: boolean[] = [];
        const accepted: (typeof rows)[number][] = [];
        batch.forEach((report, i) => {
          const at = report.at.getTime();
          const since = at - windowMs;
          let times = recent.get(report.reporter);
          let n = 0;
          for (const t of times ?? []) if (t >= since) n++;
          if (n >= limit) {
            stored.push(false);
            return;
          }
          if (!times) recent.set(report.reporter, (times = []));
          times.push(at);
          stored.push(true);
          accepted.push(rows[i]!);
        });
        // Rows in statements of 64, 32, …, 1: a few SQL texts, each kept prepared.
        for (let i = 0; i < accepted.length; ) {
          let size = INSERT_MAX;
          while (size > accepted.length - i) size >>= 1;
          const params: unknown[] = [];
          for (const row of accepted.slice(i, i + size)) for (const c of COLUMNS) params.push(row[c]);
          await tx.executeQuery(CompiledQuery.raw(insertSql(db.dialect, size), params));
          i += size;
        }
        return stored;
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
        const report = reportOf(row);
        if (!report) {
          // A corrupted row is skipped with a warning, never a crash (as every record read back).
          logger.warn('reports: a stored report is invalid; skipped', { at: typeof row.at === 'string' ? row.at : null });
          continue;
        }
        out.push(report);
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
