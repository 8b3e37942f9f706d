/**
 * SQLite work is time-sliced (src/store/sql/time-slice.ts): a long run of back-to-back queries
 * lets the event loop turn every slice, so timers and questions are not held up. The slice's
 * clock is injected here, so the test decides how long each query "takes".
 */
import { test, describe } from 'node:test';
import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { SLICE_MS, TimeSlice } from '../../src/store/sql/time-slice.js';
import { openStore } from '../../src/store/index.js';
import { freshStoreUrl } from '../helpers/stores.js';

describe('store: SQLite work in time slices', () => {
  test('GIVEN queries back to back THEN the event loop gets a turn once a slice of work is used up, and not before', async () => {
    let now = 0;
    const slice = new TimeSlice(() => now);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      const yieldedAt: number[] = [];
      for (let query = 0; query < 40; query++) {
        const before = turns;
        await slice.enter();
        // Each query takes 1 ms of the (injected) clock, with no pause in between.
        now += 1;
        if (turns > before) yieldedAt.push(query);
      }
      assert.ok(yieldedAt.length >= 40 / (SLICE_MS + 1) - 1, `the loop turned during the run (at queries ${yieldedAt.join(', ')})`);
      assert.ok(yieldedAt[0]! >= SLICE_MS, 'not before a slice is used up');
    } finally {
      clearInterval(ticker);
    }
  });

  test('GIVEN JavaScript between the queries of one chain THEN it counts towards the slice: the loop still gets its turn', async () => {
    let now = 0;
    const slice = new TimeSlice(() => now);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      const yieldedAt: number[] = [];
      for (let query = 0; query < 20; query++) {
        const before = turns;
        // 4 ms of other work in the same chain (no turn of the loop), then a 1 ms query.
        now += 4;
        await slice.enter();
        now += 1;
        if (turns > before) yieldedAt.push(query);
      }
      assert.ok(yieldedAt.length >= 20 / 3 - 1, `the loop turned during the chain (at queries ${yieldedAt.join(', ')})`);
    } finally {
      clearInterval(ticker);
    }
  });

  test('GIVEN the event loop turned between queries THEN a new slice starts: a query after idle time never waits', async () => {
    let now = 0;
    const slice = new TimeSlice(() => now);
    for (let query = 0; query < 20; query++) {
      now += 5; // 4 ms idle (the loop turns), then a 1 ms query
      await new Promise((resolve) => setImmediate(resolve));
      let entered = false;
      const entering = slice.enter().then(() => (entered = true));
      await Promise.resolve();
      assert.equal(entered, true, `query ${query} ran at once`);
      await entering;
      now += 1;
    }
  });

  test('GIVEN a durable write on a SQLite file THEN it commits synced, and the next writes are back to the fast mode', async () => {
    const { url, cleanup } = await freshStoreUrl('sqlite');
    const store = await openStore(url);
    try {
      const mode = () => Number(store.db.sqlite!.pragma('synchronous', { simple: true }));
      assert.equal(mode(), 1, 'NORMAL by default');
      await store.write(async (tx) => {
        assert.equal(Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(tx)).rows[0]?.synchronous), 2, 'FULL inside');
        await store.audit.append({ actor: { platform: 'cli', user: 'u' }, action: 'x', outcome: 'ok' }, tx);
      }, { durable: true });
      assert.equal(mode(), 1);
      assert.equal((await store.audit.list()).length, 1);
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
