/**
 * The store: incidents, conversation contexts, subscriptions and the audit log, on keyv
 * over a SQLite file (default) or in memory. Every record read back is validated; a
 * corrupted one is skipped with a warning, never a crash.
 */
import type Keyv from 'keyv';
import type { z } from 'zod';
import { systemClock, type Clock } from '../clock.js';
import { silentLogger, type Logger } from '../logger.js';
import { checkNamespace, readAll, type Backend } from './backend.js';
import { createAuditLog, type AuditLog } from './audit.js';
import { createConversationStore, type ConversationStore } from './conversations.js';
import { createIncidentRepository, type IncidentRepository } from './incidents.js';
import { openMemoryBackend } from './memory-backend.js';
import { openSqliteBackend } from './sqlite-backend.js';
import { createSubscriptionRepository, type SubscriptionRepository } from './subscriptions.js';
import { parseStoreUrl } from './url.js';

export type { AuditEntry, AuditLog, AuditQuery, NewAuditEntry } from './audit.js';
export { AUDIT_OUTCOMES, auditEntrySchema } from './audit.js';
export type { ConversationContext, ConversationStore, StoredConversationContext } from './conversations.js';
export { conversationContextSchema, conversationKey, DEFAULT_CONVERSATION_TTL_MS } from './conversations.js';
export type { IncidentRepository } from './incidents.js';
export type { NewSubscription, Subscription, SubscriptionFilter, SubscriptionRepository } from './subscriptions.js';
export { AUDIENCES, SUBSCRIPTION_PLATFORMS, subscriptionId, subscriptionSchema } from './subscriptions.js';
export { DEFAULT_STORE_URL, parseStoreUrl, type StoreLocation } from './url.js';

/** Everything Vigie keeps between runs. */
export interface Store {
  incidents: IncidentRepository;
  conversations: ConversationStore;
  subscriptions: SubscriptionRepository;
  audit: AuditLog;
  /** A raw keyv for a namespace (lower-case word), for later modules (outbox, deliveries). */
  kv(namespace: string): Keyv;
  /**
   * Every record of a namespace that matches `schema`, sorted by key, read in one go
   * (use this rather than keyv's iterator, which pages without a stable order).
   */
  records<S extends z.ZodType>(namespace: string, schema: S): Promise<{ key: string; value: z.output<S> }[]>;
  /** Where the store lives, e.g. "sqlite:///srv/vigie/data/vigie.sqlite". */
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
}

/**
 * Opens the store at `url`: `sqlite://PATH` (the folder is created) or `memory://`.
 * Throws StoreError for `redis://` (not yet supported), any other URL, or a file that cannot be opened.
 */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const location = parseStoreUrl(url, options.cwd);
  const backend: Backend =
    location.kind === 'memory' ? openMemoryBackend() : await openSqliteBackend(location.path, logger);
  return {
    incidents: createIncidentRepository(backend, logger),
    conversations: createConversationStore(backend, clock, logger),
    subscriptions: createSubscriptionRepository(backend, clock, logger),
    audit: createAuditLog(backend, clock, logger),
    kv: (namespace) => backend.keyv(namespace),
    records: (namespace, schema) => {
      checkNamespace(namespace);
      return readAll(backend, namespace, schema, logger);
    },
    description: backend.description,
    close: () => backend.close(),
  };
}
