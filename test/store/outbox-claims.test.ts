/**
 * Claims on PostgreSQL with several instances (each its own store and connection pool, as
 * separate processes would have): FOR UPDATE SKIP LOCKED and a lease mean no delivery is
 * ever claimed twice at once, a channel is never worked on by two claimers at once (its
 * notices go out in order), and what a dead instance held goes to the others when its
 * lease ends, not before.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { Delivery } from '../../src/delivery/index.js';
import { channelKey } from '../../src/store/delivery.js';
import { TEST_NOW } from '../helpers/clock.js';
import { sharedReference } from '../helpers/bot.js';
import { freshPgUrl, pgSkipReason } from '../helpers/stores.js';
import { admin, publisherOf, subscribeChannels } from '../delivery/helpers.js';

const CHANNELS = 150;
const LEASE_MS = 30_000;

/** A store with `CHANNELS` channels and two notices each (300 deliveries), and `n` more stores on it. */
async function setUp(n: number): Promise<{ runtime: Runtime; claimers: Store[]; clock: FixedClock; close: () => Promise<void> }> {
  const { url, cleanup } = await freshPgUrl();
  const clock = new FixedClock(new Date(TEST_NOW));
  const runtime = await createRuntime({ storeUrl: url, clock, reference: sharedReference() });
  await subscribeChannels(runtime.store, CHANNELS);
  for (const text of ['Premier avis.', 'Second avis.']) {
    const out = await publisherOf(runtime.bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: text } }, admin, 'fr');
    assert.ok(out.ok);
  }
  const claimers = await Promise.all(Array.from({ length: n }, () => openStore(url, { clock })));
  return {
    runtime,
    claimers,
    clock,
    async close() {
      for (const s of claimers) await s.close();
      await runtime.close();
      await cleanup();
    },
  };
}

/** What the claimers did, checked as it happens. */
class Referee {
  readonly claims = new Map<string, string[]>();
  readonly violations: string[] = [];
  private readonly held = new Map<string, string>();
  private readonly delivered = new Map<string, number>();

  claimed(owner: string, list: Delivery[]): void {
    for (const d of list) {
      this.claims.set(d.id, [...(this.claims.get(d.id) ?? []), owner]);
      const key = channelKey(d);
      const holder = this.held.get(key);
      if (holder) this.violations.push(`${owner} claimed ${d.id} while ${holder} held ${key}`);
      this.held.set(key, `${owner}:${d.id}`);
      const before = this.delivered.get(key) ?? 0;
      if (d.noticeSeq !== before + 1) this.violations.push(`${d.id} (notice ${d.noticeSeq}) claimed after ${before} of its channel's notices`);
    }
  }

  /** A claim given up without an outcome (its lease ended). */
  released(d: Delivery): void {
    this.held.delete(channelKey(d));
  }

  /** Called before the outcome is written, so a channel is free in the referee no later than in the store. */
  done(d: Delivery): void {
    this.held.delete(channelKey(d));
    this.delivered.set(channelKey(d), d.noticeSeq);
  }
}

/** Claims and delivers until a claim comes back empty `idleRounds` times in a row. */
async function work(store: Store, owner: string, clock: FixedClock, referee: Referee, idleRounds = 3): Promise<number> {
  let idle = 0;
  let count = 0;
  while (idle < idleRounds) {
    const got = await store.outbox.claim({ owner, now: clock.now(), leaseMs: LEASE_MS, limit: 25, platforms: ['slack'] });
    referee.claimed(owner, got);
    if (got.length === 0) {
      idle++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    idle = 0;
    for (const d of got) {
      referee.done(d);
      await store.outbox.saveDelivery({ ...d, state: 'delivered', deliveredAt: clock.now().toISOString(), updatedAt: clock.now().toISOString() }, { release: true });
      count++;
    }
  }
  return count;
}

describe('outbox claims shared by several instances (PostgreSQL)', { skip: pgSkipReason() ?? false }, () => {
  test('GIVEN 6 instances claiming 300 deliveries (2 notices × 150 channels) at once THEN each is claimed once, never two of a channel at a time, in notice order', { timeout: 120_000 }, async () => {
    const { runtime, claimers, clock, close } = await setUp(6);
    try {
      const referee = new Referee();
      const counts = await Promise.all(claimers.map((s, i) => work(s, `host:${i}:x`, clock, referee)));
      assert.deepEqual(referee.violations, []);
      assert.equal(referee.claims.size, 2 * CHANNELS);
      assert.deepEqual([...referee.claims].filter(([, owners]) => owners.length > 1), [], 'no delivery claimed twice');
      assert.equal(counts.reduce((a, b) => a + b, 0), 2 * CHANNELS);
      assert.ok(counts.filter((c) => c > 0).length >= 2, `the work was shared (${counts.join(', ')})`);
      const left = (await runtime.store.outbox.listDeliveries()).filter((d) => d.state !== 'delivered');
      assert.deepEqual(left, []);
    } finally {
      await close();
    }
  });

  test('GIVEN an instance that dies holding 40 claims THEN the others leave them (and their channels\' next notices) until the lease ends, then deliver them once', { timeout: 120_000 }, async () => {
    const { runtime, claimers, clock, close } = await setUp(4);
    try {
      const [dead, ...alive] = claimers;
      const referee = new Referee();
      const held = await dead!.outbox.claim({ owner: 'host:999999:dead', now: clock.now(), leaseMs: LEASE_MS, limit: 40, platforms: ['slack'] });
      assert.equal(held.length, 40);
      referee.claimed('dead', held);
      // The dead instance never writes again. Just before its lease ends, the others finish all they may.
      clock.advance(LEASE_MS - 1);
      await Promise.all(alive.map((s, i) => work(s, `host:${i}:x`, clock, referee)));
      const waiting = (await runtime.store.outbox.listDeliveries()).filter((d) => d.state !== 'delivered');
      assert.equal(waiting.length, 80, 'the 40 held deliveries and their channels\' second notices wait');
      assert.deepEqual(new Set(waiting.filter((d) => d.noticeSeq === 1).map((d) => d.id)), new Set(held.map((d) => d.id)));
      // The lease ends: the held deliveries go to the others, each once.
      for (const d of held) referee.released(d);
      clock.advance(1);
      await Promise.all(alive.map((s, i) => work(s, `host:${i}:x`, clock, referee)));
      assert.deepEqual(referee.violations, []);
      assert.deepEqual(
        held.map((d) => referee.claims.get(d.id)!.length),
        held.map(() => 2),
        'claimed by the dead instance, then once by another',
      );
      assert.deepEqual((await runtime.store.outbox.listDeliveries()).filter((d) => d.state !== 'delivered'), []);
    } finally {
      await close();
    }
  });
});
