/**
 * The databases store tests run on: a real SQLite file and a real PostgreSQL. Each PostgreSQL
 * store gets its own schema (`vt_<pid>_<n>_<random>`) in the test database, dropped when the
 * test ends; schemas left by killed test processes are dropped by the next run.
 *
 *   VIGIE_TEST_PG_URL   the test database (default postgres://root@127.0.0.1:5432/test)
 *   VIGIE_TEST_PG=off   skips the PostgreSQL variants, for a machine without PostgreSQL
 *                       (local use only: CI runs them, and they fail there if it is down)
 *   VIGIE_TEST_STORES   sqlite or postgres: the one kind `describeWithStores` runs (set by
 *                       scripts/run-tests.mjs: `npm test` runs the code above the store on SQLite,
 *                       `npm run test:slow` runs the same files again on PostgreSQL); unset, both
 *
 * Tests of the store itself (`describeStores`) always run on both kinds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/index.js';
import { connectionName } from '../../src/store/sql/connect.js';

/** The kinds of store tests run on. */
export type StoreKind = 'sqlite' | 'postgres';

/** Both, SQLite first. */
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

/** The PostgreSQL database the tests use (never with a password in it, by default). */
export const TEST_PG_URL = process.env.VIGIE_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** Why the PostgreSQL variants are skipped, or null when they run. */
export function pgSkipReason(): string | null {
  return process.env.VIGIE_TEST_PG === 'off' ? 'VIGIE_TEST_PG=off: PostgreSQL variants skipped (CI runs them)' : null;
}

/** What a test sees of a store kind: its label, and the skip reason when it does not run. */
export function storeLabel(kind: StoreKind): string {
  return kind === 'sqlite' ? 'a SQLite file' : 'PostgreSQL';
}

/** `describe`s `fn` once per store kind ("title (on a SQLite file)", "title (on PostgreSQL)"). */
export function describeStores(title: string, fn: (kind: StoreKind) => void): void {
  describeOn(STORE_KINDS, title, fn);
}

/** `describe`s `fn` on each of `kinds`, the PostgreSQL one skipped when VIGIE_TEST_PG=off. */
function describeOn(kinds: readonly StoreKind[], title: string, fn: (kind: StoreKind) => void): void {
  for (const kind of kinds) {
    const skip = kind === 'postgres' ? pgSkipReason() : null;
    describe(`${title} (on ${storeLabel(kind)})`, skip ? { skip } : {}, () => fn(kind));
  }
}

/**
 * `describe`s `fn` per store kind, for tests of code above the store (the dispatcher, notices,
 * the CLI): on the kinds VIGIE_TEST_STORES names, both when unset. What differs between the
 * kinds is the store's, tested by `describeStores` in every run; these tests meet PostgreSQL
 * in `npm run test:slow` (and CI), and SQLite in `npm test`.
 */
export function describeWithStores(title: string, fn: (kind: StoreKind) => void): void {
  const only = process.env.VIGIE_TEST_STORES;
  describeOn(only ? STORE_KINDS.filter((kind) => kind === only) : STORE_KINDS, title, fn);
}

let counter = 0;
let ready: Promise<void> | null = null;

/** The test process's connections for setting up and dropping schemas (idle ones never keep it alive). */
let adminPool: pg.Pool | null = null;

/** Runs `fn` with a client on the test database; throws a clear error when PostgreSQL does not answer. */
export async function withPgAdmin<T>(fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (!adminPool) {
    adminPool = new pg.Pool({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5_000, max: 2, idleTimeoutMillis: 5_000, allowExitOnIdle: true });
    adminPool.on('error', () => undefined);
  }
  let client: pg.PoolClient;
  try {
    client = await adminPool.connect();
  } catch (error) {
    const where = TEST_PG_URL.replace(/\/\/[^@/]*@/, (m) => (m.includes(':') ? '//***@' : m));
    throw new Error(
      `PostgreSQL does not answer at ${where} (${error instanceof Error ? error.message : String(error)}). ` +
        'Start it (`pg_ctlcluster --skip-systemctl-redirect 15 main start`; .ci/run does it), point VIGIE_TEST_PG_URL at another, ' +
        'or set VIGIE_TEST_PG=off to skip the PostgreSQL variants on this machine (CI never skips them).',
    );
  }
  let broken: Error | undefined;
  try {
    return await fn(client);
  } catch (error) {
    // A failed statement may leave the session in a state the next caller should not inherit.
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Drops the schemas of test processes that are gone (killed before their cleanup ran). */
async function dropStaleSchemas(): Promise<void> {
  await withPgAdmin(async (client) => {
    const { rows } = await client.query<{ nspname: string }>(`select nspname from pg_namespace where nspname like 'vt\\_%'`);
    for (const { nspname } of rows) {
      const pid = Number(/^vt_(\d+)_/.exec(nspname)?.[1]);
      if (pid && !alive(pid)) await client.query(`drop schema if exists "${nspname}" cascade`).catch(() => undefined);
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Schemas of this process that a store migrated and a test then left, emptied: the next test
 * that asks for a store schema gets one of them instead of a new one. Creating a schema,
 * migrating it and dropping it cost PostgreSQL about 120 ms of CPU here (a quick run opens 66
 * stores on PostgreSQL); deleting a left schema's rows took 1.4 ms.
 */
const emptied: string[] = [];
/** The catalog of a freshly migrated schema (tables, columns, types, indexes, migrations), to compare a left schema with. */
let migratedShape: Promise<string> | null = null;

/** The shape of a schema's catalog, as text; '' when it holds nothing. */
async function shapeOf(client: pg.ClientBase, schema: string): Promise<string> {
  const { rows } = await client.query<{ shape: string | null }>(
    `select string_agg(x, '|' order by x) as shape from (
       select c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull || ':' || c.relkind::text as x
       from pg_catalog.pg_attribute a
       join pg_catalog.pg_class c on c.oid = a.attrelid
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and a.attnum > 0 and not a.attisdropped
       union all
       select 'migration ' || name from ${quoteIdent(schema)}.kysely_migration
     ) f`,
    [schema],
  );
  return rows[0]?.shape ?? '';
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The shape every migrated test schema must have to be reused: a schema migrated once, by the store itself. */
function referenceShape(): Promise<string> {
  migratedShape ??= (async () => {
    const schema = await newSchema();
    const url = urlOf(schema);
    const store = await openStore(url);
    await store.close();
    const shape = await withPgAdmin((client) => shapeOf(client, schema));
    emptied.push(schema);
    return shape;
  })();
  return migratedShape;
}

async function newSchema(): Promise<string> {
  ready ??= dropStaleSchemas();
  await ready;
  const schema = `vt_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`;
  await withPgAdmin((client) => client.query(`create schema "${schema}"`));
  return schema;
}

function urlOf(schema: string): string {
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/**
 * A test's schema, once the test is done: emptied and kept for the next test when nothing is
 * connected to it any more and its catalog is exactly a migrated store's (a test that renamed
 * a table, added a migration or never migrated it leaves one that is dropped); dropped
 * otherwise.
 */
async function leave(schema: string): Promise<void> {
  const reference = await referenceShape().catch(() => null);
  const kept = await withPgAdmin(async (client) => {
    if (reference === null) return false;
    // A store's connections end on the server a moment after it closes them: wait up to 1 s.
    for (let wait = 0; ; wait += 10) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from pg_catalog.pg_stat_activity where application_name = $1`, [connectionName(schema)]);
      if (Number(rows[0]?.n) === 0) break;
      if (wait >= 1_000) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const shape = await shapeOf(client, schema).catch(() => null);
    if (shape !== reference) return false;
    const tables = await client.query<{ relname: string }>(
      `select c.relname from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relkind = 'r' and c.relname not like 'kysely\_migration%'`,
      [schema],
    );
    await client.query(tables.rows.map((t) => `delete from ${quoteIdent(schema)}.${quoteIdent(t.relname)}`).join(';'));
    // Identity columns (the audit log's and the outbox's numbering) start again from their first value.
    await client.query(
      `select pg_catalog.setval(s.seqrelid, s.seqstart, false) from pg_catalog.pg_sequence s
       join pg_catalog.pg_class c on c.oid = s.seqrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1`,
      [schema],
    );
    return true;
  }).catch(() => false);
  if (kept) emptied.push(schema);
  else await withPgAdmin((client) => client.query(`drop schema if exists ${quoteIdent(schema)} cascade`));
}

/**
 * A PostgreSQL schema of its own for a test's store, and how to leave it: a new, empty one
 * (`empty: true`, or when none is ready), or one a store of this process migrated and an
 * earlier test left, emptied of every row (see `emptied`). Either way the store the test opens
 * on it holds nothing and has this version's tables.
 */
export async function freshPgUrl(options: { empty?: boolean } = {}): Promise<{ url: string; schema: string; cleanup: () => Promise<void> }> {
  if (!options.empty) await referenceShape().catch(() => undefined);
  const schema = (!options.empty && emptied.pop()) || (await newSchema());
  return { url: urlOf(schema), schema, cleanup: () => leave(schema) };
}

/** A fresh store URL of the given kind (a file in a temp folder, or a new schema), and its cleanup. */
export async function freshStoreUrl(kind: StoreKind): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (kind === 'postgres') return freshPgUrl();
  const dir = mkdtempSync(join(tmpdir(), 'vigie-store-'));
  return { url: `sqlite://${join(dir, 'vigie.sqlite')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}
