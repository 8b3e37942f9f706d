/**
 * Reads VIGIE_STORE_URL: `sqlite://PATH` (relative paths from the working directory),
 * `memory://`, and later `redis://`.
 */
import { isAbsolute, resolve } from 'node:path';
import { StoreError } from '../errors.js';

/** The store URL the app uses when none is configured. */
export const DEFAULT_STORE_URL = 'sqlite://./data/vigie.sqlite';

/** Where the store lives. */
export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'memory' };

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
  if (/^rediss?:\/\//.test(trimmed)) {
    throw new StoreError('VIGIE_STORE_URL: redis:// is not supported yet; use sqlite://PATH or memory://');
  }
  throw new StoreError(
    `VIGIE_STORE_URL: expected sqlite://PATH (e.g. ${DEFAULT_STORE_URL}) or memory://, got ${describe(trimmed)}`,
  );
}

// Only the scheme is echoed: the rest of a URL may hold a password.
function describe(url: string): string {
  if (url === '') return 'an empty value';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  return scheme ? `a ${scheme}: URL` : 'a value that is not a URL';
}
