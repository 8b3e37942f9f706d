/**
 * Change notifications between instances sharing one PostgreSQL store: a write that others
 * must see at once (a notice published, failed deliveries retried, an incident changed)
 * sends `NOTIFY vigie_changes, '<schema>:<topic>'` in its own transaction, so it is heard
 * when, and only if, the write commits. Each instance keeps one connection LISTENing and
 * reconnects when it is lost (then tells every topic, since something may have been missed
 * meanwhile). On SQLite there is one instance: nothing is sent and readers poll.
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from '../../base/logger.js';
import type { Db } from './connect.js';
import type { Database } from './schema.js';

/** The PostgreSQL channel every Vigie schema notifies on (the payload names the schema). */
export const CHANGE_CHANNEL = 'vigie_changes';

/** What changed: the outbox (deliveries to make) or the incidents (answers to refresh). */
export type ChangeTopic = 'outbox' | 'incidents';
export const CHANGE_TOPICS: readonly ChangeTopic[] = ['outbox', 'incidents'];

/** Tells the other instances about `topic` when `tx` commits (nothing on SQLite). */
export async function notifyChange(db: Db, tx: Kysely<Database>, topic: ChangeTopic): Promise<void> {
  if (!db.postgres) return;
  await sql`select pg_notify(${CHANGE_CHANNEL}, ${`${db.postgres.schema}:${topic}`})`.execute(tx);
}

/** A LISTEN connection; `close` ends it for good. */
export interface ChangeListener {
  /** Resolves once the first LISTEN is in place (or rejects when the first connection fails). */
  readonly ready: Promise<void>;
  /** True while LISTEN is in place (every notification is heard); false while reconnecting. */
  live(): boolean;
  close(): Promise<void>;
}

/** Options for `listenChanges`. */
export interface ListenOptions {
  logger: Logger;
  /** First wait before reconnecting (default 250 ms), doubled up to `maxRetryMs` (default 5 s). */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * Listens for changes to this store's schema; `onChange` is called with each topic notified
 * (and with every topic after a reconnection). Null on SQLite.
 */
export function listenChanges(db: Db, onChange: (topic: ChangeTopic) => void, options: ListenOptions): ChangeListener | null {
  if (!db.postgres) return null;
  const { connectionConfig, schema } = db.postgres;
  const prefix = `${schema}:`;
  const firstRetry = options.retryMs ?? 250;
  const maxRetry = options.maxRetryMs ?? 5_000;
  let client: pg.Client | null = null;
  let closed = false;
  let retry = firstRetry;
  let timer: NodeJS.Timeout | null = null;
  let lost = false;
  let listening = false;

  const tellAll = () => {
    for (const topic of CHANGE_TOPICS) onChange(topic);
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ ...connectionConfig, application_name: `vigie-listen:${schema}` });
    client = c;
    c.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL || !message.payload?.startsWith(prefix)) return;
      const topic = message.payload.slice(prefix.length);
      if ((CHANGE_TOPICS as readonly string[]).includes(topic)) onChange(topic as ChangeTopic);
    });
    c.on('error', (error) => dropped(c, error));
    c.on('end', () => dropped(c, null));
    await c.connect();
    await c.query(`LISTEN ${CHANGE_CHANNEL}`);
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    retry = firstRetry;
    listening = true;
    if (lost) {
      lost = false;
      options.logger.info('store: change notifications back', { store: db.description });
      tellAll();
    }
  };

  const dropped = (c: pg.Client, error: Error | null) => {
    if (closed || client !== c) return;
    client = null;
    listening = false;
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
    if (!lost) options.logger.warn('store: change notifications lost; reconnecting (the dispatcher polls meanwhile)', { store: db.description, error: error?.message ?? 'connection ended' });
    lost = true;
    schedule();
  };

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      connect().catch((error: unknown) => {
        const c = client;
        if (c) dropped(c, error instanceof Error ? error : new Error(String(error)));
        else schedule();
      });
    }, retry);
    timer.unref();
    retry = Math.min(maxRetry, retry * 2);
  };

  const ready = connect().catch((error: unknown) => {
    // The store itself answered a moment ago: keep trying in the background, and say so.
    const c = client;
    if (c) dropped(c, error instanceof Error ? error : new Error(String(error)));
    throw error;
  });
  ready.catch(() => undefined);
  return {
    ready,
    live: () => listening && !closed,
    async close() {
      closed = true;
      listening = false;
      if (timer) clearTimeout(timer);
      timer = null;
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
    },
  };
}
