/**
 * Leases held by processes of this host that are gone (a crash, a SIGKILL): a dispatcher
 * starting up gives them back at once, only those, pending or in flight; and the lookup reads
 * only the deliveries someone holds, never the pending ones (50,000 during a fan-out) nor the
 * history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { describeStores } from '../helpers/stores.js';
import { admin, publisherOf, subscribeChannels } from '../delivery/helpers.js';

describeStores('outbox: leases of gone processes', (kind) => {
  test('GIVEN deliveries held by a gone process (pending and in flight) and by a live one THEN only the gone one\'s are given back, at once', () =>
    withStoreBot(async (bot, clock, runtime) => {
      const outbox = runtime.store.outbox;
      await subscribeChannels(runtime.store, 30);
      const published = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis.' } }, admin, 'fr');
      assert.ok(published.ok);
      const request = { now: clock.now(), leaseMs: 60_000, platforms: ['slack'] };
      const gone = await outbox.claim({ ...request, owner: 'host:1:gone', limit: 10 });
      const alive = await outbox.claim({ ...request, owner: 'host:2:alive', limit: 10 });
      assert.equal(gone.length + alive.length, 20);
      // One of the gone process's deliveries was being sent when it died.
      await outbox.saveDelivery({ ...gone[0]!, state: 'in_flight', attempts: 1 });
      // Delivered ones are released as they are saved: never held.
      await outbox.saveDelivery({ ...alive[0]!, state: 'delivered', attempts: 1, deliveredAt: clock.now().toISOString() }, { release: true });

      const released = await outbox.releaseGone((owner) => owner === 'host:1:gone');
      assert.equal(released, 10);
      const rows = await runtime.store.db.kysely.selectFrom('deliveries').select(['id', 'lease_owner']).execute();
      const owner = new Map(rows.map((r) => [r.id, r.lease_owner]));
      for (const d of gone) assert.equal(owner.get(d.id), null, `${d.id} given back`);
      for (const d of alive.slice(1)) assert.equal(owner.get(d.id), 'host:2:alive', `${d.id} still held`);
      // Given back: the next claim takes them at once, before their lease would have ended.
      const again = await outbox.claim({ ...request, owner: 'host:3:new', limit: 30 });
      for (const d of gone) assert.ok(again.some((a) => a.id === d.id), `${d.id} claimed again`);
      assert.equal(await outbox.releaseGone(() => false), 0);
    }, TEST_NOW, kind));

  if (kind === 'sqlite') {
    test('GIVEN 30 pending deliveries, 10 held by a gone process THEN every statement of the give-back reads the index of held deliveries only', () =>
      withStoreBot(async (bot, clock, runtime) => {
        await subscribeChannels(runtime.store, 30);
        assert.ok((await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis.' } }, admin, 'fr')).ok);
        await runtime.store.outbox.claim({ owner: 'host:1:gone', now: clock.now(), leaseMs: 60_000, limit: 10, platforms: ['slack'] });
        // The statements the give-back prepares, as SQLite gets them.
        const handle = runtime.store.db.sqlite!;
        const prepared: string[] = [];
        const prepare = handle.prepare.bind(handle);
        handle.prepare = ((text: string) => (prepared.push(text), prepare(text))) as typeof handle.prepare;
        assert.equal(await runtime.store.outbox.releaseGone((owner) => owner === 'host:1:gone'), 10);
        handle.prepare = prepare;
        assert.ok(prepared.length >= 2, prepared.join('\n'));
        for (const text of prepared) {
          const params = Array.from({ length: (text.match(/\?/g) ?? []).length }, () => 'x');
          const plan = (handle.prepare(`explain query plan ${text}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ');
          assert.match(plan, /^SEARCH deliveries USING (COVERING )?INDEX deliveries_leased/, `${text}\n→ ${plan}`);
        }
      }, TEST_NOW, kind));
  }
});
