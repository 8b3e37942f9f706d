import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeliveryTransport, SendResult } from '../../src/delivery/index.js';
import { withStoreBot } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { describeStores, type StoreKind } from '../helpers/stores.js';
import { admin, dispatcherOf, publisherOf, subscribeChannels } from './helpers.js';
import { failureOf } from '../../adapters/slack/delivery-errors.js';

/** A transport whose every post is refused with the given failure. */
function refusing(failure: SendResult): DeliveryTransport {
  return {
    platform: 'slack',
    post: async () => failure,
    edit: async () => failure,
    reply: async () => failure,
    reconcile: async () => ({ found: false }),
  };
}

async function publishThrice(failure: SendResult, kind: StoreKind) {
  return withStoreBot(async (bot) => {
    const [sub] = await subscribeChannels(bot.store, 1);
    const dispatcher = dispatcherOf(bot, refusing(failure));
    for (let i = 0; i < 3; i++) {
      const out = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: `Avis ${i}` } }, admin, 'fr');
      assert.ok(out.ok);
      await dispatcher.drain();
    }
    return bot.store.subscriptions.get(sub!.id);
  }, TEST_NOW, kind);
}

describeStores('permanent failures and whose fault they are', (kind) => {
  test('GIVEN a channel that is gone three times THEN its subscription is paused', async () => {
    const sub = await publishThrice({ ok: false, retry: false, reason: 'channel_not_found' }, kind);
    assert.equal(sub?.active, false);
  });

  test('GIVEN our own message refused three times (not the channel\'s fault) THEN the subscription stays active', async () => {
    const sub = await publishThrice({ ok: false, retry: false, reason: 'invalid_blocks', channelFault: false }, kind);
    assert.equal(sub?.active, true);
    assert.equal(sub?.failures, 0);
  });

  test('GIVEN Slack error codes THEN known channel codes count against the channel and unknown ones do not', () => {
    const platform = (error: string) => failureOf({ code: 'slack_webapi_platform_error', data: { ok: false, error } });
    assert.notEqual(platform('channel_not_found').channelFault, false);
    assert.notEqual(platform('is_archived').channelFault, false);
    assert.equal(platform('invalid_blocks').channelFault, false);
  });
});

describeStores('deliveries that cannot be confirmed or whose first message is gone', (kind) => {
  test('GIVEN a send that timed out and a lookup that keeps failing THEN it is retried with capped backoff until the notice deadline (24 h, virtual time), then fails as expired without blaming the channel', () =>
    withStoreBot(async (bot) => {
      const [sub] = await subscribeChannels(bot.store, 1);
      let lookups = 0;
      const transport: DeliveryTransport = {
        platform: 'slack',
        post: async () => ({ ok: false, retry: true, uncertain: true, reason: 'timeout' }),
        edit: async () => ({ ok: false, retry: true, reason: 'timeout' }),
        reply: async () => ({ ok: false, retry: true, reason: 'timeout' }),
        reconcile: async () => {
          lookups++;
          return { ok: false, retry: true, reason: 'http_503' };
        },
      };
      // One dispatcher and nothing else writing the outbox: it waits straight for the next try
      // (a 60-s poll would add some 1,400 idle looks over the 24 hours). Time never jumps in the
      // middle of a store call (dispatcherOf's timer watches them), so a try's write lands at
      // the time it was made even while the loop waits a whole poll for the try to end.
      const dispatcher = dispatcherOf(bot, transport, { pollMs: 3600_000 });
      const start = bot.clock.now().getTime();
      const out = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis' } }, admin, 'fr');
      assert.ok(out.ok);
      const summary = await dispatcher.drain();
      assert.equal(summary.failed, 1);
      const [d] = await bot.store.outbox.listDeliveries(out.notice.id);
      assert.match(d?.lastError ?? '', /^expired: lookup_http_503/);
      const hours = (bot.clock.now().getTime() - start) / 3600_000;
      assert.ok(hours >= 24 && hours < 24.1, `gave up at the deadline (${hours.toFixed(2)} h)`);
      // Capped at 5 minutes between tries: about 24 h / 5 min, not thousands, not a handful.
      assert.ok(lookups > 200 && lookups < 600, `lookups: ${lookups}`);
      assert.equal((await bot.store.subscriptions.get(sub!.id))?.failures, 0);
    }, TEST_NOW, kind));

  test('GIVEN the incident\'s first message was deleted in the channel THEN the update posts a fresh one instead of failing', () =>
    withStoreBot(async (bot) => {
      await subscribeChannels(bot.store, 1);
      const posted: string[] = [];
      let edits = 0;
      const transport: DeliveryTransport = {
        platform: 'slack',
        post: async (d) => {
          posted.push(d.id);
          return { ok: true, ref: `ts-${posted.length}` };
        },
        edit: async () => {
          edits++;
          return { ok: false, retry: false, reason: 'message_not_found', rootGone: true };
        },
        reply: async () => ({ ok: true, ref: 'reply' }),
        reconcile: async () => ({ found: false }),
      };
      const dispatcher = dispatcherOf(bot, transport);
      const opened = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Panne' }, incident: { action: 'open' } }, admin, 'fr');
      assert.ok(opened.ok);
      await dispatcher.drain();
      const update = await publisherOf(bot).publish({ text: { fr: 'Mise à jour' }, incident: { action: 'update', id: opened.notice.incident!.id } }, admin, 'fr');
      assert.ok(update.ok, update.ok ? '' : update.errors.join(';'));
      const summary = await dispatcher.drain();
      assert.equal(summary.delivered, 1);
      assert.equal(edits, 1);
      assert.equal(posted.length, 2, 'a fresh first message was posted');
    }, TEST_NOW, kind));
});
