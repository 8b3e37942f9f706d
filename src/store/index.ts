/**
 * The store: incidents, subscriptions, the outbox (notices, deliveries, root messages), the
 * audit log, platform pauses and people's reports in SQL tables — one SQLite file by default, SQLite in memory
 * (`memory://`), or PostgreSQL for several instances — and follow-up contexts in keyv
 * (bounded memory, or a shared cache). Every record read back is validated; a corrupted one
 * is skipped with a warning, never a crash.
 */
import type Keyv from 'keyv';
import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../base/clock.js';
import { silentLogger, type Logger } from '../base/logger.js';
import { createAuditLog, type AuditLog } from './audit.js';
import { createConversationStore, memoryContextKeyv, type ConversationStore } from './conversations.js';
import { createIncidentRepository, type IncidentRepository } from './incident-repository.js';
import { guarded } from './failures.js';
import { createOutboxRepository, type OutboxRepository } from './outbox.js';
import { createPauseRepository, type PauseRepository } from './pauses.js';
import { createReportRepository, type ReportRepository } from './reports.js';
import { openDb, type Db, type WriteOptions } from './sql/connect.js';
import { importLegacyKeyv } from './legacy-import.js';
import type { Database } from './sql/schema.js';
import { createSubscriptionRepository, subscriptionSchema, type PlaceLocator, type SubscriptionRepository } from './subscription-repository.js';
import { parseStoreUrl } from './url.js';

export type { AuditEntry, AuditLog, AuditQuery, NewAuditEntry } from './audit.js';
export { AUDIT_OUTCOMES, auditEntrySchema } from './audit.js';
export type { ConversationContext, ConversationStore, StoredConversationContext } from './conversations.js';
export { conversationContextSchema, conversationKey, DEFAULT_CONVERSATION_TTL_MS } from './conversations.js';
export type { IncidentChanges, IncidentRepository } from './incident-repository.js';
export type { ClaimRequest, NoticeProgress, NoticeSummary, OutboxRepository } from './outbox.js';
export { summarize } from './outbox.js';
export type { PauseRepository, PlatformPause } from './pauses.js';
export type { ReportRepository } from './reports.js';
export type { ChannelNumbers } from './subscription-copy.js';
export type { NewSubscription, PlaceContainers, PlaceLocator, Subscription, SubscriptionFilter, SubscriptionRepository, TargetQuery } from './subscription-repository.js';
export { AUDIENCES, SUBSCRIPTION_PLATFORMS, subscriptionId, subscriptionSchema } from './subscription-repository.js';
export { DEFAULT_STORE_URL, parseStoreUrl, type StoreLocation } from './url.js';
export { describeCacheUrl, openContextCache } from './cache.js';
export { DEFAULT_REPORT_RETENTION_MS, DEFAULT_RETENTION, purgeExpired, RetentionJob, type PurgeCounts, type RetentionPolicy } from './retention.js';
export type { Db, WriteOptions } from './sql/connect.js';
export { migrate, migrationStatus } from './sql/connect.js';

/** A transaction handle, for writes that belong together. */
export type StoreTx = Kysely<Database>;

/** Everything Vigie keeps between runs. */
export interface Store {
  incidents: IncidentRepository;
  conversations: ConversationStore;
  subscriptions: SubscriptionRepository;
  audit: AuditLog;
  outbox: OutboxRepository;
  pauses: PauseRepository;
  /** What people reported (pseudonymous, masked), for the reply's count and detection. */
  reports: ReportRepository;
  /**
   * Runs `fn` in one transaction: everything it writes lands together, or nothing does.
   * `durable`: synced to disk before it returns, even on SQLite (see Db.write).
   */
  write<T>(fn: (tx: StoreTx) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** The database underneath, for operations (status, backup) and LISTEN/NOTIFY. */
  readonly db: Db;
  /** Where the store lives, e.g. "sqlite:///srv/vigie/data/vigie.sqlite" (never a password). */
  readonly description: string;
  close(): Promise<void>;
}

/** Options for `openStore`. */
export interface StoreOptions {
  /** The clock stamping audit entries and subscriptions and expiring conversations. */
  clock?: Clock;
  /** Where warnings about corrupted records go. */
  logger?: Logger;
  /** Anchors relative sqlite:// paths (default: the working directory). */
  cwd?: string;
  /** Where places lie (région, académie, département), for targeting queries. */
  locate?: PlaceLocator;
  /** Where follow-up contexts live (default: bounded memory). */
  contexts?: Keyv;
  /** Run the migrations and imports (default true); false to look at a store as it is (status, health). */
  migrate?: boolean;
}

/**
 * Opens the store at `url`: `sqlite://PATH` (the folder is created), `memory://` or
 * `postgres://…`; runs the migrations (and imports an earlier version's file). Throws
 * StoreError naming the place and the reason.
 */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const migrating = options.migrate ?? true;
  const db = await openDb(parseStoreUrl(url, options.cwd), { migrate: migrating, logger });
  // Every repository on the database lets out StoreErrors only (failures.ts).
  const incidents = guarded('incidents', createIncidentRepository(db, logger));
  const subscriptions = guarded('subscriptions', createSubscriptionRepository(db, clock, logger, options.locate));
  try {
    if (migrating) await importLegacyKeyv(
      db,
      {
        putIncident: (incident, tx) => incidents.put(incident, tx),
        putSubscription: async (value, tx) => {
          const parsed = subscriptionSchema.safeParse(value);
          if (!parsed.success) return false;
          await subscriptions.importOne(parsed.data, tx);
          return true;
        },
      },
      logger,
      clock.now(),
    );
    // Subscriptions written by a tool that did not know where places lie get it now.
    if (migrating && options.locate) await subscriptions.locateMissing();
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  const conversations = createConversationStore(options.contexts ?? memoryContextKeyv(), clock, logger);
  return {
    incidents,
    conversations,
    subscriptions,
    audit: guarded('audit', createAuditLog(db, clock)),
    outbox: guarded('outbox', createOutboxRepository(db, logger)),
    pauses: guarded('pauses', createPauseRepository(db)),
    reports: guarded('reports', createReportRepository(db, logger, options.locate)),
    write: (fn, options) => db.write(fn, options),
    db,
    description: db.description,
    async close() {
      await conversations.close();
      await db.close();
    },
  };
}
