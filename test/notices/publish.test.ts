import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { describeWithStores } from '../helpers/stores.js';
import { admin, publisherOf, subscribeChannels } from '../delivery/helpers.js';

const valid = { services: ['ent'], places: 'Haute-Garonne', status: 'major_outage', text: { fr: "L'ENT est inaccessible.", en: 'The ENT is down.' } };

describeWithStores('notice publication', (kind) => {
  test('GIVEN invalid notices THEN each error names the field and what is wrong, and nothing is stored', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      const publisher = publisherOf(bot);
      const cases: [unknown, RegExp][] = [
        [{ ...valid, text: { fr: '' } }, /text\.fr/],
        [{ ...valid, status: 'on_fire' }, /status/],
        [{ ...valid, audience: 'parents' }, /audience/],
        [{ ...valid, services: ['nope'] }, /nope/],
        [{ ...valid, places: 'Trifouillis-les-Oies' }, /Trifouillis/],
        [{ ...valid, places: [{ kind: 'departement', code: '999' }] }, /departement:999/],
        [{ text: { fr: 'x' } }, /services[\s\S]*places|places[\s\S]*services/],
        [{ ...valid, services: ['ent', 'pronote'], incident: { action: 'open' } }, /un seul service/],
        [{ text: { fr: 'x' }, incident: { action: 'update', id: 'missing' } }, /missing/],
        [{ ...valid, source: { name: 'Rectorat', url: 'ftp://x' } }, /source\.url/],
        [{ ...valid, colour: 'red' }, /colour/],
      ];
      for (const [input, expected] of cases) {
        const outcome = await publisher.publish(input, admin, 'fr');
        assert.equal(outcome.ok, false, JSON.stringify(input));
        if (!outcome.ok) assert.match(outcome.errors.join('\n'), expected, JSON.stringify(input));
      }
      assert.deepEqual(await runtime.store.outbox.listNotices(), []);
      assert.equal(await runtime.store.incidents.count(), 0);
      const audit = await runtime.store.audit.list();
      assert.ok(audit.every((e) => e.action !== 'notice.publish' || e.outcome === 'failed'));
    }, TEST_NOW, kind));

  test('GIVEN an opening notice with "recoveryIn: 4h" THEN the recovery is four hours after publishing; with recoveryAt too, or a bad duration, it is refused', () =>
    withStoreBot(async (bot, clock) => {
      const publisher = publisherOf(bot);
      const opened = await publisher.publish({ ...valid, incident: { action: 'open', recoveryIn: '4h' } }, admin, 'fr');
      assert.ok(opened.ok, opened.ok ? '' : opened.errors.join('\n'));
      const incident = (await bot.openIncidents())[0];
      assert.equal(incident?.expectedRecovery?.at, new Date(clock.now().getTime() + 4 * 3600_000).toISOString());
      const both = await publisher.publish({ ...valid, incident: { action: 'open', recoveryIn: '4h', recoveryAt: '+2h' } }, admin, 'en');
      assert.equal(both.ok, false);
      if (!both.ok) assert.match(both.errors.join('\n'), /recoveryAt or recoveryIn/);
      const bad = await publisher.publish({ ...valid, incident: { action: 'open', recoveryIn: 'bientôt' } }, admin, 'fr');
      assert.equal(bad.ok, false);
      if (!bad.ok) assert.match(bad.errors.join('\n'), /incident\.recoveryIn.*durée/);
    }, TEST_NOW, kind));

  test('GIVEN subscribed channels WHEN a notice is published THEN the notice and one pending delivery per channel are stored before it says published', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      await subscribeChannels(runtime.store, 4, { workspace: 'T1' });
      await subscribeChannels(runtime.store, 3, { platform: 'discord', workspace: 'G1' });
      await subscribeChannels(runtime.store, 2, { workspace: 'T9', place: { kind: 'departement', code: '34', name: 'Hérault' } });
      const outcome = await publisherOf(bot).publish(valid, admin, 'fr');
      assert.ok(outcome.ok);
      assert.deepEqual(outcome.targets, { total: 7, byPlatform: { slack: 4, discord: 3 }, updates: 0 });
      assert.match(outcome.reply.headline, /publié : 7 salon/);
      // No dispatcher has run: what is there was written by publish itself.
      const outbox = runtime.store.outbox;
      const stored = await outbox.getNotice(outcome.notice.id);
      assert.equal(stored?.state, 'published');
      const deliveries = await outbox.listDeliveries(outcome.notice.id);
      assert.equal(deliveries.length, 7);
      assert.ok(deliveries.every((d) => d.state === 'pending' && d.kind === 'post' && d.attempts === 0));
      assert.deepEqual(new Set(deliveries.map((d) => `${d.platform}/${d.workspace}`)), new Set(['slack/T1', 'discord/G1']));
      const progress = await outbox.progress(outcome.notice.id);
      assert.deepEqual([progress?.pending, progress?.delivered, progress?.failed], [7, 0, 0]);
      const audit = (await runtime.store.audit.list()).at(-1);
      assert.deepEqual([audit?.action, audit?.outcome, audit?.target], ['notice.publish', 'ok', outcome.notice.id]);
    }, TEST_NOW, kind));

  test('GIVEN a dry run THEN it counts the channels per platform and stores nothing', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      await subscribeChannels(runtime.store, 2, { platform: 'discord', workspace: 'G1' });
      const outcome = await publisherOf(bot).preview({ ...valid, incident: { action: 'open' } }, admin, 'en');
      assert.ok(outcome.ok);
      assert.equal(outcome.dryRun, true);
      assert.deepEqual(outcome.targets.byPlatform, { discord: 2 });
      assert.match(outcome.reply.headline, /Preview: 2 channel/);
      assert.match(outcome.messages.root.headline, /major outage|panne/i);
      assert.deepEqual(await runtime.store.outbox.listNotices(), []);
      assert.equal(await runtime.store.incidents.count(), 0);
    }, TEST_NOW, kind));

  test('GIVEN a notice that opens then one that resolves an incident THEN the incident is stored and resolved, and follow-ups are planned as edit + reply', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 3);
      const publisher = publisherOf(bot);
      const opened = await publisher.publish({ ...valid, incident: { action: 'open', cause: 'overload' } }, admin, 'fr');
      assert.ok(opened.ok);
      const id = opened.notice.incident!.id;
      assert.equal((await runtime.store.incidents.get(id))?.cause, 'overload');
      clock.advance(3600_000);
      const resolved = await publisher.publish({ text: { fr: 'Rétabli.' }, incident: { action: 'resolve', id } }, admin, 'fr');
      assert.ok(resolved.ok);
      assert.equal((await runtime.store.incidents.get(id))?.phase, 'resolved');
      assert.equal(resolved.targets.updates, 3);
      assert.deepEqual(resolved.notice.places, [{ kind: 'departement', code: '31' }], 'the incident gives the places');
      const kinds = (await runtime.store.outbox.listDeliveries(resolved.notice.id)).map((d) => d.kind);
      assert.deepEqual(kinds, ['update', 'update', 'update']);
    }, TEST_NOW, kind));

  test('GIVEN channels with several subscriptions, on two platforms, some already holding the incident THEN the preview counts the channels, per platform and to update, as the publication then writes them', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 3);
      const publisher = publisherOf(bot);
      const opened = await publisher.publish({ ...valid, incident: { action: 'open' } }, admin, 'fr');
      assert.ok(opened.ok);
      const id = opened.notice.incident!.id;
      // Afterwards: two Slack channels follow it twice (every service, and Haute-Garonne), a new
      // Slack channel and two Discord channels (one of them twice) join.
      await subscribeChannels(runtime.store, 2, { service: '*' });
      await subscribeChannels(runtime.store, 4, { place: { kind: 'departement', code: '31', name: 'Haute-Garonne' } });
      await subscribeChannels(runtime.store, 2, { platform: 'discord', workspace: 'G1' });
      await subscribeChannels(runtime.store, 1, { platform: 'discord', workspace: 'G1', service: '*' });
      clock.advance(60_000);
      const update = { text: { fr: 'Toujours en panne.' }, incident: { action: 'update', id } };
      const preview = await publisher.preview(update, admin, 'en');
      assert.ok(preview.ok);
      assert.deepEqual(preview.targets, { total: 6, byPlatform: { slack: 4, discord: 2 }, updates: 3 });
      assert.match(preview.reply.headline, /Preview: 6 channel/);
      assert.deepEqual(preview.notice.targets, { slack: 4, discord: 2 });
      const published = await publisher.publish(update, admin, 'en');
      assert.ok(published.ok);
      assert.deepEqual(published.targets, preview.targets);
      const deliveries = await runtime.store.outbox.listDeliveries(published.notice.id);
      assert.deepEqual(
        deliveries.map((d) => `${d.platform} ${d.channel} ${d.kind} ${d.subscriptionIds.length}`).sort(),
        ['discord C1 post 2', 'discord C2 post 1', 'slack C1 update 3', 'slack C2 update 3', 'slack C3 update 2', 'slack C4 post 1'],
      );
    }, TEST_NOW, kind));
});
