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

/** Runs `fn` with a client on the test database; throws a clear error when PostgreSQL does not answer. */
export async function withPgAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const where = TEST_PG_URL.replace(/\/\/[^@/]*@/, (m) => (m.includes(':') ? '//***@' : m));
    throw new Error(
      `PostgreSQL does not answer at ${where} (${error instanceof Error ? error.message : String(error)}). ` +
        'Start it (`pg_ctlcluster --skip-systemctl-redirect 15 main start`; .ci/run does it), point VIGIE_TEST_PG_URL at another, ' +
        'or set VIGIE_TEST_PG=off to skip the PostgreSQL variants on this machine (CI never skips them).',
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
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

/** A new, empty PostgreSQL schema's store URL, and how to drop it. */
export async function freshPgUrl(): Promise<{ url: string; schema: string; cleanup: () => Promise<void> }> {
  ready ??= dropStaleSchemas();
  await ready;
  const schema = `vt_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`;
  await withPgAdmin((client) => client.query(`create schema "${schema}"`));
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    schema,
    cleanup: () => withPgAdmin((client) => client.query(`drop schema if exists "${schema}" cascade`)).then(() => undefined),
  };
}

/** A fresh store URL of the given kind (a file in a temp folder, or a new schema), and its cleanup. */
export async function freshStoreUrl(kind: StoreKind): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (kind === 'postgres') return freshPgUrl();
  const dir = mkdtempSync(join(tmpdir(), 'vigie-store-'));
  return { url: `sqlite://${join(dir, 'vigie.sqlite')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}
