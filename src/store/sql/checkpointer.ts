/**
 * WAL checkpoints off the event loop. SQLite copies the write-ahead log back into the database
 * file every thousand pages or so ("checkpoint"), and syncs both files to disk as it does. By
 * default the connection whose commit crosses the threshold does it, there and then: on the
 * event loop, a 10 to 50 ms stop on a busy disk (measured during a 50,000-channel fan-out).
 * Here the store's connection never checkpoints; a worker thread with a connection of its own
 * does, every `everyMs`, in PASSIVE mode (it never waits for nor blocks readers and writers).
 * If the worker cannot run, the store's connection goes back to checkpointing itself.
 *
 * One worker thread serves every store file the process opens (a thread costs about 50 ms of
 * CPU to start and stop; the CLI and the tests open many stores one after the other). It starts
 * with the first store, never keeps the process alive, and stays, idle and holding no file,
 * when the last store closes; if it dies, its stores fall back and the next store starts another.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../../base/logger.js';

/** How often the worker checkpoints (ms). */
export const CHECKPOINT_EVERY_MS = 500;

/** SQLite's own threshold (pages), restored when the worker stops working. */
const DEFAULT_AUTOCHECKPOINT = 1000;

/** A running checkpointer; `stop` ends it (the store's close then checkpoints one last time). */
export interface Checkpointer {
  stop(): Promise<void>;
  /** Checkpoints done so far (for tests). */
  readonly count: () => number;
}

/** What the thread is told: start checkpointing a file, or stop and close it. */
type ToThread = { open: number; path: string; everyMs: number; busyTimeoutMs: number } | { close: number };
/** What it answers, per file. */
interface FromThread {
  id: number;
  done?: 1;
  failed?: string;
  error?: string;
  stopped?: 1;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const files = new Map();
const text = (error) => String((error && error.message) || error);
parentPort.on('message', (m) => {
  if (m.open !== undefined) {
    let db;
    try {
      db = new Database(m.path, { timeout: m.busyTimeoutMs, fileMustExist: true });
    } catch (error) {
      parentPort.postMessage({ id: m.open, error: text(error) });
      return;
    }
    const file = { db, timer: null };
    const run = () => {
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
        parentPort.postMessage({ id: m.open, done: 1 });
      } catch (error) {
        // Busy or locked: the next round tries again.
        parentPort.postMessage({ id: m.open, failed: text(error) });
      }
      file.timer = setTimeout(run, m.everyMs);
    };
    file.timer = setTimeout(run, m.everyMs);
    files.set(m.open, file);
  } else if (m.close !== undefined) {
    const file = files.get(m.close);
    if (file) {
      clearTimeout(file.timer);
      files.delete(m.close);
      try { file.db.close(); } catch {}
    }
    parentPort.postMessage({ id: m.close, stopped: 1 });
  }
});
`;

/** One file the thread checkpoints, as the store's side sees it. */
interface Registration {
  onMessage(m: FromThread): void;
  /** The thread died: checkpoint on the connection again. */
  onLost(why: string): void;
}

/** The process's checkpoint thread and the files it serves. */
interface Thread {
  worker: Worker;
  files: Map<number, Registration>;
}

let thread: Thread | null = null;
let nextId = 0;

/** The running thread, started on first use (throws when worker threads cannot be made). */
function sharedThread(): Thread {
  if (thread) return thread;
  const worker = new Worker(WORKER, { eval: true, workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3') } });
  const started: Thread = { worker, files: new Map() };
  const lose = (why: string) => {
    if (thread === started) thread = null;
    const files = [...started.files.values()];
    started.files.clear();
    for (const file of files) file.onLost(why);
  };
  worker.on('message', (m: FromThread) => started.files.get(m.id)?.onMessage(m));
  worker.on('error', (error) => lose(error.message));
  worker.on('exit', () => lose('exited'));
  // After the listeners (a 'message' listener refs the port again): the thread never keeps the process alive.
  worker.unref();
  thread = started;
  return started;
}

/**
 * Starts checkpointing `path` (a SQLite file in WAL mode opened by `handle`) in the process's
 * checkpoint thread, and turns the handle's own checkpoints off.
 */
export function startCheckpointer(handle: BetterSqlite3.Database, path: string, logger: Logger, options: { everyMs?: number; busyTimeoutMs?: number } = {}): Checkpointer {
  const running = sharedThread();
  const id = ++nextId;
  let count = 0;
  let stopped: (() => void) | null = null;
  let over = false;
  const fallBack = (why: string) => {
    if (over) return;
    over = true;
    running.files.delete(id);
    try {
      if (handle.open) handle.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    } catch {
      // Closed meanwhile: nothing to checkpoint.
    }
    logger.warn('store: checkpoints back on the main thread (the checkpoint worker stopped)', { reason: why });
  };
  running.files.set(id, {
    onMessage(m) {
      if (m.done) count++;
      if (m.error) fallBack(m.error);
      if (m.stopped) stopped?.();
    },
    onLost(why) {
      fallBack(why);
      stopped?.();
    },
  });
  handle.pragma('wal_autocheckpoint = 0');
  const message: ToThread = { open: id, path, everyMs: options.everyMs ?? CHECKPOINT_EVERY_MS, busyTimeoutMs: options.busyTimeoutMs ?? 5000 };
  running.worker.postMessage(message);
  return {
    count: () => count,
    async stop() {
      if (stopped) return;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      if (over) return;
      running.worker.postMessage({ close: id } satisfies ToThread);
      // The thread closes its connection between two checkpoints; never wait long for it.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
      clearTimeout(timer);
      over = true;
      running.files.delete(id);
    },
  };
}
