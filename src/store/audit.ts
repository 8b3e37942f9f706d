/**
 * The audit log: who did what, when, and how it ended. Append-only; entries are numbered
 * 1, 2, 3... in the order they were written, across every process sharing the store.
 */
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { describeIssues } from '../content/load.js';
import { InputError } from '../errors.js';
import type { Logger } from '../logger.js';
import { readAll, storeFailure, type Backend } from './backend.js';

/** The namespace audit entries are kept in. */
export const AUDIT_NAMESPACE = 'audit';

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
  /** Writes an entry stamped with the next number and the clock's time. */
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Entries in the order they were written (oldest first). */
  list(query?: AuditQuery): Promise<AuditEntry[]>;
}

/** The audit log kept in a backend. */
export function createAuditLog(backend: Backend, clock: Clock, logger: Logger): AuditLog {
  const ns = AUDIT_NAMESPACE;
  return {
    async append(input) {
      const at = clock.now().toISOString();
      const candidate = { ...input, seq: 1, at };
      const parsed = auditEntrySchema.safeParse(candidate);
      if (!parsed.success) throw new InputError(`audit entry: ${describeIssues(parsed.error)}`);
      const { seq: _placeholder, ...value } = parsed.data;
      try {
        const seq = await backend.appendSequenced(ns, value);
        return { ...parsed.data, seq };
      } catch (error) {
        throw storeFailure('appending to the audit log', backend, error);
      }
    },
    async list(query = {}) {
      const limit = query.limit ?? 100;
      const sinceMs = query.since === undefined ? undefined : new Date(query.since).getTime();
      if (sinceMs !== undefined && Number.isNaN(sinceMs)) throw new InputError(`audit: "since" is not a date (${String(query.since)})`);
      const entries = (await readAll(backend, ns, auditEntrySchema, logger))
        .map((r) => r.value)
        .filter((e) => query.afterSeq === undefined || e.seq > query.afterSeq)
        .filter((e) => sinceMs === undefined || Date.parse(e.at) >= sinceMs)
        .sort((a, b) => a.seq - b.seq);
      return limit >= entries.length ? entries : entries.slice(entries.length - Math.max(0, limit));
    },
  };
}
