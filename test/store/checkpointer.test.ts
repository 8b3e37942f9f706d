/**
 * SQLite checkpoints run in a worker thread shared by the process's stores (src/store/sql/checkpointer.ts): the store's own
 * connection never checkpoints (a checkpoint syncs the disk, which held the event loop for tens
 * of milliseconds), the worker copies the write-ahead log into the file, nothing written is lost, and when the worker cannot run the store checkpoints as SQLite does by default.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { startCheckpointer } from '../../src/store/sql/checkpointer.js';
import { recordingLogger, tempDir } from './helpers.js';

const until = async (check: () => boolean, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
};

describe('store: SQLite checkpoints off the event loop', () => {
  test('GIVEN a store on a file THEN its connection does not checkpoint, the worker does, and every write is there after reopening', async () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'vigie.sqlite');
    try {
      const store = await openStore(`sqlite://${path}`);
      assert.equal(Number(store.db.sqlite!.pragma('wal_autocheckpoint', { simple: true })), 0, 'the main connection never checkpoints');
      const dbSize = () => statSync(path).size;
      const before = dbSize();
      // 6 MB of writes: far more than the 1,000 pages (4 MB) after which SQLite would
      // checkpoint by itself; they land in the log, and reach the file only by a checkpoint.
      for (let round = 0; round < 30; round++) {
        await store.write(async (tx) => {
          for (let i = 0; i < 100; i++) {
            await tx.insertInto('audit').values({ at: new Date(0).toISOString(), actor_platform: 'cli', actor_user: 'u', action: 'x', target: `${round}-${i}`, outcome: 'ok', detail: 'y'.repeat(2_000) }).execute();
          }
        });
      }
      assert.ok(await until(() => dbSize() > before + 5_000_000), `the worker copied the log into the file (${before} → ${dbSize()} bytes)`);
      assert.equal(Number(store.db.sqlite!.pragma('wal_autocheckpoint', { simple: true })), 0, 'and the main connection still does not');
      await store.close();
      const again = await openStore(`sqlite://${path}`);
      const n = await again.db.kysely.selectFrom('audit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 3_000);
      await again.close();
    } finally {
      cleanup();
    }
  });

  test('GIVEN two stores open at once, then one closed, then a third opened THEN each is checkpointed (one thread serves them all), and closing one leaves the others checkpointed', async () => {
    const { dir, cleanup } = tempDir();
    const paths = ['a', 'b', 'c'].map((name) => join(dir, `${name}.sqlite`));
    const fill = async (store: Awaited<ReturnType<typeof openStore>>, tag: string) => {
      for (let round = 0; round < 15; round++) {
        await store.write(async (tx) => {
          for (let i = 0; i < 100; i++) {
            await tx.insertInto('audit').values({ at: new Date(0).toISOString(), actor_platform: 'cli', actor_user: 'u', action: 'x', target: `${tag}-${round}-${i}`, outcome: 'ok', detail: 'y'.repeat(2_000) }).execute();
          }
        });
      }
    };
    const size = (path: string) => statSync(path).size;
    try {
      const a = await openStore(`sqlite://${paths[0]}`);
      const b = await openStore(`sqlite://${paths[1]}`);
      const [a0, b0] = [size(paths[0]!), size(paths[1]!)];
      await fill(a, 'a');
      await fill(b, 'b');
      assert.ok(await until(() => size(paths[0]!) > a0 + 2_500_000 && size(paths[1]!) > b0 + 2_500_000), 'both files received their logs');
      await a.close();
      const b1 = size(paths[1]!);
      await fill(b, 'b2');
      assert.ok(await until(() => size(paths[1]!) > b1 + 2_500_000), 'the store still open is checkpointed after the other closed');
      await b.close();
      const c = await openStore(`sqlite://${paths[2]}`);
      const c0 = size(paths[2]!);
      assert.equal(Number(c.db.sqlite!.pragma('wal_autocheckpoint', { simple: true })), 0, 'a store opened later is served too');
      await fill(c, 'c');
      assert.ok(await until(() => size(paths[2]!) > c0 + 2_500_000), 'and its log reaches its file');
      await c.close();
    } finally {
      cleanup();
    }
  });

  test('GIVEN a worker that cannot open the file THEN the connection checkpoints by itself again, with a warning', async () => {
    const { dir, cleanup } = tempDir();
    const handle = new BetterSqlite3(join(dir, 'real.sqlite'));
    handle.pragma('journal_mode = WAL');
    const logger = recordingLogger();
    try {
      const checkpointer = startCheckpointer(handle, join(dir, 'missing', 'nowhere.sqlite'), logger, { everyMs: 10 });
      assert.equal(Number(handle.pragma('wal_autocheckpoint', { simple: true })), 0);
      assert.ok(await until(() => Number(handle.pragma('wal_autocheckpoint', { simple: true })) > 0), 'back to checkpointing itself');
      assert.ok(logger.warnings.some((w) => /checkpoint/.test(w.message)));
      await checkpointer.stop();
    } finally {
      handle.close();
      cleanup();
    }
  });
});
