/**
 * A Map for keyv that never grows past a bound and lets expired entries go. Writes are
 * remembered in order, so with one TTL for all the oldest are the first to expire: each
 * write drops expired entries from the front, and the oldest when the bound is reached.
 */

const EXPIRES = /"expires":(\d+)\}$/;

/** keyv's in-memory store, bounded. */
export class BoundedTtlMap extends Map<string, unknown> {
  /**
   * The writes in order, oldest first from `start`: each key with the value written. A write
   * that was overwritten, deleted or read after it expired is stale (the map no longer holds
   * that value under that key) and is skipped when it reaches the front.
   *
   * Not a live iterator over the map: a Map iterator that is not advanced keeps every hash
   * table the map has outgrown since (each with the values it held) until it moves, and the
   * oldest entry can stay put for the whole TTL while others are rewritten thousands of
   * times a second: everything written meanwhile outlived the young generation (scavenges of
   * 30-170 ms measured). Nor a fresh iterator per write: it would walk every slot deleted at
   * the front since the map last rehashed, thousands per write at 100,000 entries.
   */
  private keysInOrder: (string | undefined)[] = [];
  private valuesInOrder: unknown[] = [];
  private start = 0;

  constructor(
    private readonly max: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    super();
  }

  override set(key: string, value: unknown): this {
    // Written in place: the write order is kept below, not by moving the key to the end of the
    // map (a delete then a set). That made the map outgrow its hash table every few dozen
    // writes; once the map lives in the old generation, each table it leaves behind still
    // holds the values written into it, and the young-generation collector keeps them alive
    // from there until the next full collection (30-150 ms scavenges measured at 100 askers).
    super.set(key, value);
    // Map's constructor calls set before the fields exist (never with entries here).
    if (this.keysInOrder === undefined) return this;
    this.keysInOrder.push(key);
    this.valuesInOrder.push(value);
    this.sweep();
    this.compact();
    return this;
  }

  override clear(): void {
    super.clear();
    this.keysInOrder = [];
    this.valuesInOrder = [];
    this.start = 0;
  }

  /** Drops expired entries from the front, then the oldest over the bound. */
  sweep(): void {
    const now = this.nowMs();
    for (let i = this.oldest(); i >= 0; i = this.oldest()) {
      if (this.size <= this.max && !expired(this.valuesInOrder[i], now)) break;
      super.delete(this.keysInOrder[i]!);
      this.forget(i);
    }
  }

  /** The position of the oldest write the map still holds, or -1 when it holds none. */
  private oldest(): number {
    for (; this.start < this.keysInOrder.length; this.forget(this.start)) {
      const key = this.keysInOrder[this.start]!;
      const value = this.valuesInOrder[this.start];
      if (super.get(key) === value && super.has(key)) return this.start;
    }
    return -1;
  }

  /** Lets go of the write at the front (which is `i`). */
  private forget(i: number): void {
    this.keysInOrder[i] = undefined;
    this.valuesInOrder[i] = undefined;
    this.start = i + 1;
  }

  /**
   * Keeps the order no longer than about twice the entries held: the stale writes at the
   * front are cut off once they are half of it, and when a live entry at the front holds
   * many stale writes behind it, the order is rebuilt from the writes still held. Each costs
   * the order's length, after at least as many writes: constant per write on average.
   */
  private compact(): void {
    const length = this.keysInOrder.length;
    if (length < 1024 || length <= 2 * (this.size + 512)) {
      if (this.start >= 1024 && this.start * 2 >= length) this.rebuild(false);
      return;
    }
    this.rebuild(true);
  }

  private rebuild(dropStale: boolean): void {
    const oldKeys = this.keysInOrder;
    const oldValues = this.valuesInOrder;
    const keys: (string | undefined)[] = [];
    const values: unknown[] = [];
    for (let i = this.start; i < this.keysInOrder.length; i++) {
      const key = this.keysInOrder[i];
      if (key === undefined) continue;
      const value = this.valuesInOrder[i];
      if (dropStale && !(super.get(key) === value && super.has(key))) continue;
      keys.push(key);
      values.push(value);
    }
    // The old arrays are emptied, not just dropped: dead but not yet collected, they would
    // still hold young values alive for the young-generation collector (see `set`).
    oldKeys.fill(undefined);
    oldValues.fill(undefined);
    this.keysInOrder = keys;
    this.valuesInOrder = values;
    this.start = 0;
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
