/**
 * A Map for keyv that never grows past a bound and lets expired entries go. Entries are
 * kept in write order, so with one TTL for all the oldest are the first to expire: each
 * write drops expired entries from the front, and the oldest when the bound is reached.
 */

const EXPIRES = /"expires":(\d+)\}$/;

/** keyv's in-memory store, bounded. */
export class BoundedTtlMap extends Map<string, unknown> {
  /**
   * Where the oldest entries are: a live iterator over the map, and the entry it stands on.
   * A Map keeps a deleted entry's slot until it grows, and a new iterator walks every slot from
   * the first: once the map is full, each write deletes its oldest entry, so starting the
   * sweep from the beginning each time would walk all the slots deleted since, thousands per
   * write at 100,000 entries. This one carries on where the last sweep stopped.
   */
  private cursor: IterableIterator<[string, unknown]> | null = null;
  private head: [string, unknown] | null = null;

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
    for (let oldest = this.oldest(); oldest !== null; oldest = this.oldest()) {
      if (this.size <= this.max && !expired(oldest[1], now)) break;
      super.delete(oldest[0]);
      this.head = null;
    }
  }

  /** The oldest entry still in the map, or null when it is empty. */
  private oldest(): [string, unknown] | null {
    for (;;) {
      if (this.head === null) {
        let next = this.cursor?.next();
        if (next === undefined || next.done) {
          // A finished iterator stays finished: start again from the first entry.
          this.cursor = super.entries();
          next = this.cursor.next();
          if (next.done) {
            this.cursor = null;
            return null;
          }
        }
        this.head = next.value;
      }
      // The entry may have gone (read after it expired) or been written again (it is then
      // further on, where the iterator will meet it again).
      const [key, value] = this.head;
      if (super.get(key) === value && super.has(key)) return this.head;
      this.head = null;
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
