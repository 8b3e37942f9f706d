/**
 * Reads VIGIE_STORE_URL: `sqlite://PATH` (relative paths from the working directory),
 * `memory://` (SQLite in memory, gone on exit), or `postgres://USER@HOST:PORT/DB` (also
 * `postgresql://`), with an optional `?schema=NAME` (default `vigie`) so several stores can
 * share one database.
 */
import { isAbsolute, resolve } from 'node:path';
import { StoreError } from '../base/errors.js';
import type { DbLocation } from './sql/connect.js';

/** The store URL the app uses when none is configured. */
export const DEFAULT_STORE_URL = 'sqlite://./data/vigie.sqlite';

/** The PostgreSQL schema used when the URL names none. */
export const DEFAULT_PG_SCHEMA = 'vigie';

/** Where the store lives. */
export type StoreLocation = DbLocation;

/** Parses a store URL; `cwd` anchors relative SQLite paths. Throws StoreError when unusable. */
export function parseStoreUrl(url: string, cwd: string = process.cwd()): StoreLocation {
  const trimmed = url.trim();
  if (trimmed === 'memory://') return { kind: 'memory' };
  if (trimmed.startsWith('sqlite://')) {
    const path = trimmed.slice('sqlite://'.length);
    if (path === '' || path.endsWith('/')) {
      throw new StoreError(
        `VIGIE_STORE_URL: expected a file path after sqlite://, such as sqlite://./data/vigie.sqlite (got "${url}")`,
      );
    }
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new StoreError('VIGIE_STORE_URL: expected postgres://USER@HOST:PORT/DATABASE, got a postgres URL that cannot be read');
    }
    const schema = parsed.searchParams.get('schema') ?? DEFAULT_PG_SCHEMA;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new StoreError(`VIGIE_STORE_URL: schema must be lower-case letters, digits and _ (got "${schema.slice(0, 70)}")`);
    }
    parsed.searchParams.delete('schema');
    return { kind: 'postgres', url: parsed.toString(), schema };
  }
  throw new StoreError(
    `VIGIE_STORE_URL: expected sqlite://PATH (e.g. ${DEFAULT_STORE_URL}), postgres://USER@HOST/DB or memory://, got ${describe(trimmed)}`,
  );
}

// Only the scheme is echoed: the rest of a URL may hold a password.
function describe(url: string): string {
  if (url === '') return 'an empty value';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  return scheme ? `a ${scheme}: URL` : 'a value that is not a URL';
}
