/**
 * Time slicing for SQLite. better-sqlite3 runs every query synchronously on the event loop,
 * so a burst of queries chained through promises (a hundred deliveries finishing at once,
 * each writing its outcome) would hold the loop for as long as they all take, and questions,
 * heartbeats and timers would wait. The dialect here lets a query start only while the
 * current slice of work is under SLICE_MS; past it, the query first lets the event loop turn
 * (a macrotask), so no stretch of store work blocks the loop much longer than a slice.
 */
import { SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';

/** Longest stretch of back-to-back store work before the event loop gets a turn. */
export const SLICE_MS = 8;

/** A pause this long between two queries means the loop was free: a new slice starts. */
const GAP_MS = 1;

/** Tracks the current slice of work and yields when it is used up. */
export class TimeSlice {
  private start = 0;
  private last = -Infinity;
  private pause: Promise<void> | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Resolves at once within the slice; after a turn of the event loop past it. */
  async enter(): Promise<void> {
    const now = this.now();
    if (now - this.last > GAP_MS) this.start = now;
    if (now - this.start < SLICE_MS) return;
    this.pause ??= new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
      this.pause = null;
      this.start = this.now();
    });
    await this.pause;
  }

  /** Marks the end of a query. */
  leave(): void {
    this.last = this.now();
  }
}

/** Kysely's SQLite dialect, with every query entering the time slice first. */
export class SlicedSqliteDialect extends SqliteDialect {
  private readonly slice = new TimeSlice();

  override createDriver(): Driver {
    return new SlicedDriver(super.createDriver(), this.slice);
  }
}

class SlicedDriver implements Driver {
  private readonly wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly slice: TimeSlice,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let sliced = this.wrapped.get(connection);
    if (!sliced) {
      const slice = this.slice;
      sliced = {
        async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
          await slice.enter();
          try {
            return await connection.executeQuery<R>(query);
          } finally {
            slice.leave();
          }
        },
        streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(query, chunkSize),
      };
      this.wrapped.set(connection, sliced);
    }
    return sliced;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
