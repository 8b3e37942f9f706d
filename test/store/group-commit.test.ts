/**
 * Group commit (src/store/sql/group-commit.ts) and the outbox writes that use it: writes made
 * together are written together, each caller is answered only once its write is done, a failed
 * batch fails its callers, two writes to one row keep their order; and on both databases a
 * burst of delivery saves (the end of a hundred tries at once) lands row by row as saved,
 * leases released only where asked, channel-fault counts reset only where asked.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit, type GroupedWrite } from '../../src/store/sql/group-commit.js';
import { FixedClock } from '../../src/base/clock.js';
import { createRuntime } from '../../src/runtime.js';
import { TEST_NOW } from '../helpers/clock.js';
import { sharedReference } from '../helpers/bot.js';
import { describeStores, freshStoreUrl } from '../helpers/stores.js';
import { admin, publisherOf, subscribeChannels } from '../delivery/helpers.js';

type W = GroupedWrite & { value: number };

describe('store: group commit', () => {
  test('GIVEN writes made in the same turn THEN they go in one batch, and each caller hears back only after it', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const group = new GroupCommit<W>(async (batch) => {
      batches.push(batch.map((w) => w.value));
      await gate;
    });
    const answered: number[] = [];
    const writes = [1, 2, 3].map((value) => group.submit({ key: `k${value}`, value }).then(() => answered.push(value)));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(batches, [[1, 2, 3]]);
    assert.deepEqual(answered, [], 'nobody is answered before the batch is written');
    release();
    await Promise.all(writes);
    assert.deepEqual(answered, [1, 2, 3]);
  });

  test('GIVEN writes made while a batch is being written THEN they form the next batch, in order', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    let gate = new Promise<void>((resolve) => (release = resolve));
    const group = new GroupCommit<W>(async (batch) => {
      batches.push(batch.map((w) => w.value));
      await gate;
    });
    const first = group.submit({ key: 'a', value: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((value) => group.submit({ key: `k${value}`, value }));
    const unblock = release;
    gate = Promise.resolve();
    unblock();
    await Promise.all([first, ...later]);
    assert.deepEqual(batches, [[1], [2, 3, 4]]);
  });

  test('GIVEN two writes to the same row THEN they never share a batch, and the first is written first', async () => {
    const batches: string[][] = [];
    const group = new GroupCommit<W>(async (batch) => {
      batches.push(batch.map((w) => `${w.key}=${w.value}`));
    });
    await Promise.all([group.submit({ key: 'a', value: 1 }), group.submit({ key: 'b', value: 1 }), group.submit({ key: 'a', value: 2 }), group.submit({ key: 'c', value: 1 })]);
    assert.deepEqual(batches, [['a=1', 'b=1'], ['a=2', 'c=1']]);
  });

  test('GIVEN a batch that fails THEN its writes fail with the error, and the next batch is written', async () => {
    let calls = 0;
    const group = new GroupCommit<W>(async () => {
      calls++;
      if (calls === 1) throw new Error('disk full');
    });
    const failed = [group.submit({ key: 'a', value: 1 }), group.submit({ key: 'b', value: 1 })];
    for (const f of failed) await assert.rejects(f, /disk full/);
    await group.submit({ key: 'a', value: 2 });
    assert.equal(calls, 2);
  });

  test('GIVEN more writes than a batch holds THEN they are split, none lost', async () => {
    const sizes: number[] = [];
    const group = new GroupCommit<W>(async (batch) => {
      sizes.push(batch.length);
    }, 10);
    await Promise.all(Array.from({ length: 25 }, (_, i) => group.submit({ key: `k${i}`, value: i })));
    assert.deepEqual(sizes, [10, 10, 5]);
  });
});

describeStores('outbox: a burst of delivery saves', (kind) => {
  test('GIVEN 120 deliveries saved at once THEN each row is as saved; leases released only where asked; fault counts reset only where asked', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const clock = new FixedClock(new Date(TEST_NOW));
    const runtime = await createRuntime({ storeUrl: url, clock, reference: sharedReference() });
    try {
      const subs = await subscribeChannels(runtime.store, 120);
      // Channels 1-10 have had faults.
      for (const s of subs.slice(0, 10)) await runtime.store.subscriptions.update(s.id, { failures: 2 });
      const published = await publisherOf(runtime.bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis.' } }, admin, 'fr');
      assert.ok(published.ok);
      const claimed = await runtime.store.outbox.claim({ owner: 'me', now: clock.now(), leaseMs: 60_000, limit: 500, platforms: ['slack'] });
      assert.equal(claimed.length, 120);
      const at = new Date(clock.now().getTime() + 1_000).toISOString();
      // Even channels delivered (released, faults forgotten); odd ones marked in flight (lease kept).
      await Promise.all(
        claimed.map((d, i) =>
          i % 2 === 0
            ? runtime.store.outbox.saveDelivery({ ...d, state: 'delivered', attempts: 1, messageRef: `m-${d.channel}`, deliveredAt: at, updatedAt: at }, { release: true, resetFailures: d.subscriptionIds })
            : runtime.store.outbox.saveDelivery({ ...d, state: 'in_flight', attempts: 1, lastError: 'timeout', updatedAt: at }),
        ),
      );
      const rows = await runtime.store.db.kysely.selectFrom('deliveries').select(['id', 'channel', 'state', 'attempts', 'message_ref', 'last_error', 'lease_owner', 'delivered_at']).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      claimed.forEach((d, i) => {
        const row = byId.get(d.id)!;
        if (i % 2 === 0) {
          assert.deepEqual([row.state, Number(row.attempts), row.message_ref, row.lease_owner, row.delivered_at], ['delivered', 1, `m-${d.channel}`, null, at], d.id);
        } else {
          assert.deepEqual([row.state, Number(row.attempts), row.last_error, row.lease_owner], ['in_flight', 1, 'timeout', 'me'], d.id);
        }
      });
      const bySub = new Map(claimed.map((d, i) => [d.subscriptionIds[0]!, i]));
      for (const s of subs) {
        const now = (await runtime.store.subscriptions.get(s.id))!;
        const i = bySub.get(s.id)!;
        const expected = subs.indexOf(s) < 10 && i % 2 !== 0 ? 2 : 0;
        assert.equal(now.failures, expected, `${s.channel}: delivered resets, in flight keeps`);
      }
    } finally {
      await runtime.close();
      await cleanup();
    }
  });
});

describeStores('outbox: a fan-out\'s saves on SQLite', (kind) => {
  if (kind !== 'sqlite') return;
  test('GIVEN 200 delivery saves at once THEN they are committed in transactions of at most 64 (each commit is one synchronous call), every row as saved', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const clock = new FixedClock(new Date(TEST_NOW));
    const runtime = await createRuntime({ storeUrl: url, clock, reference: sharedReference() });
    try {
      await subscribeChannels(runtime.store, 200);
      const published = await publisherOf(runtime.bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis.' } }, admin, 'fr');
      assert.ok(published.ok);
      const claimed = await runtime.store.outbox.claim({ owner: 'me', now: clock.now(), leaseMs: 60_000, limit: 500, platforms: ['slack'] });
      assert.equal(claimed.length, 200);
      // Delivery rows written per transaction, counted at the connection.
      const db = runtime.store.db as { write: typeof runtime.store.db.write };
      const write = db.write.bind(db);
      const perTransaction: number[] = [];
      db.write = (fn, options) =>
        write(async (tx) => {
          perTransaction.push(0);
          const executeQuery = tx.executeQuery.bind(tx);
          tx.executeQuery = ((query: { sql: string }) => {
            if (/^update deliveries/i.test(query.sql)) perTransaction[perTransaction.length - 1]!++;
            return executeQuery(query as never);
          }) as typeof tx.executeQuery;
          return fn(tx);
        }, options);
      const at = new Date(clock.now().getTime() + 1_000).toISOString();
      await Promise.all(claimed.map((d) => runtime.store.outbox.saveDelivery({ ...d, state: 'delivered', attempts: 1, messageRef: `m-${d.channel}`, deliveredAt: at, updatedAt: at }, { release: true })));
      db.write = write;
      assert.equal(perTransaction.reduce((a, b) => a + b, 0), 200);
      assert.ok(Math.max(...perTransaction) <= 64, `rows per transaction: ${perTransaction.join(', ')}`);
      const rows = await runtime.store.db.kysely.selectFrom('deliveries').select(['channel', 'state', 'message_ref', 'lease_owner']).execute();
      for (const r of rows) assert.deepEqual([r.state, r.message_ref, r.lease_owner], ['delivered', `m-${r.channel}`, null]);
    } finally {
      await runtime.close();
      await cleanup();
    }
  });
});
