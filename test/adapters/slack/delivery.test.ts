import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSlackTransport, type SlackPacing } from '../../../adapters/slack/index.js';
import { slackRig } from './delivery-rig.js';
import { Dispatcher, type Delivery } from '../../../src/delivery/index.js';
import type { Bot } from '../../../src/index.js';
import { withStoreBot } from '../../helpers/bot.js';
import { admin, publisherOf, subscribeChannels } from '../../delivery/helpers.js';
import { withMargin } from '../../fakes/generic/buckets.js';
import { slackLimits } from '../../fakes/slack/limits.js';
import { tokenOf, type FakeSlackApi, type StartFakeSlackOptions } from '../../fakes/slack/web-api.js';
import { sharedTemplates } from '../../helpers/templates.js';

const SCALE = 20;
const open = { services: ['ent'], places: 'Haute-Garonne', status: 'major_outage', text: { fr: "L'ENT est inaccessible <!channel>.", en: 'The ENT is down.' }, incident: { action: 'open' } };

/**
 * The fake with Slack's limits (×SCALE), and a dispatcher over the real Slack transport pacing
 * itself just under them, all in virtual time (delivery-rig.ts): the fake's limits and held
 * requests on the bot's clock, the transport's timeouts and pacing on the timer, time jumping
 * once the dispatcher's store calls and the requests to the fake are done.
 */
async function rig(bot: Bot, fake: Omit<StartFakeSlackOptions, 'scale' | 'hangMs' | 'now'>, pacing?: SlackPacing): Promise<{ api: FakeSlackApi; dispatcher: Dispatcher }> {
  const { api, dispatcher } = await slackRig(bot, { scale: SCALE, hangMs: 4_500, ...fake }, {
    transport: {
      timeoutMs: 4_000,
      pacing: pacing ?? { ...withMargin(slackLimits(SCALE).post, 0.95, 1), tier3: withMargin({ perWorkspace: slackLimits(SCALE).tier3 }, 0.95, 1).perWorkspace! },
    },
    dispatcher: { backoff: { baseMs: 10, maxMs: 1500 } },
  });
  return { api, dispatcher };
}

/** How many messages on the fake carry each delivery's id, for deliveries of `noticeId`. */
async function countsByDelivery(bot: Bot, api: FakeSlackApi, noticeId: string): Promise<Map<Delivery, number>> {
  const byDelivery = api.conversations.byDelivery();
  const out = new Map<Delivery, number>();
  for (const d of await bot.store.outbox.listDeliveries(noticeId)) out.set(d, byDelivery.get(d.id)?.length ?? 0);
  return out;
}

describe('Slack delivery through the dispatcher (fake Web API with limits and faults)', () => {
  test('GIVEN 90 channels in 3 workspaces and 10% random 429s, 500s and timeouts THEN each channel gets exactly one message, tagged with its delivery, in its own workspace', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      for (const ws of ['T1', 'T2', 'T3']) await subscribeChannels(runtime.store, 30, { workspace: ws });
      const { api, dispatcher } = await rig(bot, { workspaces: ['T1', 'T2', 'T3'], faults: { rate: 0.1, seed: 3 } });
      try {
        const published = await publisherOf(bot).publish(open, admin, 'fr');
        assert.ok(published.ok);
        assert.deepEqual(await dispatcher.drain(), { delivered: 90, failed: 0 });
        for (const [d, n] of await countsByDelivery(bot, api, published.notice.id)) assert.equal(n, 1, `${d.workspace}/${d.channel} got ${n}`);
        assert.equal(api.conversations.all().length, 90);
        for (const ws of ['T1', 'T2', 'T3']) for (let i = 1; i <= 30; i++) assert.equal(api.conversations.channel(ws, `C${i}`).length, 1);
        const posts = api.callsTo('chat.postMessage');
        assert.ok(posts.every((c) => c.token === tokenOf(c.workspace)), 'each workspace is reached with its own token');
        const faults = api.stats.injected429 + api.stats.injected500 + api.stats.injectedTimeouts;
        assert.ok(faults > 0, 'faults were injected');
        const message = api.conversations.all()[0]!;
        assert.equal(message.metadata?.event_type, 'vigie_notice');
        assert.equal(message.metadata?.event_payload.notice, published.notice.id);
        assert.doesNotMatch(message.text + JSON.stringify(message.blocks), /<!channel>/);
        assert.equal((await runtime.store.outbox.progress(published.notice.id))?.pending, 0);
      } finally {
        await api.close();
      }
    }));

  test('GIVEN timeouts after which the message was stored anyway THEN the dispatcher reconciles with conversations.history and sends nothing twice', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      await subscribeChannels(runtime.store, 40, { workspace: 'T1' });
      const { api, dispatcher } = await rig(bot, { workspaces: ['T1'], faults: { rate: 0.3, seed: 9, kinds: ['timeout'] } });
      try {
        const published = await publisherOf(bot).publish(open, admin, 'fr');
        assert.ok(published.ok);
        assert.deepEqual(await dispatcher.drain(), { delivered: 40, failed: 0 });
        assert.ok(api.stats.storedThenHung > 0, 'some messages were stored before the request hung');
        assert.ok(api.callsTo('conversations.history').length > 0, 'unknown outcomes were looked up');
        for (const [d, n] of await countsByDelivery(bot, api, published.notice.id)) assert.equal(n, 1, `${d.channel} got ${n}`);
        const outbox = runtime.store.outbox;
        for (const d of await outbox.listDeliveries(published.notice.id)) {
          assert.equal(d.messageRef, api.conversations.byDelivery().get(d.id)?.[0]?.ts, `${d.channel}: the recorded ts is the message's`);
        }
      } finally {
        await api.close();
      }
    }));

  test('GIVEN an incident opened, updated then resolved, with faults THEN each channel has one root message edited to resolved and the two updates in its thread', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 20, { workspace: 'T1' });
      const { api, dispatcher } = await rig(bot, { workspaces: ['T1'], faults: { rate: 0.1, seed: 5 } });
      const publisher = publisherOf(bot);
      try {
        const opened = await publisher.publish(open, admin, 'fr');
        assert.ok(opened.ok);
        await dispatcher.drain();
        const id = opened.notice.incident!.id;
        clock.advance(3600_000);
        const updated = await publisher.publish({ status: 'partial_outage', phase: 'monitoring', text: { fr: 'Retour progressif.' }, incident: { action: 'update', id } }, admin, 'fr');
        assert.ok(updated.ok);
        await dispatcher.drain();
        clock.advance(3600_000);
        const resolved = await publisher.publish({ text: { fr: 'Service rétabli.', en: 'Service restored.' }, incident: { action: 'resolve', id } }, admin, 'fr');
        assert.ok(resolved.ok);
        assert.deepEqual(await dispatcher.drain(), { delivered: 20, failed: 0 });

        for (let i = 1; i <= 20; i++) {
          const messages = api.conversations.channel('T1', `C${i}`);
          const roots = messages.filter((m) => m.threadTs === null);
          assert.equal(roots.length, 1, `C${i} has one root message`);
          const root = roots[0]!;
          assert.equal(root.metadata?.event_payload.notice, opened.notice.id);
          assert.ok(root.edits >= 2, `C${i}: the root was edited by the update and the resolution`);
          assert.match(root.text, /— rétabli à \d{1,2} h/, 'the root reads as resolved');
          assert.match(root.text, /Service rétabli/);
          const replies = messages.filter((m) => m.threadTs !== null);
          assert.deepEqual(replies.map((r) => r.threadTs), [root.ts, root.ts], `C${i}: both updates are in the root's thread`);
          assert.deepEqual(replies.map((r) => r.metadata?.event_payload.notice), [updated.notice.id, resolved.notice.id]);
          assert.match(replies[0]!.text, /Retour progressif/);
          assert.match(replies[1]!.text, /— rétabli à \d{1,2} h/);
        }
        assert.equal(api.conversations.all().length, 60);
      } finally {
        await api.close();
      }
    }));

  test('GIVEN a thread reply left in flight that did reach Slack THEN restarting finds it with conversations.replies and posts no second reply', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 2, { workspace: 'T1' });
      // No limits: the "previous process" below posts with a transport of its own.
      const { api, dispatcher } = await rig(bot, { workspaces: ['T1'], limits: null });
      const publisher = publisherOf(bot);
      try {
        const opened = await publisher.publish(open, admin, 'fr');
        assert.ok(opened.ok);
        await dispatcher.drain();
        clock.advance(60_000);
        const updated = await publisher.publish({ text: { fr: 'Nouvelles précisions.' }, incident: { action: 'update', id: opened.notice.incident!.id } }, admin, 'fr');
        assert.ok(updated.ok);
        const outbox = runtime.store.outbox;
        const [first] = await outbox.listDeliveries(updated.notice.id);
        const root = api.conversations.channel('T1', first!.channel)[0]!;
        // The previous process edited the root, sent the reply and died before recording it.
        const transport = createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'x', apiUrl: api.url }, tokenFor: tokenOf });
        const inFlight = { ...first!, kind: 'update' as const, rootRef: root.ts, edited: true, state: 'in_flight' as const, attempts: 1 };
        const edited = await transport.edit(inFlight, root.ts, updated.messages.root);
        assert.ok(edited.ok, JSON.stringify(edited));
        const sent = await transport.reply(inFlight, root.ts, updated.messages.reply);
        assert.ok(sent.ok, JSON.stringify(sent));
        await outbox.saveDelivery(inFlight);
        assert.deepEqual(await dispatcher.drain(), { delivered: 2, failed: 0 });
        assert.ok(api.callsTo('conversations.replies').some((c) => c.args.ts === root.ts));
        assert.equal(api.conversations.byDelivery().get(first!.id)?.length, 1);
        assert.equal((await outbox.getDelivery(first!.id))?.messageRef, sent.ref);
        assert.equal(api.conversations.all().filter((m) => m.threadTs !== null).length, 2, 'one reply per channel');
      } finally {
        await api.close();
      }
    }));

  test('GIVEN a deleted channel, one the bot left and an archived one THEN they fail with Slack’s reason, and after 3 notices their subscriptions are inactive', () =>
    withStoreBot(async (bot, clock, runtime) => {
      const subs = await subscribeChannels(runtime.store, 5, { workspace: 'T1' });
      const broken = { notFound: ['T1/C2'], notInChannel: ['T1/C3'], archived: ['T1/C4'] };
      const { api, dispatcher } = await rig(bot, { workspaces: ['T1'], broken });
      const publisher = publisherOf(bot);
      const notice = { services: ['ent'], places: 'Occitanie', text: { fr: 'Travaillez hors ligne aujourd’hui.' } };
      try {
        for (let round = 1; round <= 3; round++) {
          const published = await publisher.publish(notice, admin, 'fr');
          assert.ok(published.ok);
          assert.equal(published.targets.total, 5);
          assert.deepEqual(await dispatcher.drain(), { delivered: 2, failed: 3 });
          const progress = await runtime.store.outbox.progress(published.notice.id);
          assert.deepEqual(
            progress?.failures.map((f) => `${f.workspace}/${f.channel} ${f.reason}`).sort(),
            ['T1/C2 channel_not_found', 'T1/C3 not_in_channel', 'T1/C4 is_archived'],
          );
          clock.advance(60_000);
        }
        for (const s of subs) {
          const now = await runtime.store.subscriptions.get(s.id);
          const healthy = s.channel === 'C1' || s.channel === 'C5';
          assert.equal(now?.active, healthy, `${s.workspace}/${s.channel}`);
        }
        const fourth = await publisher.publish(notice, admin, 'fr');
        assert.ok(fourth.ok);
        assert.equal(fourth.targets.total, 2, 'inactive subscriptions are no longer targeted');
        assert.equal(api.conversations.channel('T1', 'C1').length, 3);
      } finally {
        await api.close();
      }
    }));
});
