import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Inbound } from '../../src/index.js';
import { withStoreBot } from '../helpers/bot.js';
import type { Reply } from '../../src/base/types.js';
import { MAX_SUBSCRIPTIONS_PER_CHANNEL } from '../../src/subscriptions/manage.js';

/** Everything a reply says, all sections. */
const allText = (reply: Reply) => reply.sections.map((s) => `${s.title}\n${s.text}`).join('\n');

const conv = { platform: 'discord', workspace: '111111111111111111', channel: '222222222222222222', user: '333333333333333333' };
const say = (text: string, channel = conv.channel): Inbound => ({ conversation: { ...conv, channel }, text });

describe('channel subscriptions', () => {
  test('GIVEN "abonner ENT Occitanie" THEN the channel follows the ENT in région 76, and saying it again keeps one', () =>
    withStoreBot(async (bot) => {
      const first = await bot.subscribe(say('abonner ENT Occitanie'));
      assert.equal(first.changed, true);
      assert.equal(first.subscriptions.length, 1);
      assert.equal(first.subscriptions[0]?.service, 'ent');
      assert.deepEqual([first.subscriptions[0]?.place.kind, first.subscriptions[0]?.place.code], ['region', '76']);
      assert.match(allText(first.reply), /ENT — Occitanie/);
      const again = await bot.subscribe(say('abonner ENT Occitanie'));
      assert.equal(again.changed, false);
      assert.equal(again.subscriptions.length, 1);
    }));

  test('GIVEN no place THEN a clarifying question and nothing stored', () =>
    withStoreBot(async (bot) => {
      const out = await bot.subscribe(say('abonner pronote'));
      assert.equal(out.changed, false);
      assert.equal(out.subscriptions.length, 0);
      assert.match(allText(out.reply), /lieu/);
    }));

  test('GIVEN a place without service THEN the channel follows every service there', () =>
    withStoreBot(async (bot) => {
      const out = await bot.subscribe(say('subscribe Lille'));
      assert.equal(out.subscriptions[0]?.service, '*');
      assert.equal(out.subscriptions[0]?.place.code, '59350');
    }));

  test('GIVEN the follow button value "ent region:76" THEN the channel follows it', () =>
    withStoreBot(async (bot) => {
      const out = await bot.subscribeTo(conv, 'ent region:76', { platform: 'discord', user: conv.user }, 'fr');
      assert.equal(out.subscriptions[0]?.place.name, 'Occitanie');
    }));

  test('GIVEN two subscriptions WHEN one is removed by name THEN the other stays; "désabonner tout" removes the rest', () =>
    withStoreBot(async (bot) => {
      await bot.subscribe(say('abonner ENT Occitanie'));
      await bot.subscribe(say('abonner CNED France'));
      const one = await bot.unsubscribe(say('désabonner ENT Occitanie'));
      assert.equal(one.changed, true);
      assert.deepEqual(one.subscriptions.map((s) => s.service), ['cned']);
      const all = await bot.unsubscribe(say('désabonner tout'));
      assert.equal(all.subscriptions.length, 0);
    }));

  test('GIVEN another channel THEN its list is separate', () =>
    withStoreBot(async (bot) => {
      await bot.subscribe(say('abonner ENT Occitanie'));
      const other = await bot.listSubscriptions({ ...conv, channel: '444444444444444444' }, 'en');
      assert.equal(other.subscriptions.length, 0);
      assert.match(allText(other.reply), /follows nothing/);
    }));

  test('GIVEN @everyone in the text THEN the reply never carries a live mass mention', () =>
    withStoreBot(async (bot) => {
      const out = await bot.subscribe(say('abonner @everyone <!channel>'));
      const all = JSON.stringify(out.reply);
      assert.doesNotMatch(all, /@everyone|<!channel>/);
    }));
});

describe('place autocomplete', () => {
  test('GIVEN "toul" THEN the exact name Toul first, then Toulouse before smaller towns, at most 25', () =>
    withStoreBot(async (bot) => {
      const list = bot.suggestPlaces('toul');
      assert.ok(list.length > 0 && list.length <= 25);
      assert.equal(list[0]?.code, '54528');
      const communes = list.filter((p) => p.kind === 'commune').map((p) => p.code);
      assert.equal(communes[1], '31555');
      assert.equal(bot.suggestPlaces('toulou')[0]?.code, '31555');
    }));
  test('GIVEN "occi" or "OCCITANIE" THEN the région; GIVEN "herault" without accent THEN the département', () =>
    withStoreBot(async (bot) => {
      assert.equal(bot.suggestPlaces('occi')[0]?.code, '76');
      assert.equal(bot.suggestPlaces('OCCITANIE')[0]?.code, '76');
      assert.equal(bot.suggestPlaces('herault')[0]?.code, '34');
    }));
  test('GIVEN a postal code prefix THEN communes of that code; GIVEN empty or junk THEN nothing', () =>
    withStoreBot(async (bot) => {
      assert.ok(bot.suggestPlaces('3140').some((p) => p.code === '31555'));
      assert.deepEqual(bot.suggestPlaces(''), []);
      assert.deepEqual(bot.suggestPlaces('\u0000\u0001'), []);
      assert.equal(bot.suggestPlaces('s').length, 25);
    }));
});

describe('unsubscribing exactly what was named', () => {
  test('GIVEN ENT subscriptions in Nice, Occitanie and Saint-Denis (93) WHEN "désabonner ent Nice" THEN only Nice goes; kind:code removes the right homonym; unknown words remove nothing', () =>
    withStoreBot(async (bot) => {
      const actor = { platform: 'discord' as const, user: conv.user };
      await bot.subscribeTo(conv, 'ent commune:06088', actor, 'fr');
      await bot.subscribeTo(conv, 'ent region:76', actor, 'fr');
      await bot.subscribeTo(conv, 'ent commune:93066', actor, 'fr');
      const nice = await bot.unsubscribe({ ...say('désabonner ent Nice'), locale: 'fr' });
      assert.deepEqual(nice.subscriptions.map((s) => s.place.code).sort(), ['76', '93066']);
      assert.match(allText(nice.reply), /Nice/);
      assert.equal(nice.reply.language, 'fr');
      const none = await bot.unsubscribe(say('désabonner ent Trifouillis'));
      assert.equal(none.changed, false);
      assert.equal(none.subscriptions.length, 2);
      const homonym = await bot.unsubscribe(say('unsubscribe ent commune:93066'));
      assert.deepEqual(homonym.subscriptions.map((s) => s.place.code), ['76']);
      const service = await bot.unsubscribe(say('désabonner ent'));
      assert.equal(service.subscriptions.length, 0);
    }));
});

test('GIVEN a subscription paused after delivery failures THEN the list says so, and subscribing again resumes it', () =>
  withStoreBot(async (bot) => {
    const { subscriptions } = await bot.subscribe(say('abonner ENT Occitanie'));
    await bot.store.subscriptions.update(subscriptions[0]!.id, { active: false, failures: 3 });
    const listed = await bot.listSubscriptions(conv, 'fr');
    assert.match(allText(listed.reply), /en pause/);
    const again = await bot.subscribe(say('abonner ENT Occitanie'));
    assert.equal(again.subscriptions[0]?.active, true);
    assert.doesNotMatch(allText(again.reply), /en pause/);
  }));

describe('a channel cannot be flooded with subscriptions', () => {
  test(`GIVEN ${MAX_SUBSCRIPTIONS_PER_CHANNEL} subscriptions THEN one more is refused with a clear message, an existing one is still "already", and the list shows all ${MAX_SUBSCRIPTIONS_PER_CHANNEL} in sections of 10, none cut`, () =>
    withStoreBot(async (bot) => {
      const deps = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '22', '23', '24', '25', '26', '27', '28', '29', '2A', '2B', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40', '41', '42', '43', '44', '45', '46', '47', '48', '49', '50'];
      for (const code of deps.slice(0, MAX_SUBSCRIPTIONS_PER_CHANNEL)) {
        const out = await bot.subscribeTo(conv, `ent departement:${code}`, { platform: 'discord', user: conv.user }, 'fr');
        assert.equal(out.changed, true, code);
      }
      const refused = await bot.subscribeTo(conv, 'ent departement:51', { platform: 'discord', user: conv.user }, 'fr');
      assert.equal(refused.changed, false);
      assert.equal(refused.subscriptions.length, MAX_SUBSCRIPTIONS_PER_CHANNEL);
      assert.match(refused.reply.headline, /Trop d'abonnements/);
      assert.match(allText(refused.reply), new RegExp(`déjà ${MAX_SUBSCRIPTIONS_PER_CHANNEL} abonnements`));
      const byText = await bot.subscribe(say('abonner pronote Lille'));
      assert.equal(byText.changed, false, 'typed subscriptions are capped too');
      const existing = await bot.subscribeTo(conv, 'ent departement:01', { platform: 'discord', user: conv.user }, 'en');
      assert.match(existing.reply.headline, /Already subscribed/);

      const listed = await bot.listSubscriptions(conv, 'fr');
      const lists = listed.reply.sections.filter((s) => s.key === 'subscription_list');
      assert.equal(lists.length, MAX_SUBSCRIPTIONS_PER_CHANNEL / 10);
      assert.deepEqual(lists.map((s) => s.title), ['Abonnements 1 à 10 sur 50', 'Abonnements 11 à 20 sur 50', 'Abonnements 21 à 30 sur 50', 'Abonnements 31 à 40 sur 50', 'Abonnements 41 à 50 sur 50']);
      const lines = lists.flatMap((s) => s.text.split('\n'));
      assert.equal(lines.length, MAX_SUBSCRIPTIONS_PER_CHANNEL);
      assert.ok(lines.every((l) => l.startsWith('• ENT — ') && !l.endsWith('…')));
      assert.ok(lists.every((s) => s.text.length <= 1024), 'each section fits a Discord field');
      assert.match(allText(listed.reply), /suit 50 abonnement/);
    }));
});

describe('refusing a subscription change', () => {
  test('GIVEN a refusal from the adapter THEN nothing changes, the reply says who may, and the attempt is audited', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      await bot.subscribe(say('abonner ENT Occitanie'));
      const refused = await bot.refuseSubscriptionChange(conv, { platform: 'discord', workspace: conv.workspace, user: '999' }, 'unsubscribe', 'fr');
      assert.equal(refused.changed, false);
      assert.equal(refused.subscriptions.length, 1);
      assert.equal(refused.reply.kind, 'error');
      assert.match(allText(refused.reply), /Seules les personnes autorisées/);
      const last = (await runtime.store.audit.list()).at(-1);
      assert.deepEqual([last?.action, last?.outcome, last?.actor.user, last?.target], ['subscription.unsubscribe', 'refused', `${conv.workspace}/999`, `discord/${conv.workspace}/${conv.channel}`]);
    }));
});
