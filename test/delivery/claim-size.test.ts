/**
 * A claim reads a bounded number of rows, however many deliveries are due and however many
 * slots are free: on SQLite the claim's read runs on the event loop in one synchronous call,
 * so its size is what a question or a heartbeat may wait for during a fan-out. Every channel
 * still gets its one message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { describeStores } from '../helpers/stores.js';
import { admin, dispatcherOf, publisherOf, subscribeChannels } from './helpers.js';
import type { ClaimRequest } from '../../src/store/outbox.js';
import type { DeliveryTransport } from '../../src/delivery/index.js';

function countingTransport(platform: 'slack' | 'discord'): DeliveryTransport & { sent: Map<string, number> } {
  const sent = new Map<string, number>();
  const ok = async (d: { id: string }) => {
    await new Promise((resolve) => setImmediate(resolve));
    sent.set(d.id, (sent.get(d.id) ?? 0) + 1);
    return { ok: true as const, ref: `m-${d.id}` };
  };
  return { platform, sent, post: ok, edit: ok, reply: ok, reconcile: async () => ({ found: false as const }) };
}

describeStores('claim size', (kind) => {
  test('GIVEN 300 deliveries due on two platforms and 128 free slots THEN no claim asks for more than 64 rows, and each channel gets one message', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      for (let w = 1; w <= 10; w++) {
        await subscribeChannels(runtime.store, 15, { workspace: `T${w}`, prefix: `T${w}C` });
        await subscribeChannels(runtime.store, 15, { platform: 'discord', workspace: `G${w}`, prefix: `G${w}C` });
      }
      const published = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis.' } }, admin, 'fr');
      assert.ok(published.ok);
      assert.equal(published.targets.total, 300);
      const claims: number[] = [];
      const outbox = runtime.store.outbox;
      const claim = outbox.claim.bind(outbox);
      outbox.claim = (request: ClaimRequest) => {
        claims.push(request.limit);
        return claim(request);
      };
      const slack = countingTransport('slack');
      const discord = countingTransport('discord');
      const summary = await dispatcherOf(bot, [slack, discord]).drain();
      assert.deepEqual(summary, { delivered: 300, failed: 0 });
      assert.equal(slack.sent.size + discord.sent.size, 300);
      for (const n of [...slack.sent.values(), ...discord.sent.values()]) assert.equal(n, 1);
      assert.ok(claims.length > 0 && Math.max(...claims) <= 64, `claim limits: ${claims.join(', ')}`);
    }, TEST_NOW, kind));
});
