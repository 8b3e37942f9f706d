/**
 * Group commit: small writes that many callers make at once (a fan-out records the outcome of
 * a hundred tries in the same few milliseconds) are queued and written together, in one
 * statement or transaction, and each caller is answered only once that write has committed.
 * Nothing is acknowledged before it is durable, exactly as with one commit per write; the
 * database syncs once per batch instead of once per row. While a batch is being written the
 * next one gathers, so batches grow with the load and a lone write waits for nothing.
 */

/** A queued write: `key` names the row it changes (two writes to one row never share a batch). */
export interface GroupedWrite {
  readonly key: string;
}

/** Writes a batch (all or nothing); a rejection fails every write of the batch. */
export type BatchWriter<W extends GroupedWrite> = (batch: readonly W[]) => Promise<void>;

/** Writes at most this many rows in one batch. */
export const MAX_GROUP = 500;

interface Queued<W> {
  write: W;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Queues writes and commits them in batches, one batch at a time, in submission order. */
export class GroupCommit<W extends GroupedWrite> {
  private queue: Queued<W>[] = [];
  private running = false;

  constructor(
    private readonly writeBatch: BatchWriter<W>,
    private readonly max = MAX_GROUP,
  ) {}

  /** Resolves once the write has committed; rejects if its batch failed. */
  submit(write: W): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      if (!this.running) {
        this.running = true;
        // After the current run of microtasks, so writes made together go together.
        queueMicrotask(() => void this.pump());
      }
    });
  }

  /** Writes waiting (for tests and diagnostics). */
  get waiting(): number {
    return this.queue.length;
  }

  private async pump(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        try {
          await this.writeBatch(batch.map((q) => q.write));
          for (const q of batch) q.resolve();
        } catch (error) {
          for (const q of batch) q.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** The next batch: in order, up to `max`, stopping before a second write to the same row. */
  private take(): Queued<W>[] {
    const keys = new Set<string>();
    let n = 0;
    while (n < this.queue.length && n < this.max && !keys.has(this.queue[n]!.write.key)) {
      keys.add(this.queue[n]!.write.key);
      n++;
    }
    return this.queue.splice(0, n);
  }
}
