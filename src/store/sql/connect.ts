/**
 * Opens the database behind the store: a SQLite file (WAL, busy timeout, prepared
 * statements through better-sqlite3), SQLite in memory, or PostgreSQL (a pool; an optional
 * `schema` parameter keeps several stores apart in one database), then runs the migrations.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, type DatabaseIntrospector, type DatabaseMetadata, type PostgresDialectConfig, type SchemaMetadata, type SqliteDatabase, type TableMetadata, type Transaction } from 'kysely';
import pg from 'pg';
import { StoreError } from '../../base/errors.js';
import { ensureDir } from '../../fs/ensure-dir.js';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations, type Dialect } from './migrations.js';
import { SlicedSqliteDialect } from './time-slice.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { silentLogger, type Logger } from '../../base/logger.js';
import type { Database } from './schema.js';

/** How long SQLite waits for another process's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** An open database. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where it is, without any password. */
  readonly description: string;
  /** The SQLite handle (file and memory stores): online backups, pragmas. */
  readonly sqlite: BetterSqlite3.Database | null;
  /** The PostgreSQL pool, schema, and how to open a client of its own (LISTEN/NOTIFY). */
  readonly postgres: { pool: pg.Pool; schema: string; connectionConfig: pg.ClientConfig } | null;
  /**
   * Runs `fn` in one write transaction: BEGIN IMMEDIATE on SQLite (so two processes never
   * deadlock upgrading a read lock), a normal transaction on PostgreSQL. `durable`: on
   * SQLite, the commit is synced to disk before this returns, so it survives a power cut
   * (for what someone is told is done, such as "published"); other commits survive a crash
   * of the process, and reach the disk at the next synced commit or checkpoint.
   */
  write<T>(fn: (trx: Kysely<Database>) => Promise<T>, options?: WriteOptions): Promise<T>;
  close(): Promise<void>;
}

/** Options of a write transaction. */
export interface WriteOptions {
  durable?: boolean;
}

/** Where a store lives, parsed from VIGIE_STORE_URL. */
export type DbLocation = { kind: 'sqlite'; path: string } | { kind: 'memory' } | { kind: 'postgres'; url: string; schema: string };

/** Options for `openDb`. */
export interface OpenDbOptions {
  /**
   * Run the migrations (default true). Operations that only look (`vigie db status`,
   * `vigie health`) open without migrating, and a SQLite file must then already exist.
   */
  migrate?: boolean;
  /** Where warnings go (the checkpoint worker falling back). */
  logger?: Logger;
}

/** Opens and migrates the database; throws StoreError with the place and the reason. */
export async function openDb(location: DbLocation, options: OpenDbOptions = {}): Promise<Db> {
  const migrating = options.migrate ?? true;
  const db =
    location.kind === 'postgres'
      ? await openPostgres(location)
      : openSqlite(location.kind === 'memory' ? ':memory:' : location.path, !migrating, options.logger ?? silentLogger);
  if (!migrating) return db;
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error instanceof StoreError ? error : new StoreError(`cannot open the store ${db.description}: ${reason(error)}`, { cause: error });
  }
  return db;
}

function openSqlite(path: string, mustExist: boolean, logger: Logger): Db {
  const description = path === ':memory:' ? 'memory://' : `sqlite://${path}`;
  if (mustExist && path !== ':memory:' && !existsSync(path)) {
    throw new StoreError(`no store file at ${path} (npm start or \`vigie db migrate\` creates it; is VIGIE_STORE_URL right?)`);
  }
  if (path !== ':memory:') {
    const failure = ensureDir(dirname(path));
    if (failure) {
      const why = { not_a_directory: 'is not a folder', not_writable: 'is not writable', cannot_create: 'cannot be created' }[failure.reason];
      throw new StoreError(`cannot create the folder of the store file ${path}: ${failure.at} ${why} (${failure.detail}); set VIGIE_STORE_URL to a writable path`);
    }
  }
  let handle: BetterSqlite3.Database;
  try {
    handle = new BetterSqlite3(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    // WAL: readers never block the writer and a second process (the CLI) can write too.
    // NORMAL: a commit survives a crash of the process without waiting for the disk (each
    // sync blocks the event loop for milliseconds: one per delivery written would stall every
    // question during a fan-out); writes asked to be durable sync (see `write`).
    if (path !== ':memory:') handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
    handle.pragma('foreign_keys = OFF');
  } catch (error) {
    throw new StoreError(`cannot open the store file ${path}: ${reason(error)} (is it a Vigie store, and readable and writable?)`, { cause: error });
  }
  const kysely = new Kysely<Database>({ dialect: new SlicedSqliteDialect({ database: withStatementCache(handle) }) });
  // A store that runs (not one opened to be looked at) checkpoints off the event loop.
  let checkpointer: Checkpointer | null = null;
  if (path !== ':memory:' && !mustExist) {
    try {
      checkpointer = startCheckpointer(handle, path, logger, { busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS });
    } catch (error) {
      // No worker threads here: SQLite checkpoints on this connection, as by default.
      logger.warn('store: checkpoints stay on the main thread', { reason: reason(error) });
    }
  }
  return {
    kysely,
    dialect: 'sqlite',
    description,
    sqlite: handle,
    postgres: null,
    write: (fn, options) => sqliteWrite(kysely, fn, options?.durable === true),
    async close() {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

/** Statements kept prepared, by SQL text. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The handle Kysely talks to, with prepared statements kept and reused: Kysely asks for a
 * new statement on every query, and preparing (parsing and planning the SQL) cost more than
 * running most of them. Safe because Kysely runs one query at a time on this connection.
 */
function withStatementCache(handle: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => handle.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) return statement;
      statement = handle.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
      return statement;
    },
  } as SqliteDatabase;
}

async function sqliteWrite<T>(kysely: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>, durable: boolean): Promise<T> {
  // Kysely's SQLite driver has one connection; holding it keeps other queries of this
  // process out until the transaction ends.
  return kysely.connection().execute(async (conn) => {
    // FULL syncs the log at this commit (and with it every earlier commit); set outside the transaction.
    if (durable) await sql`pragma synchronous = full`.execute(conn);
    try {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    } finally {
      if (durable) await sql`pragma synchronous = normal`.execute(conn);
    }
  });
}

/**
 * The name a store's PostgreSQL connections carry in pg_stat_activity ("vigie <schema>", at
 * most 63 characters, PostgreSQL's limit), unless the store's URL names them.
 */
export function connectionName(schema: string): string {
  return `vigie ${schema}`.slice(0, 63);
}

async function openPostgres(location: Extract<DbLocation, { kind: 'postgres' }>): Promise<Db> {
  const description = describePostgres(location.url, location.schema);
  const schema = location.schema;
  const connectionConfig: pg.ClientConfig = {
    connectionString: location.url,
    options: `-c search_path=${schema}`,
    application_name: connectionName(schema),
    connectionTimeoutMillis: 5000,
  };
  const pool = new pg.Pool({ ...connectionConfig, max: 10 });
  // An idle client's error (server restart) must not crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreError(`cannot reach the store ${description}: ${reason(error)}`, { cause: error });
  }
  const kysely = new Kysely<Database>({ dialect: new OneSchemaPostgresDialect({ pool }, schema) });
  return {
    kysely,
    dialect: 'postgres',
    description,
    sqlite: null,
    postgres: { pool, schema, connectionConfig },
    // PostgreSQL syncs every commit (synchronous_commit on, its default).
    write: (fn) => kysely.transaction().execute((trx: Transaction<Database>) => fn(trx)),
    close: () => kysely.destroy(),
  };
}

/**
 * Kysely's PostgreSQL introspector lists the tables of every schema in the database, calling
 * has_schema_privilege and pg_get_serial_sequence on each: a schema that another store (or a
 * test) drops meanwhile makes it fail ("schema … does not exist"), and the migrations with it.
 * The migrator only asks whether its own tables exist: this introspector looks at the store's
 * schema only, with no function called on other schemas' rows.
 */
class OneSchemaIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<any>, // the catalog tables are not in Database
    private readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const rows = await sql<{ nspname: string }>`select nspname from pg_catalog.pg_namespace where nspname = ${this.schema}`.execute(this.db);
    return rows.rows.map((r) => ({ name: r.nspname }));
  }

  async getTables(): Promise<TableMetadata[]> {
    const rows = await sql<{ relname: string; relkind: string }>`
      select c.relname, c.relkind from pg_catalog.pg_class c
      join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = ${this.schema} and c.relkind in ('r', 'v', 'p')
      order by c.relname`.execute(this.db);
    return rows.rows.map((r) => ({ name: r.relname, schema: this.schema, isView: r.relkind === 'v', columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

/** PostgreSQL, introspected within one schema (see OneSchemaIntrospector). */
class OneSchemaPostgresDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly schema: string,
  ) {
    super(config);
  }

  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new OneSchemaIntrospector(db, this.schema);
  }
}

function migrator(db: Db): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations(db.dialect) },
    // Named, or Kysely's check for its tables would find another schema's in the same database.
    ...(db.postgres ? { migrationTableSchema: db.postgres.schema } : {}),
  });
}

/** Runs the migrations not yet applied; returns their names. Throws StoreError naming the one that failed. */
export async function migrate(db: Db): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new StoreError(`cannot migrate the store ${db.description} (migration ${failed}): ${reason(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Which migrations this version knows, applied (with when) or pending. */
export async function migrationStatus(db: Db): Promise<{ name: string; appliedAt: Date | null }[]> {
  try {
    return (await migrator(db).getMigrations()).map((m) => ({ name: m.name, appliedAt: m.executedAt ?? null }));
  } catch (error) {
    throw new StoreError(`cannot read the migrations of the store ${db.description}: ${reason(error)}`, { cause: error });
  }
}

/** A PostgreSQL URL without its password: postgres://user@host:port/db (schema s). */
export function describePostgres(url: string, schema: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname} (schema ${schema})`;
  } catch {
    return 'postgres://… (unreadable URL)';
  }
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Drivers may quote the connection string: never let a password through.
  return message.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}
