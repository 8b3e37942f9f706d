/**
 * The audit log: who did what, when, and how it ended. Append-only; entries are numbered
 * 1, 2, 3... by the database in the order they were written, across every process sharing
 * the store.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../base/clock.js';
import { describeIssues } from '../content/validation.js';
import { InputError } from '../base/errors.js';
import type { Db } from './sql/connect.js';
import type { Database } from './sql/schema.js';

/** How an audited action ended. */
export const AUDIT_OUTCOMES = ['ok', 'refused', 'failed'] as const;

/** One audit entry. */
export const auditEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  at: z.iso.datetime({ offset: true }),
  actor: z.strictObject({ platform: z.string().min(1), user: z.string().min(1) }),
  /** What was attempted, e.g. "incident.open", "notice.publish", "subscription.add". */
  action: z.string().min(1),
  /** What it was done to, e.g. an incident or subscription id. */
  target: z.string().optional(),
  outcome: z.enum(AUDIT_OUTCOMES),
  detail: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** What a caller gives; the log adds the number and the time. */
export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'at'>;

/** Options for `list`. */
export interface AuditQuery {
  /** At most this many entries, the most recent ones (default 100). */
  limit?: number;
  /** Only entries at or after this time. */
  since?: Date | string;
  /** Only entries numbered after this one. */
  afterSeq?: number;
}

/** The append-only audit log. */
export interface AuditLog {
  /** Writes an entry stamped with the next number and the clock's time (in `tx` when given). */
  append(entry: NewAuditEntry, tx?: Kysely<Database>): Promise<AuditEntry>;
  /** Entries in the order they were written (oldest first). */
  list(query?: AuditQuery): Promise<AuditEntry[]>;
}

/** The audit log kept in a database. */
export function createAuditLog(db: Db, clock: Clock): AuditLog {
  return {
    async append(input, tx) {
      const at = clock.now().toISOString();
      const parsed = auditEntrySchema.safeParse({ ...input, seq: 1, at });
      if (!parsed.success) throw new InputError(`audit entry: ${describeIssues(parsed.error)}`);
      const e = parsed.data;
      const row = await (tx ?? db.kysely)
        .insertInto('audit')
        .values({ at, actor_platform: e.actor.platform, actor_user: e.actor.user, action: e.action, target: e.target ?? null, outcome: e.outcome, detail: e.detail ?? null })
        .returning('seq')
        .executeTakeFirstOrThrow();
      return { ...e, seq: Number(row.seq) };
    },
    async list(query = {}) {
      const limit = query.limit ?? 100;
      const sinceMs = query.since === undefined ? undefined : new Date(query.since).getTime();
      if (sinceMs !== undefined && Number.isNaN(sinceMs)) throw new InputError(`audit: "since" is not a date (${String(query.since)})`);
      const rows = await db.kysely
        .selectFrom('audit')
        .selectAll()
        .$if(query.afterSeq !== undefined, (q) => q.where('seq', '>', query.afterSeq!))
        .$if(sinceMs !== undefined, (q) => q.where('at', '>=', new Date(sinceMs!).toISOString()))
        .orderBy('seq', 'desc')
        .limit(Math.max(0, limit))
        .execute();
      return rows.reverse().map((r) => ({
        seq: Number(r.seq),
        at: r.at,
        actor: { platform: r.actor_platform, user: r.actor_user },
        action: r.action,
        ...(r.target !== null ? { target: r.target } : {}),
        outcome: r.outcome as AuditEntry['outcome'],
        ...(r.detail !== null ? { detail: r.detail } : {}),
      }));
    },
  };
}
