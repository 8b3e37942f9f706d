import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Dispatcher, type DeliveryTransport, type SendResult } from '../../src/delivery/index.js';
import { withStoreBot } from '../helpers/bot.js';
import { admin, publisherOf, subscribeChannels } from './helpers.js';
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

async function publishThrice(failure: SendResult) {
  return withStoreBot(async (bot) => {
    const [sub] = await subscribeChannels(bot.store, 1);
    const dispatcher = new Dispatcher({ store: bot.store, clock: bot.clock, templates: bot.templates, transports: [refusing(failure)] });
    for (let i = 0; i < 3; i++) {
      const out = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: `Avis ${i}` } }, admin, 'fr');
      assert.ok(out.ok);
      await dispatcher.drain();
    }
    return bot.store.subscriptions.get(sub!.id);
  });
}

describe('permanent failures and whose fault they are', () => {
  test('GIVEN a channel that is gone three times THEN its subscription is paused', async () => {
    const sub = await publishThrice({ ok: false, retry: false, reason: 'channel_not_found' });
    assert.equal(sub?.active, false);
  });

  test('GIVEN our own message refused three times (not the channel\'s fault) THEN the subscription stays active', async () => {
    const sub = await publishThrice({ ok: false, retry: false, reason: 'invalid_blocks', channelFault: false });
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
