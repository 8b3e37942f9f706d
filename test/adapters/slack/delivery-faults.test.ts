import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot } from '../../helpers/bot.js';
import { admin, publisherOf, subscribeChannels } from '../../delivery/helpers.js';
import { atDocumentedLimits, FEW_429, notExactlyOnce, open, slackRig, until } from './delivery-rig.js';

// Slack rows of issue 10, on the fake at Slack's documented limits (chat.postMessage 1/s per
// channel, a burst of 50 then 50/min per workspace), in virtual time, with the transport's
// default pacing.
const later = { services: ['ent'], places: 'Occitanie', text: { fr: 'Travaillez hors ligne aujourd’hui.', en: 'Work offline today.' } };

describe('Slack delivery at Slack’s limits and through faults (virtual time)', () => {
  // 500 channels (the same at a larger scale) run in the slow suite: delivery-scale.test.ts.
  atDocumentedLimits(150);

  test('GIVEN a notice to 150 channels published during a 75-s outage (500s), then 40 % of posts answered 429 Retry-After 1 THEN all are delivered exactly once', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      await subscribeChannels(runtime.store, 150, { workspace: 'T1' });
      const rig = await slackRig(bot, { workspaces: ['T1'], faults: { rate: 0.4, seed: 11, kinds: ['429'], methods: ['chat.postMessage'] }, injectedRetryAfterSec: 1 });
      try {
        rig.api.outage(75_000);
        const published = await publisherOf(bot).publish(open, admin, 'fr');
        assert.ok(published.ok);
        assert.deepEqual(await rig.dispatcher.drain(), { delivered: 150, failed: 0 });
        assert.deepEqual(await notExactlyOnce(bot, rig.api, published.notice.id), []);
        assert.ok(rig.api.stats.outage500 > 0 && rig.api.stats.injected429 > 50, JSON.stringify(rig.api.stats));
        assert.ok(rig.api.stats.rateLimited <= FEW_429, `429s from Slack's limits on top of the injected ones: ${rig.api.stats.rateLimited}`);
      } finally {
        await rig.api.close();
      }
    }));

  test('GIVEN Slack answers invalid_auth for a while to one workspace THEN no subscription is paused, the workspace is paused and resumes by itself, the other workspace goes on, and later notices still reach every channel', () =>
    withStoreBot(async (bot, clock, runtime) => {
      const subs = [...(await subscribeChannels(runtime.store, 80, { workspace: 'T1' })), ...(await subscribeChannels(runtime.store, 10, { workspace: 'T2' }))];
      const rig = await slackRig(bot, { workspaces: ['T1', 'T2'] });
      try {
        const refusedUntil = clock.now().getTime() + 5 * 60_000;
        rig.api.refuseToken('T1', 5 * 60_000, 'invalid_auth');
        const first = await publisherOf(bot).publish(open, admin, 'fr');
        assert.ok(first.ok);
        assert.deepEqual(await rig.dispatcher.drain(), { delivered: 90, failed: 0 });
        assert.deepEqual(await notExactlyOnce(bot, rig.api, first.notice.id), []);
        assert.ok(rig.api.stats.refused > 0);
        for (const s of subs) {
          const now = await runtime.store.subscriptions.get(s.id);
          assert.deepEqual([now?.active, now?.failures], [true, 0], `${s.workspace}/${s.channel}`);
        }
        const log = rig.logs.join('');
        assert.match(log, /ERROR delivery paused: the platform refuses the bot itself.*"workspace":"T1".*"reason":"invalid_auth"/);
        assert.match(log, /INFO delivery resumed.*"workspace":"T1"/);
        assert.deepEqual(await runtime.store.pauses.list(), []);
        const posts = rig.api.callsTo('chat.postMessage');
        assert.ok(posts.filter((c) => c.workspace === 'T2').every((c) => c.at < refusedUntil), 'T2 was not held up by T1’s pause');
        assert.ok(rig.api.callsTo('auth.test').some((c) => c.workspace === 'T1' && c.at >= refusedUntil), 'the token was checked with auth.test');

        const second = await publisherOf(bot).publish(later, admin, 'fr');
        assert.ok(second.ok);
        assert.equal(second.targets.total, 90, 'every Slack channel is still targeted');
        assert.deepEqual(await rig.dispatcher.drain(), { delivered: 90, failed: 0 });
        for (let i = 1; i <= 80; i++) assert.equal(rig.api.conversations.channel('T1', `C${i}`).length, 2, `T1/C${i}`);
      } finally {
        await rig.api.close();
      }
    }));

  for (const seconds of [45, 600]) {
    test(`GIVEN Slack answers 429 Retry-After ${seconds} s THEN that post is tried again no sooner than ${seconds} s later, the workspace posts nothing meanwhile, and the 429 cost no attempt`, () =>
      withStoreBot(async (bot, _clock, runtime) => {
        await subscribeChannels(runtime.store, 3, { workspace: 'T1' });
        // One try at a time in the workspace, so the next channels' tries come after the 429.
        const rig = await slackRig(bot, { workspaces: ['T1'] }, { dispatcher: { perWorkspace: 1 } });
        try {
          rig.api.rateLimitNext('chat.postMessage', seconds);
          const published = await publisherOf(bot).publish(open, admin, 'fr');
          assert.ok(published.ok);
          assert.deepEqual(await rig.dispatcher.drain(), { delivered: 3, failed: 0 });
          const [limited, ...rest] = rig.api.callsTo('chat.postMessage');
          assert.equal(rest.length, 3);
          for (const c of rest) assert.ok(c.at - limited!.at >= seconds * 1000, `${String(c.args.channel)} posted ${(c.at - limited!.at) / 1000} s after the 429`);
          const retried = rest.find((c) => c.args.channel === limited!.args.channel)!;
          assert.ok(retried.at - limited!.at < (seconds + 5) * 1000, 'and not much later either');
          for (const d of await runtime.store.outbox.listDeliveries(published.notice.id)) assert.equal(d.attempts, 1, `${d.channel}: the 429 is not an attempt`);
          assert.deepEqual(await notExactlyOnce(bot, rig.api, published.notice.id), []);
        } finally {
          await rig.api.close();
        }
      }));
  }

  test('GIVEN one channel of 200 answering internal_error THEN the 199 healthy channels get a later notice without waiting for it, and it gets both once it heals', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 200, { workspace: 'T1' });
      const rig = await slackRig(bot);
      const healthy = Array.from({ length: 200 }, (_, i) => `C${i + 1}`).filter((c) => c !== 'C7');
      try {
        rig.api.failChannel('T1/C7', 'internal_error');
        const start = clock.now().getTime();
        const first = await publisherOf(bot).publish(open, admin, 'fr');
        const second = await publisherOf(bot).publish(later, admin, 'fr');
        assert.ok(first.ok && second.ok);
        rig.dispatcher.start();
        await until(() => healthy.every((c) => rig.api.conversations.channel('T1', c).length === 2));
        const minutes = (clock.now().getTime() - start) / 60_000;
        // 398 posts at the workspace's pace take about 8 minutes; C7 is retried for 24 hours.
        assert.ok(minutes < 15, `the healthy channels had both notices after ${minutes.toFixed(1)} min`);
        assert.equal(rig.api.conversations.channel('T1', 'C7').length, 0);
        const stuck = (await runtime.store.outbox.listDeliveries(first.notice.id)).find((d) => d.channel === 'C7')!;
        assert.ok(stuck.state !== 'failed' && stuck.state !== 'delivered', `C7 is still being retried (${stuck.state}, ${stuck.lastError})`);

        rig.api.failChannel('T1/C7', null);
        await until(() => rig.api.conversations.channel('T1', 'C7').length === 2);
        await rig.dispatcher.stop();
        assert.deepEqual(await notExactlyOnce(bot, rig.api, first.notice.id), []);
        assert.deepEqual(await notExactlyOnce(bot, rig.api, second.notice.id), []);
        assert.ok(rig.api.stats.rateLimited <= FEW_429, `429s from Slack's limits: ${rig.api.stats.rateLimited}`);
      } finally {
        await rig.dispatcher.stop();
        await rig.api.close();
      }
    }));
});
