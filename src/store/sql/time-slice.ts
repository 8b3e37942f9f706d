/**
 * Time slicing for SQLite. better-sqlite3 runs every query synchronously on the event loop,
 * so a burst of queries chained through promises (a hundred deliveries finishing at once,
 * each writing its outcome) would hold the loop for as long as they all take, and questions,
 * heartbeats and timers would wait. The dialect here lets a query start only while the
 * current slice of work is under SLICE_MS; past it, the query first lets the event loop turn
 * (a macrotask), so no stretch of work that queries the store blocks the loop much longer
 * than a slice.
 */
import { SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';

/** Longest stretch of back-to-back store work before the event loop gets a turn. */
export const SLICE_MS = 4;

/**
 * Tracks the current slice of work and yields when it is used up. A slice starts at the first
 * query after the event loop has turned (a macrotask ran since the slice began): until then,
 * everything that runs — queries and the JavaScript between them, chained through promises in
 * one macrotask — counts towards it. (A pause between two queries is not enough: it may be
 * JavaScript of the same chain, holding the loop all the same.)
 */
export class TimeSlice {
  private start = 0;
  /** The event loop turned since the slice started: the next query starts a new one. */
  private turned = true;
  private watching = false;
  private pause: Promise<void> | null = null;

  constructor(
    private readonly now: () => number = () => performance.now(),
    /** Runs `fn` once the event loop has turned (default setImmediate). */
    private readonly afterTurn: (fn: () => void) => void = (fn) => void setImmediate(fn),
  ) {}

  /** Resolves at once within the slice; after a turn of the event loop past it. */
  async enter(): Promise<void> {
    const now = this.now();
    if (this.turned) {
      this.turned = false;
      this.start = now;
      this.watch();
    }
    if (now - this.start < SLICE_MS) return;
    this.pause ??= new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
      this.pause = null;
      this.start = this.now();
      this.turned = false;
      this.watch();
    });
    await this.pause;
  }

  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.afterTurn(() => {
      this.watching = false;
      this.turned = true;
    });
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
          return connection.executeQuery<R>(query);
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
