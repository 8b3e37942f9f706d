/**
 * Bounded parallelism for the dispatcher: a limit per platform and a smaller one per
 * workspace, so a backlog on one platform (waiting for Discord's global bucket) cannot
 * starve the other, nor one slow workspace take every slot. Waiters are served in order.
 */

/** A counting semaphore. */
export class Semaphore {
  private free: number;
  private readonly waiters: (() => void)[] = [];
  constructor(readonly size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}

/** Semaphores per group (platform) and per key (workspace), created on first use. */
export class Slots {
  private readonly semaphores = new Map<string, Semaphore>();
  constructor(
    private readonly groupSize: number,
    private readonly keySize: number,
  ) {}

  /** Runs `fn` holding a slot of `key` then one of `group` (so waiting on a busy key holds no group slot). */
  async run<T>(group: string, key: string, fn: () => Promise<T>): Promise<T> {
    const keyed = this.semaphore(`k:${group}/${key}`, this.keySize);
    const grouped = this.semaphore(`g:${group}`, this.groupSize);
    await keyed.acquire();
    try {
      await grouped.acquire();
      try {
        return await fn();
      } finally {
        grouped.release();
      }
    } finally {
      keyed.release();
    }
  }

  private semaphore(name: string, size: number): Semaphore {
    let s = this.semaphores.get(name);
    if (!s) {
      s = new Semaphore(size);
      this.semaphores.set(name, s);
    }
    return s;
  }
}
