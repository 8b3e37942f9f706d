/**
 * The SQLite backend: one file, one table ("keyv", as @keyv/sqlite creates it), one
 * connection per namespace. Several processes may open the same file (the CLI while the bot
 * runs): the file is switched to WAL so readers never block the writer, and every
 * connection waits for a lock instead of failing at once.
 */
import { dirname } from 'node:path';
import Keyv from 'keyv';
import { KeyvSqlite } from '@keyv/sqlite';
import { StoreError } from '../errors.js';
import { ensureDir } from '../fs/ensure-dir.js';
import type { Logger } from '../logger.js';
import { checkNamespace, sequenceKey, serializeEnvelope, storeFailure, type Backend, type RawRecord } from './backend.js';

/** How long a connection waits for another process's write lock before giving up. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

const TABLE = 'keyv';

/** Opens (creating when needed) the SQLite file at an absolute path. */
export async function openSqliteBackend(path: string, logger: Logger): Promise<Backend> {
  const failure = ensureDir(dirname(path));
  if (failure) {
    const why = { not_a_directory: 'is not a folder', not_writable: 'is not writable', cannot_create: 'cannot be created' }[failure.reason];
    throw new StoreError(`cannot create the folder of the store file ${path}: ${failure.at} ${why} (${failure.detail}); set VIGIE_STORE_URL to a writable path`);
  }
  const description = `sqlite://${path}`;
  const connect = (): KeyvSqlite => {
    const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: TABLE, busyTimeout: SQLITE_BUSY_TIMEOUT_MS });
    // Without a listener, a failed connection would be an uncaught 'error' event.
    adapter.on('error', (error: unknown) => logger.error('store: SQLite error', { store: description, error }));
    return adapter;
  };

  // The main connection runs the queries keyv has no word for; it also proves the file opens.
  const main = connect();
  try {
    const rows = (await main.query('PRAGMA journal_mode=WAL')) as { journal_mode?: string }[];
    if (rows[0]?.journal_mode !== 'wal') {
      logger.warn('store: SQLite file is not in WAL mode; concurrent access will be slower', {
        store: description,
        mode: rows[0]?.journal_mode,
      });
    }
  } catch (error) {
    await main.close().catch(() => undefined);
    throw new StoreError(`cannot open the store file ${path}: ${(error as Error).message}`, { cause: error });
  }

  const adapters = new Map<string, KeyvSqlite>();
  const keyvs = new Map<string, Keyv>();
  let closed = false;

  const backend: Backend = {
    description,
    keyv(namespace) {
      if (closed) throw new StoreError(`the store ${description} is closed`);
      checkNamespace(namespace);
      let keyv = keyvs.get(namespace);
      if (!keyv) {
        // keyv writes its namespace onto the adapter itself, so each namespace needs its own.
        const adapter = connect();
        adapters.set(namespace, adapter);
        keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true });
        keyvs.set(namespace, keyv);
      }
      return keyv;
    },
    async getRaw(namespace, key) {
      checkNamespace(namespace);
      try {
        const rows = (await main.query(`SELECT value FROM ${TABLE} WHERE key = ?`, `${namespace}:${key}`)) as {
          value: string;
        }[];
        return rows[0]?.value;
      } catch (error) {
        throw storeFailure(`reading ${namespace}:${key}`, backend, error);
      }
    },
    async entries(namespace) {
      checkNamespace(namespace);
      // A key range on the primary key, in one statement: exact (no LIKE wildcards or case
      // folding), and one snapshot, unlike @keyv/sqlite's LIMIT/OFFSET pages without ORDER BY.
      try {
        const rows = (await main.query(
          `SELECT key, value FROM ${TABLE} WHERE key >= ? AND key < ? ORDER BY key`,
          `${namespace}:`,
          `${namespace};`,
        )) as { key: string; value: string }[];
        return rows.map((row): RawRecord => ({ key: row.key.slice(namespace.length + 1), raw: row.value }));
      } catch (error) {
        throw storeFailure(`listing ${namespace}`, backend, error);
      }
    },
    async appendSequenced(namespace, value) {
      checkNamespace(namespace);
      const prefix = `${namespace}:`;
      const envelope = await serializeEnvelope(backend.keyv(namespace), { ...value, seq: 0 });
      // One statement computes the next number and inserts: SQLite takes the write lock
      // first, so two processes appending at once get different numbers.
      const sql = `
        INSERT INTO ${TABLE} (key, value)
        SELECT ? || printf('%012d', next), json_set(?, '$.value.seq', next)
        FROM (SELECT COALESCE(MAX(CAST(substr(key, ?) AS INTEGER)), 0) + 1 AS next
              FROM ${TABLE} WHERE key >= ? AND key < ?)
        RETURNING key`;
      try {
        const rows = (await main.query(sql, prefix, envelope, prefix.length + 1, prefix, `${namespace};`)) as {
          key: string;
        }[];
        const key = rows[0]?.key;
        if (!key) throw new Error('no row inserted');
        const seq = Number(key.slice(prefix.length));
        if (sequenceKey(seq) !== key.slice(prefix.length)) throw new Error(`unexpected key ${key}`);
        return seq;
      } catch (error) {
        throw storeFailure(`appending to ${namespace}`, backend, error);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      const all = [...adapters.values(), main];
      const results = await Promise.allSettled(all.map((adapter) => adapter.close()));
      for (const result of results) {
        if (result.status === 'rejected') logger.warn('store: closing a SQLite connection failed', { error: result.reason });
      }
    },
  };
  return backend;
}
