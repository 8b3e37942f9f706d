import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { describeWithStores } from '../helpers/stores.js';
import { admin, dispatcherOf, publisherOf, startFake, subscribeChannels } from './helpers.js';
import type { DeliveryTransport } from '../../src/delivery/index.js';
import { settledTimer } from '../helpers/virtual-time.js';

const open = { services: ['ent'], places: 'Haute-Garonne', status: 'major_outage', text: { fr: "L'ENT est inaccessible.", en: 'The ENT is down.' }, incident: { action: 'open' } };

describeWithStores('dispatcher', (kind) => {
  test('GIVEN 200 channels and a platform failing 30% of requests (429, 500, timeouts that sometimes store) THEN every channel gets exactly one message', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 100, { workspace: 'T1' });
      await subscribeChannels(runtime.store, 100, { workspace: 'T2' });
      // The requests' timeouts run in the dispatcher's virtual time: a request the fake holds costs no real seconds.
      const timer = settledTimer(clock);
      const { fake, transport } = await startFake({ faults: { rate: 0.3, seed: 11 } }, 'slack', timer);
      try {
        const published = await publisherOf(bot).publish(open, admin, 'fr');
        assert.ok(published.ok);
        const summary = await dispatcherOf(bot, transport, {}, timer).drain();
        assert.deepEqual(summary, { delivered: 200, failed: 0 });
        const deliveries = await runtime.store.outbox.listDeliveries(published.notice.id);
        const byKey = fake.byKey();
        for (const d of deliveries) assert.equal(byKey.get(d.id)?.length, 1, `${d.channel} got ${byKey.get(d.id)?.length ?? 0} messages`);
        assert.equal(fake.messages.size, 200);
        for (const ws of ['T1', 'T2']) for (let i = 1; i <= 100; i++) assert.equal(fake.channel(ws, `C${i}`).length, 1);
        assert.ok(fake.stats.storedThenHung > 0, 'the nasty case (stored, then no answer) happened');
        const progress = await runtime.store.outbox.progress(published.notice.id);
        assert.equal(progress?.delivered, 200);
        assert.equal(progress?.pending, 0);
      } finally {
        await fake.stop();
      }
    }, TEST_NOW, kind));

  test('GIVEN an incident opened, updated then resolved THEN each channel has one message edited to resolved, with the updates as thread replies under it', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 30);
      const timer = settledTimer(clock);
      const { fake, transport } = await startFake({ faults: { rate: 0.3, seed: 5 } }, 'slack', timer);
      const dispatcher = dispatcherOf(bot, transport, {}, timer);
      const publisher = publisherOf(bot);
      try {
        const opened = await publisher.publish(open, admin, 'fr');
        assert.ok(opened.ok);
        await dispatcher.drain();
        // A channel that subscribes later gets the current state as a new message, then replies.
        await subscribeChannels(runtime.store, 1, { prefix: 'LATE' });
        const id = opened.notice.incident!.id;
        clock.advance(3600_000);
        const updated = await publisher.publish({ status: 'partial_outage', phase: 'monitoring', text: { fr: 'Retour progressif.' }, incident: { action: 'update', id } }, admin, 'fr');
        assert.ok(updated.ok);
        assert.equal(updated.targets.updates, 30, 'the 30 first channels get an edit and a reply');
        await dispatcher.drain();
        clock.advance(3600_000);
        const resolved = await publisher.publish({ text: { fr: 'Service rétabli.', en: 'Service restored.' }, incident: { action: 'resolve', id } }, admin, 'fr');
        assert.ok(resolved.ok);
        await dispatcher.drain();

        for (let i = 1; i <= 30; i++) {
          const messages = fake.channel('T1', `C${i}`);
          const roots = messages.filter((m) => m.parent === null);
          assert.equal(roots.length, 1, `C${i} has one root message`);
          const root = roots[0]!;
          assert.ok(root.key.startsWith(`${opened.notice.id}.`), 'the root is the opening notice');
          assert.match(root.text, /— rétabli à \d{1,2} h/, 'the root reads as resolved');
          assert.doesNotMatch(root.text, /fonctionne normalement|Retour prévu|En attendant/);
          assert.match(root.text, /Service rétabli/);
          const replies = messages.filter((m) => m.parent !== null);
          assert.deepEqual(replies.map((r) => r.parent), [root.ref, root.ref]);
          assert.match(replies[0]!.text, /Retour progressif/);
          assert.match(replies[1]!.text, /— rétabli à \d{1,2} h/);
        }
        const late = fake.channel('T1', 'LATE1');
        assert.equal(late.filter((m) => m.parent === null).length, 1);
        assert.equal(late.filter((m) => m.parent !== null).length, 1);
        assert.equal(fake.messages.size, 30 * 3 + 2);
      } finally {
        await fake.stop();
      }
    }, TEST_NOW, kind));

  test('GIVEN a deleted channel and one the bot was removed from THEN they fail with the reason, and after 3 notices their subscriptions are inactive', () =>
    withStoreBot(async (bot, clock, runtime) => {
      const subs = await subscribeChannels(runtime.store, 5);
      const c2id = subs.find((s) => s.channel === 'C2')!.id;
      const c1id = subs.find((s) => s.channel === 'C1')!.id;
      const { fake, transport } = await startFake({ deletedChannels: ['T1/C2'], forbiddenChannels: ['T1/C3'] });
      const publisher = publisherOf(bot);
      const dispatcher = dispatcherOf(bot, transport);
      const notice = { services: ['ent'], places: 'Occitanie', text: { fr: 'Travaillez hors ligne aujourd’hui.' } };
      try {
        for (let round = 1; round <= 3; round++) {
          const published = await publisher.publish(notice, admin, 'fr');
          assert.ok(published.ok);
          assert.equal(published.targets.total, 5);
          assert.deepEqual(await dispatcher.drain(), { delivered: 3, failed: 2 });
          const progress = await runtime.store.outbox.progress(published.notice.id);
          assert.deepEqual(
            progress?.failures.map((f) => [f.channel, f.reason]).sort(),
            [['C2', 'channel_not_found'], ['C3', 'not_in_channel']],
          );
          const c2 = await runtime.store.subscriptions.get(c2id);
          assert.equal(c2?.failures, round);
          assert.equal(c2?.active, round < 3);
          clock.advance(60_000);
        }
        assert.equal((await runtime.store.subscriptions.get(c1id))?.failures, 0);
        const fourth = await publisher.publish(notice, admin, 'fr');
        assert.ok(fourth.ok);
        assert.equal(fourth.targets.total, 3, 'inactive subscriptions are no longer targeted');
        assert.equal(fake.channel('T1', 'C1').length, 3);
      } finally {
        await fake.stop();
      }
    }, TEST_NOW, kind));

  test('GIVEN a delivery left in flight whose message did reach the platform THEN restarting reconciles and sends nothing twice', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      await subscribeChannels(runtime.store, 3);
      const { fake, transport } = await startFake();
      try {
        const published = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis.' } }, admin, 'fr');
        assert.ok(published.ok);
        const outbox = runtime.store.outbox;
        const [first] = await outbox.listDeliveries(published.notice.id);
        // The previous process sent it and died before recording the outcome.
        const sent = await transport.post(first!, published.messages.root);
        assert.ok(sent.ok);
        await outbox.saveDelivery({ ...first!, state: 'in_flight', attempts: 1 });
        assert.deepEqual(await dispatcherOf(bot, transport).drain(), { delivered: 3, failed: 0 });
        assert.equal(fake.byKey().get(first!.id)?.length, 1);
        assert.equal((await outbox.getDelivery(first!.id))?.messageRef, sent.ref);
        assert.equal(fake.messages.size, 3);
      } finally {
        await fake.stop();
      }
    }, TEST_NOW, kind));

  test('GIVEN deliveries that expired while their outcome was unknown (the message had in fact landed) WHEN an admin retries THEN each channel still has exactly one message', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      await subscribeChannels(runtime.store, 3);
      // A platform that stores every message but never answers, and whose lookups fail too,
      // until it recovers: the worst case for a retry.
      const stored = new Map<string, number>();
      let broken = true;
      const transport: DeliveryTransport = {
        platform: 'slack',
        post: async (d) => {
          stored.set(d.id, (stored.get(d.id) ?? 0) + 1);
          return broken ? { ok: false, retry: true, reason: 'timeout' } : { ok: true, ref: d.id };
        },
        edit: async () => ({ ok: false, retry: true, reason: 'timeout' }),
        reply: async () => ({ ok: false, retry: true, reason: 'timeout' }),
        reconcile: async (d) => (broken ? { ok: false, retry: true, reason: 'timeout' } : stored.has(d.id) ? { found: true, ref: d.id } : { found: false }),
      };
      const published = await publisherOf(bot).publish(open, admin, 'fr');
      assert.ok(published.ok);
      // Backoff without a cap and hourly polls: a day of failures is a handful of steps, not thousands.
      const dispatcher = dispatcherOf(bot, transport, { backoff: { baseMs: 1_000, maxMs: 24 * 3600_000 }, pollMs: 3600_000 });
      assert.deepEqual(await dispatcher.drain(), { delivered: 0, failed: 3 }, 'they expire at the deadline');
      assert.deepEqual([...stored.values()], [1, 1, 1], 'each message had landed once');

      broken = false;
      assert.equal(await bot.retryFailedDeliveries(published.notice.id, admin), 3);
      assert.deepEqual(await dispatcher.drain(), { delivered: 3, failed: 0 });
      assert.deepEqual([...stored.values()], [1, 1, 1], 'found, not sent again');
      assert.equal(await bot.retryFailedDeliveries(published.notice.id, admin), 0, 'nothing left to retry');
      assert.equal(await bot.retryFailedDeliveries('n9999-none', admin), null);
    }, TEST_NOW, kind));

  test('GIVEN a platform down for 10 minutes, its deliveries in minutes-long backoff WHEN it answers again (one request in 4 still failing) THEN they all go out within a minute of the first success, not at the end of their backoff', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 20);
      const start = clock.now().getTime();
      const back = start + 10 * 60_000;
      const sentAt: number[] = [];
      let requests = 0;
      const transport: DeliveryTransport = {
        platform: 'slack',
        post: async (d) => {
          if (clock.now().getTime() < back || ++requests % 4 === 0) return { ok: false, retry: true, uncertain: false, reason: 'http_500' };
          sentAt.push(clock.now().getTime());
          return { ok: true, ref: d.id };
        },
        edit: async () => ({ ok: false, retry: true, reason: 'http_500' }),
        reply: async () => ({ ok: false, retry: true, reason: 'http_500' }),
        reconcile: async () => ({ found: false }),
      };
      const published = await publisherOf(bot).publish(open, admin, 'fr');
      assert.ok(published.ok);
      // Polls every 15 s: virtual time may jump a poll ahead while a slow store write runs.
      assert.deepEqual(await dispatcherOf(bot, transport, { pollMs: 15_000 }).drain(), { delivered: 20, failed: 0 });
      assert.equal(sentAt.length, 20);
      const first = Math.min(...sentAt);
      const last = Math.max(...sentAt);
      assert.ok(first >= back);
      assert.ok(last - first <= 60_000, `the last went out ${Math.round((last - first) / 1000)} s after the first success`);
    }, TEST_NOW, kind));
});
