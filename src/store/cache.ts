/**
 * Where follow-up contexts (and other short-lived entries with a TTL) live: bounded memory
 * for one instance, or Redis (`VIGIE_CACHE_URL=redis://HOST:PORT`) shared by several.
 *
 * Redis unreachable at start-up is an error that stops the process (an operator who set
 * VIGIE_CACHE_URL runs several instances; silently keeping contexts per instance would lose
 * follow-ups at random). Redis lost while running never holds a question up: commands are
 * not queued while disconnected and time out quickly, so the answer goes on without its
 * follow-up context, a warning is logged once per outage, and the client reconnects.
 */
import Keyv from 'keyv';
import { StoreError } from '../base/errors.js';
import type { Logger } from '../base/logger.js';
import { memoryContextKeyv } from './conversations.js';

/** How long a Redis command may take before the question goes on without it. */
export const CACHE_COMMAND_TIMEOUT_MS = 300;

/** How long connecting to Redis at start-up may take. */
export const CACHE_CONNECT_TIMEOUT_MS = 3000;

/** The key prefix in Redis when the URL names none (`?prefix=NAME` keeps deployments apart). */
export const DEFAULT_CACHE_PREFIX = 'vigie';

/** Options for `openContextCache`. */
export interface ContextCacheOptions {
  /** Entries kept at most in memory (default 100,000). */
  maxMemoryEntries?: number;
}

/**
 * A keyv for follow-up contexts: bounded memory without `url`, else Redis, connected before
 * this returns. Throws StoreError (without any password) when Redis cannot be reached.
 */
export async function openContextCache(url: string | undefined, logger: Logger, options: ContextCacheOptions = {}): Promise<Keyv> {
  if (url === undefined || url.trim() === '') return memoryContextKeyv(options.maxMemoryEntries);
  const where = describeCacheUrl(url);
  const { clientUrl, prefix } = parseCacheUrl(url);
  // Loaded only when configured: a single instance never loads the Redis client.
  const { createClient, default: KeyvRedis } = await import('@keyv/redis');
  let down = false;
  let connected = false;
  let firstError: unknown = null;
  const client = createClient({
    url: clientUrl,
    // While disconnected, commands fail at once instead of waiting for the reconnection.
    disableOfflineQueue: true,
    commandOptions: { timeout: CACHE_COMMAND_TIMEOUT_MS },
    socket: { connectTimeout: CACHE_CONNECT_TIMEOUT_MS, reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(100 * 2 ** retries, 5000) : cause) },
  });
  client.on('error', (error: unknown) => {
    if (!connected) firstError ??= error;
    if (down || !connected) return;
    down = true;
    logger.warn('cache: Redis unreachable; answering without follow-up contexts until it is back', { cache: where, error: scrub(error, url) });
  });
  client.on('ready', () => {
    if (down) logger.info('cache: Redis reachable again', { cache: where });
    down = false;
  });
  try {
    await withTimeout(client.connect(), CACHE_CONNECT_TIMEOUT_MS + 500);
    connected = true;
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw new StoreError(`cannot reach the cache ${where} (VIGIE_CACHE_URL): ${scrub(firstError ?? error, url)}; start Redis or unset VIGIE_CACHE_URL to keep contexts in memory (one instance only)`, { cause: error });
  }
  // Keys read "<prefix>:conversations::<conversation key>".
  const namespace = `${prefix}:conversations`;
  const store = new KeyvRedis(client, { namespace, throwOnErrors: true, throwOnConnectError: true });
  return new Keyv({ store, namespace, useKeyPrefix: false, throwOnErrors: true });
}

/** The URL the Redis client is given, and the key prefix (`?prefix=`, default `vigie`). */
export function parseCacheUrl(url: string): { clientUrl: string; prefix: string } {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    parsed = new URL('invalid://');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new StoreError(`VIGIE_CACHE_URL: expected redis://HOST:PORT or rediss://HOST:PORT, got ${describeCacheUrl(url)}`);
  }
  const prefix = parsed.searchParams.get('prefix') ?? DEFAULT_CACHE_PREFIX;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) throw new StoreError(`VIGIE_CACHE_URL: prefix must be 1 to 64 letters, digits, _ . or - (got "${prefix.slice(0, 70)}")`);
  parsed.searchParams.delete('prefix');
  return { clientUrl: parsed.toString(), prefix };
}

/** A cache URL as it may be shown: scheme, host, port and database, never a password. */
export function describeCacheUrl(url: string): string {
  try {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.username && u.username !== 'default' ? `${u.username}@` : ''}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1];
    return scheme ? `a ${scheme}: URL that cannot be read` : 'a value that is not a URL';
  }
}

function scrub(error: unknown, url: string): string {
  let message = error instanceof Error ? error.message || error.name : String(error);
  try {
    const password = new URL(url.trim()).password;
    if (password) message = message.split(password).join('***').split(decodeURIComponent(password)).join('***');
  } catch {
    // Not a URL: nothing to hide.
  }
  return message.replace(/(rediss?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let handle: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    handle = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(handle);
  }
}
