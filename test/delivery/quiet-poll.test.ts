/**
 * An idle dispatcher whose store tells it of every change made elsewhere (PostgreSQL's
 * LISTEN, up) does not read the store at each poll while nothing is due: one poll in ten
 * looks. What is published and heard is delivered at once; what is published without being
 * heard (a notification lost) still goes, at the next look; a delivery waiting for a later
 * retry is tried when it comes due, without a poll missing it. Without that connection every
 * poll reads, as before: one statement, the pauses themselves read only when a check is due.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { VirtualTimer } from '../helpers/virtual-time.js';
import { admin, publisherOf, subscribeChannels } from './helpers.js';
import { Dispatcher, QUIET_LOOK_EVERY, type DeliveryTransport } from '../../src/delivery/index.js';
import type { FixedClock } from '../../src/base/clock.js';
import type { Bot } from '../../src/index.js';

function countingTransport(): DeliveryTransport & { sent: string[] } {
  const sent: string[] = [];
  const ok = async (d: { id: string }) => {
    sent.push(d.id);
    return { ok: true as const, ref: `m-${d.id}` };
  };
  return { platform: 'slack', sent, post: ok, edit: ok, reply: ok, reconcile: async () => ({ found: false as const }) };
}

/** A dispatcher polling every second of virtual time, and how often it read the store. */
function watched(bot: Bot, heard: () => boolean) {
  const store = bot.store;
  const reads = { due: 0, pauses: 0 };
  const nextDueAt = store.outbox.nextDueAt.bind(store.outbox);
  store.outbox.nextDueAt = (platforms) => (reads.due++, nextDueAt(platforms));
  const nextLook = store.outbox.nextLook.bind(store.outbox);
  store.outbox.nextLook = (platforms) => (reads.due++, nextLook(platforms));
  const list = store.pauses.list.bind(store.pauses);
  store.pauses.list = () => (reads.pauses++, list());
  const transport = countingTransport();
  const timer = new VirtualTimer(bot.clock as FixedClock);
  const dispatcher = new Dispatcher({ store, clock: bot.clock, timer, templates: bot.templates, transports: [transport], options: { pollMs: 1_000 }, changesHeard: heard });
  return { reads, transport, timer, dispatcher };
}

/** Waits for `check` (a guard against a hang: up to a minute of real time, never an assertion on time). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 12_000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check(), what);
}

test('GIVEN changes heard at once and nothing due THEN 40 idle polls read the store 4 times; a publication heard is delivered at once; one not heard, at the next look', () =>
  withStoreBot(async (bot, clock) => {
    await subscribeChannels(bot.store, 2);
    const { reads, transport, timer, dispatcher } = watched(bot, () => true);
    dispatcher.start();
    try {
      await until(() => timer.elapsedMs >= 5_000, 'started');
      const before = { ...reads };
      const from = timer.elapsedMs;
      await until(() => timer.elapsedMs - from >= 40_000, '40 polls');
      const polls = Math.round((timer.elapsedMs - from) / 1_000);
      const dueReads = reads.due - before.due;
      const pauseReads = reads.pauses - before.pauses;
      assert.ok(dueReads >= polls / QUIET_LOOK_EVERY - 1 && dueReads <= polls / QUIET_LOOK_EVERY + 1, `${dueReads} reads of the due index in ${polls} polls`);
      assert.ok(pauseReads <= polls / QUIET_LOOK_EVERY + 1, `${pauseReads} reads of the pauses in ${polls} polls`);

      // Heard: published, then the dispatcher is woken (as the NOTIFY does): delivered with the
      // clock stopped, so by the wake and not by a poll (however slow the machine).
      timer.hold();
      const heard = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis entendu.' } }, admin, 'fr');
      assert.ok(heard.ok);
      // With the clock held no poll can come: delivered means woken by the kick (`until` fails otherwise).
      dispatcher.kick();
      await until(() => transport.sent.length === 2, 'delivered once woken, no time passing');
      timer.release();

      // Not heard (a notification lost): delivered at the next look, within ten polls.
      const missed = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis manqué.' } }, admin, 'fr');
      assert.ok(missed.ok);
      const since = timer.elapsedMs;
      await until(() => transport.sent.length === 4, 'delivered without a wake');
      assert.ok(timer.elapsedMs - since <= QUIET_LOOK_EVERY * 1_000 + 1_000, `after ${timer.elapsedMs - since} ms`);
      assert.equal(new Set(transport.sent).size, 4, 'each once');
    } finally {
      await dispatcher.stop();
    }
    void clock;
  }));

test('GIVEN changes heard and a delivery waiting for a retry in 5 s THEN it is tried when due, not at the next look', () =>
  withStoreBot(async (bot, clock) => {
    await subscribeChannels(bot.store, 1);
    const published = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis.' } }, admin, 'fr');
    assert.ok(published.ok);
    const [d] = await bot.store.outbox.listDeliveries(published.notice.id);
    const retryAt = new Date(clock.now().getTime() + 5_000);
    await bot.store.outbox.saveDelivery({ ...d!, nextAttemptAt: retryAt.toISOString(), lastError: 'rate_limited', failingSince: clock.now().toISOString() });
    const { transport, dispatcher } = watched(bot, () => true);
    dispatcher.start();
    try {
      await until(() => transport.sent.length === 1, 'tried');
      const late = clock.now().getTime() - retryAt.getTime();
      assert.ok(late >= 0 && late < 1_100, `tried ${late} ms after it was due`);
    } finally {
      await dispatcher.stop();
    }
  }));

test('GIVEN changes not heard (no LISTEN connection, SQLite) THEN every idle poll reads the store', () =>
  withStoreBot(async (bot) => {
    const { reads, timer, dispatcher } = watched(bot, () => false);
    dispatcher.start();
    try {
      await until(() => timer.elapsedMs >= 2_000, 'started');
      const before = reads.due;
      const from = timer.elapsedMs;
      await until(() => timer.elapsedMs - from >= 20_000, '20 polls');
      const polls = Math.round((timer.elapsedMs - from) / 1_000);
      assert.ok(reads.due - before >= polls - 1, `${reads.due - before} reads in ${polls} polls`);
    } finally {
      await dispatcher.stop();
    }
  }));

test('GIVEN a paused workspace whose token is checked again in 10 s and changes not heard THEN the idle polls read the pauses only at start and when the check is due, and the pause is lifted then', () =>
  withStoreBot(async (bot, clock) => {
    await bot.store.pauses.set({ platform: 'slack', workspace: 'T1', reason: 'token revoked', since: clock.now().toISOString(), nextCheckAt: new Date(clock.now().getTime() + 10_000).toISOString() });
    // Another platform's pause, which this dispatcher does not deliver to, is not its to check.
    await bot.store.pauses.set({ platform: 'discord', workspace: 'G1', reason: 'token revoked', since: clock.now().toISOString(), nextCheckAt: clock.now().toISOString() });
    const { reads, timer, dispatcher } = watched(bot, () => false);
    const checkAt = clock.now().getTime() + 10_000;
    dispatcher.start();
    try {
      await until(() => timer.elapsedMs >= 20_000, '20 polls');
      const polls = Math.round(timer.elapsedMs / 1_000);
      assert.ok(reads.due >= polls - 1, `${reads.due} reads of the due index in ${polls} polls`);
      assert.ok(reads.pauses <= 3, `${reads.pauses} reads of the pauses in ${polls} polls`);
      const left = await bot.store.pauses.list();
      assert.deepEqual(left.map((p) => p.platform), ['discord'], 'the Slack pause lifted, the Discord one left alone');
      assert.ok(clock.now().getTime() >= checkAt);
    } finally {
      await dispatcher.stop();
    }
  }));
