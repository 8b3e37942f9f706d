/**
 * WAL checkpoints off the event loop. SQLite copies the write-ahead log back into the database
 * file every thousand pages or so ("checkpoint"), and syncs both files to disk as it does. By
 * default the connection whose commit crosses the threshold does it, there and then: on the
 * event loop, a 10 to 50 ms stop on a busy disk (measured during a 50,000-channel fan-out).
 * Here the store's connection never checkpoints; a worker thread with a connection of its own
 * does, every `everyMs`, in PASSIVE mode (it never waits for nor blocks readers and writers).
 * If the worker cannot run, the store's connection goes back to checkpointing itself.
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

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs, fileMustExist: true });
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message || error) });
  process.exit(0);
}
let stopping = false;
const run = () => {
  if (stopping) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ done: 1 });
  } catch (error) {
    // Busy or locked: the next round tries again.
    parentPort.postMessage({ failed: String(error && error.message || error) });
  }
  timer = setTimeout(run, workerData.everyMs);
};
let timer = setTimeout(run, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  stopping = true;
  clearTimeout(timer);
  db.close();
  parentPort.postMessage({ stopped: 1 });
});
`;

/**
 * Starts checkpointing `path` (a SQLite file in WAL mode opened by `handle`) in a worker
 * thread, and turns the handle's own checkpoints off.
 */
export function startCheckpointer(handle: BetterSqlite3.Database, path: string, logger: Logger, options: { everyMs?: number; busyTimeoutMs?: number } = {}): Checkpointer {
  let count = 0;
  let stopped: (() => void) | null = null;
  let fellBack = false;
  const fallBack = (why: string) => {
    if (fellBack) return;
    fellBack = true;
    try {
      if (handle.open) handle.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    } catch {
      // Closed meanwhile: nothing to checkpoint.
    }
    logger.warn('store: checkpoints back on the main thread (the checkpoint worker stopped)', { reason: why });
  };
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { path, module: createRequire(import.meta.url).resolve('better-sqlite3'), everyMs: options.everyMs ?? CHECKPOINT_EVERY_MS, busyTimeoutMs: options.busyTimeoutMs ?? 5000 },
  });
  worker.unref();
  handle.pragma('wal_autocheckpoint = 0');
  worker.on('message', (m: { done?: 1; failed?: string; error?: string; stopped?: 1 }) => {
    if (m.done) count++;
    if (m.error) fallBack(m.error);
    if (m.stopped) stopped?.();
  });
  worker.on('error', (error) => fallBack(error.message));
  let exited = false;
  worker.on('exit', () => {
    exited = true;
    if (!stopped) fallBack('exited');
    stopped?.();
  });
  return {
    count: () => count,
    async stop() {
      if (stopped || exited) return;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      worker.postMessage('stop');
      // The worker closes its connection between two checkpoints; never wait long for it.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
