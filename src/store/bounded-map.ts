/**
 * A Map for keyv that never grows past a bound and lets expired entries go. Entries are
 * kept in write order, so with one TTL for all the oldest are the first to expire: each
 * write drops expired entries from the front, and the oldest when the bound is reached.
 */

const EXPIRES = /"expires":(\d+)\}$/;

/** keyv's in-memory store, bounded. */
export class BoundedTtlMap extends Map<string, unknown> {
  constructor(
    private readonly max: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    super();
  }

  override set(key: string, value: unknown): this {
    super.delete(key);
    super.set(key, value);
    this.sweep();
    return this;
  }

  /** Drops expired entries from the front, then the oldest over the bound. */
  sweep(): void {
    const now = this.nowMs();
    for (const [key, value] of super.entries()) {
      if (this.size <= this.max && !expired(value, now)) break;
      super.delete(key);
    }
  }
}

/** Whether a keyv entry, serialized (`…"expires":N}`) or kept as an object (`{ value, expires }`), has expired. */
function expired(value: unknown, now: number): boolean {
  if (typeof value === 'object' && value !== null) {
    const expires = (value as { expires?: unknown }).expires;
    return typeof expires === 'number' && expires <= now;
  }
  if (typeof value !== 'string') return false;
  const m = EXPIRES.exec(value);
  return m !== null && Number(m[1]) <= now;
}
