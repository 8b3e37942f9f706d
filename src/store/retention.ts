/**
 * Retention: what the store forgets, and when. Finished deliveries (delivered or failed) of
 * notices older than `VIGIE_RETENTION_DAYS` (default 90) are deleted, then those notices once
 * none of their deliveries is left, and root messages as old; audit entries older than
 * `VIGIE_AUDIT_RETENTION_DAYS` (default 365); people's reports after `VIGIE_REPORT_RETENTION`
 * (default 7 days: they hold what parents and teachers wrote). Never touched: a delivery still pending or in
 * flight (nor its notice), anything about an incident still open (its deliveries and root
 * messages, so its next update still edits and threads in place), incidents themselves.
 *
 * Deletes run in small batches, one short transaction each, yielding in between, so a first
 * purge of a million rows never holds the write lock (nor the event loop) for long.
 * `npm start` runs it at start-up and then daily (RetentionJob); `vigie db purge` on demand.
 */
import type { Clock } from '../base/clock.js';
import { silentLogger, type Logger } from '../base/logger.js';
import { realTimer, type Timer } from '../base/timer.js';
import type { Db } from './sql/connect.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Rows deleted per transaction. */
export const PURGE_BATCH = 2_000;

/** How long things are kept, in days. */
export interface RetentionPolicy {
  /** Finished deliveries, notices, root messages (default 90). */
  days: number;
  /** Audit entries (default 365). */
  auditDays: number;
  /** People's reports, in milliseconds (default 7 days). */
  reportMs?: number;
}

/** The default of VIGIE_REPORT_RETENTION: 7 days. */
export const DEFAULT_REPORT_RETENTION_MS = 7 * DAY_MS;

/** The defaults, also those of VIGIE_RETENTION_DAYS and VIGIE_AUDIT_RETENTION_DAYS. */
export const DEFAULT_RETENTION: RetentionPolicy = { days: 90, auditDays: 365 };

/** What a purge deleted. */
export interface PurgeCounts {
  deliveries: number;
  notices: number;
  rootMessages: number;
  audit: number;
  reports: number;
}

/**
 * Deletes what the policy no longer keeps, as of `now`; returns how many rows of each.
 * Stops between batches when `signal` aborts (what is left goes at the next run).
 */
export async function purgeExpired(db: Db, now: Date, policy: RetentionPolicy = DEFAULT_RETENTION, options: { batch?: number; signal?: AbortSignal } = {}): Promise<PurgeCounts> {
  const batch = options.batch ?? PURGE_BATCH;
  const stopped = () => options.signal?.aborted === true;
  const k = db.kysely;
  const cutoff = new Date(now.getTime() - policy.days * DAY_MS).toISOString();
  const auditCutoff = new Date(now.getTime() - policy.auditDays * DAY_MS).toISOString();
  const reportCutoff = new Date(now.getTime() - (policy.reportMs ?? DEFAULT_REPORT_RETENTION_MS)).toISOString();
  const counts: PurgeCounts = { deliveries: 0, notices: 0, rootMessages: 0, audit: 0, reports: 0 };
  const open = new Set((await k.selectFrom('incidents').select('id').where('resolved_at', 'is', null).execute()).map((r) => r.id));

  // Notice by notice (old notices are few: each goes once its deliveries are gone), so the
  // cost follows what is purged, not the size of the history.
  const old = await k.selectFrom('notices').select('id').where('created_at', '<', cutoff).orderBy('created_at').execute();
  for (const { id } of old) {
    if (stopped()) return counts;
    const incident = await k.selectFrom('deliveries').select('incident_id').where('notice_id', '=', id).limit(1).executeTakeFirst();
    if (incident?.incident_id && open.has(incident.incident_id)) continue;
    for (;;) {
      const ids = await k.selectFrom('deliveries').select('id').where('notice_id', '=', id).where('state', 'in', FINISHED).limit(batch).execute();
      if (ids.length === 0) break;
      counts.deliveries += await db.write(async (tx) => {
        const result = await tx
          .deleteFrom('deliveries')
          .where(
            'id',
            'in',
            ids.map((r) => r.id),
          )
          // Re-checked inside the transaction: a delivery put back to pending meanwhile stays.
          .where('state', 'in', FINISHED)
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
      await yieldToOthers();
      if (ids.length < batch || stopped()) break;
    }
    counts.notices += await db.write(async (tx) => {
      const result = await tx
        .deleteFrom('notices')
        .where('id', '=', id)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('deliveries').select('deliveries.id').where('deliveries.notice_id', '=', id))))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  for (;;) {
    if (stopped()) return counts;
    const rows = await k
      .selectFrom('root_messages')
      .select(['incident_id', 'channel_key'])
      .where('at', '<', cutoff)
      .where('incident_id', 'not in', k.selectFrom('incidents').select('id').where('resolved_at', 'is', null))
      .limit(batch)
      .execute();
    counts.rootMessages += await db.write(async (tx) => {
      let n = 0;
      for (const r of rows) {
        const result = await tx.deleteFrom('root_messages').where('incident_id', '=', r.incident_id).where('channel_key', '=', r.channel_key).executeTakeFirst();
        n += Number(result.numDeletedRows);
      }
      return n;
    });
    if (rows.length < batch) break;
    await yieldToOthers();
  }

  // Audit entries and reports: a batch of keys at a time, each batch in its own write.
  async function inBatches<K>(keysOf: () => Promise<K[]>, remove: (keys: K[]) => Promise<number>, add: (n: number) => void): Promise<boolean> {
    for (;;) {
      if (stopped()) return false;
      const keys = await keysOf();
      if (keys.length === 0) return true;
      add(await remove(keys));
      if (keys.length < batch) return true;
      await yieldToOthers();
    }
  }
  const auditDone = await inBatches(
    async () => (await k.selectFrom('audit').select('seq').where('at', '<', auditCutoff).orderBy('seq').limit(batch).execute()).map((r) => r.seq),
    (seqs) => db.write(async (tx) => Number((await tx.deleteFrom('audit').where('seq', 'in', seqs).executeTakeFirst()).numDeletedRows)),
    (n) => (counts.audit += n),
  );
  if (!auditDone) return counts;
  await inBatches(
    async () => (await k.selectFrom('reports').select('id').where('at', '<', reportCutoff).orderBy('at').limit(batch).execute()).map((r) => r.id),
    (ids) => db.write(async (tx) => Number((await tx.deleteFrom('reports').where('id', 'in', ids).executeTakeFirst()).numDeletedRows)),
    (n) => (counts.reports += n),
  );
  return counts;
}

const FINISHED = ['delivered', 'failed'];

/** Lets questions and deliveries waiting on the event loop (and the write lock) go first. */
function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** What RetentionJob needs. */
export interface RetentionJobDeps {
  db: Db;
  clock: Clock;
  policy: RetentionPolicy;
  timer?: Timer;
  logger?: Logger;
  /** Time between runs (default one day). */
  everyMs?: number;
  /** Told after each run (tests, metrics). */
  onRun?: (counts: PurgeCounts) => void;
}

/** Purges at start and then every day, until stopped. A failed run is logged and tried the next day. */
export class RetentionJob {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly deps: RetentionJobDeps) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    const { db, clock, policy, logger = silentLogger, timer = realTimer, everyMs = DAY_MS } = this.deps;
    while (!this.abort.signal.aborted) {
      try {
        const counts = await purgeExpired(db, clock.now(), policy, { signal: this.abort.signal });
        const total = counts.deliveries + counts.notices + counts.rootMessages + counts.audit + counts.reports;
        if (total > 0) logger.info('retention: old records purged', { ...counts, days: policy.days, auditDays: policy.auditDays });
        this.deps.onRun?.(counts);
      } catch (error) {
        logger.error('retention: purge failed; trying again at the next run', { error });
      }
      await timer.sleep(everyMs, this.abort.signal);
    }
  }
}
