/**
 * Rendered responses kept in memory until the core's status version changes (a store change,
 * a replay's clock step, the crowd signals): a surge of parents opening the same page costs
 * one render, then a map lookup (and a 304 for those who have it already). Each body carries
 * a weak ETag (a hash of its bytes) and the Last-Modified of its version; its gzip form is
 * made once, on first demand.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Clock } from '../base/clock.js';

/** A response as rendered once. */
export interface Rendered {
  status: number;
  type: string;
  body: string;
}

/** A rendered response with what conditional requests and compression need. */
export interface CachedResponse extends Rendered {
  bytes: Buffer;
  etag: string;
  /** When its version was first seen (HTTP dates have whole seconds). */
  modified: Date;
  gzip(): Buffer;
}

/** Distinct responses kept per version before the cache starts over (commune pages are many). */
const MAX_ENTRIES = 4_000;

export class ResponseCache {
  private version: string | null = null;
  private modified = new Date(0);
  private readonly entries = new Map<string, CachedResponse>();
  /** Renders in flight, so a surge on a fresh version renders each page once. */
  private readonly pending = new Map<string, Promise<CachedResponse>>();

  constructor(private readonly clock: Clock) {}

  /** The response for `key` at `version`, rendered by `render` when not kept. */
  async get(version: string, key: string, render: () => Promise<Rendered>): Promise<CachedResponse> {
    if (version !== this.version) {
      this.version = version;
      this.entries.clear();
      this.pending.clear();
      this.modified = new Date(Math.floor(this.clock.now().getTime() / 1000) * 1000);
    }
    const kept = this.entries.get(key);
    if (kept) return kept;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const modified = this.modified;
    const promise = render().then((rendered) => {
      const entry = cachedOf(rendered, modified);
      if (this.version === version) {
        if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
        this.entries.set(key, entry);
      }
      return entry;
    });
    this.pending.set(key, promise);
    try {
      return await promise;
    } finally {
      if (this.pending.get(key) === promise) this.pending.delete(key);
    }
  }
}

/** A response that is not kept (search results, errors), with the same fields. */
export function cachedOf(rendered: Rendered, modified: Date): CachedResponse {
  const bytes = Buffer.from(rendered.body, 'utf8');
  const etag = `W/"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"`;
  let gz: Buffer | null = null;
  return { ...rendered, bytes, etag, modified, gzip: () => (gz ??= gzipSync(bytes, { level: 6 })) };
}

/** True when the request's validators match: If-None-Match first (weak comparison), else If-Modified-Since. */
export function notModified(headers: Record<string, string | string[] | undefined>, entry: CachedResponse): boolean {
  const match = headers['if-none-match'];
  if (typeof match === 'string') {
    const weak = (tag: string) => tag.trim().replace(/^W\//, '');
    const own = weak(entry.etag);
    return match.trim() === '*' || match.split(',').some((tag) => weak(tag) === own);
  }
  const since = headers['if-modified-since'];
  if (typeof since === 'string') {
    const time = Date.parse(since);
    return Number.isFinite(time) && entry.modified.getTime() <= time;
  }
  return false;
}
