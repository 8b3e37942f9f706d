/**
 * Demo data stays demo: scenario incidents loaded into the store (`vigie scenario load`) carry
 * the demo label in every answer and listing, next to live incidents that do not; the Slack
 * Home tab and the console say so too. (The CLI's load, unload and default time are tested as
 * child processes in test/cli.test.ts.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { homeView } from '../adapters/slack/home.js';
import { replayScenario, scenarioTime } from '../src/incidents/index.js';
import { loadCheckedScenario } from '../src/runtime.js';
import { renderText, type Actor, type Inbound } from '../src/index.js';
import { sharedReference, withStoreBot } from './helpers/bot.js';
import { describeWithStores } from './helpers/stores.js';
import { TEST_NOW } from './helpers/clock.js';

const ask = (text: string, language = 'fr'): Inbound => ({ conversation: { platform: 'slack', workspace: 'T1', channel: 'C1', user: 'U2' }, text, locale: language });
const admin: Actor = { platform: 'cli', user: 'admin', name: 'Rectorat de Lille' };

describeWithStores('demo data loaded into the store', (kind) => {
  test('GIVEN the 2020-03-17 scenario loaded next to a live incident THEN answers on demo incidents carry the label and tag, the live one none, and listings tag only the demo lines', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      const { content, gazetteer } = sharedReference();
      const scenario = loadCheckedScenario('2020-03-17', content, gazetteer);
      for (const incident of replayScenario(scenario, scenarioTime(scenario, '10:00'))) await runtime.store.incidents.put(incident);
      const live = await bot.applyIncident({ action: 'open', service: 'pronote', places: 'Nord', textFr: 'Pronote inaccessible.' }, admin, 'fr');
      assert.ok(live.ok);
      runtime.bot.source.invalidate();

      const demo = await bot.ask(ask('ENT Occitanie ?'));
      assert.equal(demo.reply.demo?.scenario, '2020-03-17');
      assert.equal(demo.reply.demo?.tag, 'DÉMO 17/03/2020');
      assert.match(renderText(demo.reply), /^\[DÉMO — données rejouées du scénario « Mardi 17 mars 2020 : premier jour de l'école à distance » \(2020-03-17\), pas la situation réelle d'aujourd'hui\.\]\n🟠 ENT/);
      // The report says "ce matin": dated with its year, read in 2026, never with a minute it did not give.
      assert.match(renderText(demo.reply), /Depuis le 17 mars 2020 au matin\./, 'dated with its year, read in 2026');
      assert.match(renderText(demo.reply), /Dernière information officielle : Le 17 mars 2020, Ministère de l'Éducation nationale : «/);
      assert.doesNotMatch(renderText(demo.reply), /\d h \d\d|\b9 h\b|9:30/);
      const en = await bot.ask(ask('is the ENT down in Occitanie?', 'en'));
      assert.equal(en.reply.demo?.tag, 'DEMO 17/03/2020');

      const real = await bot.ask(ask('pronote lille ?'));
      assert.equal(real.reply.status, 'major_outage');
      assert.equal(real.reply.demo, undefined, 'the live incident is not labelled demo');

      // "Nothing official here", dated by the demo's latest update: labelled too.
      const nothing = await bot.ask(ask('educonnect lyon ?'));
      assert.equal(nothing.reply.status, 'unknown');
      assert.equal(nothing.reply.demo, undefined, 'dated by the live incident, the newest update');

      const listed = await bot.listIncidents('fr');
      const byId = new Map(listed.map((l) => [l.incident.id, l]));
      assert.equal(byId.get('ent-occitanie')?.demo?.tag, 'DÉMO 17/03/2020');
      assert.equal(byId.get(live.incident.id)?.demo, undefined);

      const home = JSON.stringify(await homeView(bot, 'T1', 'fr'));
      assert.match(home, /DÉMO — données rejouées du scénario/);
      assert.match(home, /`DÉMO 17\/03\/2020` \*ENT fortement ralentis/);
      assert.match(home, /depuis 17 mars 2020, matin/, 'dates carry their year, and the span the source gave');
      assert.doesNotMatch(home, /17 mars 2020, \d\d:\d\d/, 'no minute the source did not give');
      assert.doesNotMatch(home, /`DÉMO[^`]*` \*Pronote/);

      assert.equal(await runtime.store.incidents.deleteScenario('2020-03-17'), 7);
      runtime.bot.source.invalidate();
      const after = await bot.ask(ask('ENT Occitanie ?'));
      assert.equal(after.reply.demo, undefined);
      assert.equal(after.reply.status, 'unknown');
    }, TEST_NOW, kind));

  test('GIVEN only demo data in the store WHEN nothing is in effect for the question THEN the answer, dated by the demo\'s latest update, is labelled demo', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      const { content, gazetteer } = sharedReference();
      const scenario = loadCheckedScenario('2020-03-17', content, gazetteer);
      for (const incident of replayScenario(scenario, scenarioTime(scenario, '10:00'))) await runtime.store.incidents.put(incident);
      const nothing = await bot.ask(ask('educonnect lyon ?'));
      assert.equal(nothing.reply.status, 'unknown');
      assert.match(renderText(nothing.reply), /Dernière information officielle reçue le 17 mars 2020/);
      assert.equal(nothing.reply.demo?.scenario, '2020-03-17');
    }, TEST_NOW, kind));
});

describe('demo data: a scenario no longer in content/', () => {
  test('GIVEN incidents loaded from a scenario since removed THEN they are still labelled, by the scenario id', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      const { content, gazetteer } = sharedReference();
      const scenario = loadCheckedScenario('2020-03-17', content, gazetteer);
      for (const incident of replayScenario(scenario, scenarioTime(scenario, '10:00'))) await runtime.store.incidents.put({ ...incident, scenario: 'exercice-2025' });
      const answer = await bot.ask(ask('ENT Occitanie ?'));
      assert.equal(answer.reply.demo?.scenario, 'exercice-2025');
      assert.match(answer.reply.demo?.label ?? '', /^DÉMO — données rejouées du scénario « exercice-2025 »/);
      assert.equal(answer.reply.demo?.tag, 'DÉMO exercice-2025');
    }));
});
