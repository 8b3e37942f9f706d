/**
 * Shared platform limits: reservations made at once by two instances (two stores on one
 * database) never get the same slot, so together they send no faster than the limit.
 */
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createRateBuckets, type RateLimit } from '../../src/store/rate-buckets.js';
import { describeStores, freshStoreUrl } from '../helpers/stores.js';

describeStores('store: shared rate limits', (kind) => {
  let a: Store;
  let b: Store;
  let cleanup: () => Promise<void>;
  const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
  const now = () => clock.now().getTime();

  beforeEach(async () => {
    const fresh = await freshStoreUrl(kind);
    cleanup = fresh.cleanup;
    a = await openStore(fresh.url);
    b = await openStore(fresh.url);
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await cleanup();
  });

  test('GIVEN 40 requests reserved at once by two instances under 10/s THEN each gets its own slot, 100 ms apart: 4 s for all, not 2', async () => {
    const limit: RateLimit[] = [{ key: 'discord:bot', capacity: 1, perSecond: 10 }];
    // On SQLite both share one connection: a second one in the same process would wait for the
    // first's write lock synchronously (better-sqlite3), blocking the thread that holds it.
    const paces = [createRateBuckets(a.db, { now }), createRateBuckets((kind === 'postgres' ? b : a).db, { now })];
    const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => paces[i % 2]!.reserve(limit)));
    assert.deepEqual(
      waits.sort((x, y) => x - y),
      Array.from({ length: 40 }, (_, i) => i * 100),
    );
  });

  test('GIVEN a burst of 5 THEN 5 go at once, the 6th waits a slot, and after an idle while the burst is back (never more)', async () => {
    const pace = createRateBuckets(a.db, { now });
    const limit: RateLimit[] = [{ key: 'slack:T1', capacity: 5, perSecond: 10 }];
    const first = [];
    for (let i = 0; i < 6; i++) first.push(await pace.reserve(limit));
    assert.deepEqual(first, [0, 0, 0, 0, 0, 100]);
    clock.advance(60_000);
    const again = [];
    for (let i = 0; i < 6; i++) again.push(await pace.reserve(limit));
    assert.deepEqual(again, [0, 0, 0, 0, 0, 100]);
  });

  test('GIVEN 150 requests at once in one instance under a burst of 5 THEN 5 go at once and the others one slot apart, each its own (as one at a time would)', async () => {
    const pace = createRateBuckets(a.db, { now });
    const limit: RateLimit[] = [{ key: 'discord:bot', capacity: 5, perSecond: 50 }];
    const waits = await Promise.all(Array.from({ length: 150 }, () => pace.reserve(limit)));
    assert.deepEqual(
      waits.sort((x, y) => x - y),
      Array.from({ length: 150 }, (_, i) => Math.max(0, (i - 4) * 20)),
    );
    // And the bucket is where 150 single reservations would have left it.
    assert.equal(await pace.reserve(limit), 146 * 20);
  });

  test('GIVEN a channel limit and a workspace limit together THEN a request waits for the later of the two, and uses both', async () => {
    const pace = createRateBuckets(a.db, { now });
    const of = (channel: string): RateLimit[] => [
      { key: `slack:T1/${channel}`, capacity: 1, perSecond: 1 },
      { key: 'slack:T1', capacity: 1, perSecond: 5 },
    ];
    assert.equal(await pace.reserve(of('C1')), 0);
    assert.equal(await pace.reserve(of('C2')), 200, 'the workspace allows one every 200 ms');
    assert.equal(await pace.reserve(of('C1')), 1000, 'C1 allows one a second');
    assert.equal(await pace.reserve(of('C3')), 1200, 'the workspace slot after C1\'s second');
  });

  test('GIVEN reservations within 1.5 s THEN a slot further away is not taken: it says when to come back, and the next request still gets that slot', async () => {
    const pace = createRateBuckets(a.db, { now });
    const limit: RateLimit[] = [{ key: 'slack:T1', capacity: 1, perSecond: 1 }];
    assert.deepEqual(await pace.reserveWithin!(limit, 1_500), { waitMs: 0 }, 'a new bucket');
    assert.deepEqual(await pace.reserveWithin!(limit, 1_500), { waitMs: 1_000 });
    assert.deepEqual(await pace.reserveWithin!(limit, 1_500), { laterMs: 2_000 - 750 }, 'the slot at 2 s is not taken');
    assert.equal(await pace.reserve(limit), 2_000, 'so it is still free');
    clock.advance(1_000);
    assert.deepEqual(await pace.reserveWithin!(limit, 1_500), { laterMs: 2_000 - 750 });
    clock.advance(600);
    assert.deepEqual(await pace.reserveWithin!(limit, 1_500), { waitMs: 1_400 }, 'near enough now');
    // With two limits, the channel's slot is taken even when the workspace's is too far (left unused).
    const chain = (channel: string): RateLimit[] => [{ key: `slack:T1/${channel}`, capacity: 1, perSecond: 1 }, ...limit];
    assert.ok('laterMs' in (await pace.reserveWithin!(chain('C1'), 1_500)));
    assert.equal(await pace.reserve([chain('C1')[0]!]), 1_000, "C1's slot now was taken");
  });

  test('GIVEN no clock given THEN the database clock paces: a second request at 1/min from another instance waits most of a minute', async () => {
    const limit: RateLimit[] = [{ key: 'slack:T1/C1', capacity: 1, perSecond: 1 / 60 }];
    assert.equal(await createRateBuckets(a.db).reserve(limit), 0);
    const wait = await createRateBuckets(b.db).reserve(limit);
    assert.ok(wait > 50_000 && wait <= 60_000, `waits ${wait} ms`);
  });
});
