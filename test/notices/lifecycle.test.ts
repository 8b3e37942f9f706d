/**
 * An incident's lifecycle in words: a resolution reads as resolved (no advice, no expected
 * recovery); opening an incident identical to an open one (same service, places, levels) is
 * refused with that incident's id and how to update it, unless forced; the same notice
 * published again is recognised. On the store (SQLite and PostgreSQL) and on the scenario.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { describeWithStores } from '../helpers/stores.js';
import { admin, subscribeChannels } from '../delivery/helpers.js';
import { renderText, type Actor, type Inbound } from '../../src/index.js';
import { createAnswerer } from '../../src/answer/answerer.js';
import { noticeMessages } from '../../src/notices/message.js';
import { IncidentIndex } from '../../src/incidents/incident-index.js';
import { replayScenario } from '../../src/incidents/replay.js';
import { fixtureContent, fixtureGazetteer, fixtureScenario, parisTime } from '../fixtures/load-fixtures.js';

const opening = {
  services: ['ent'],
  places: 'Occitanie',
  levels: ['college', 'lycee'],
  status: 'major_outage',
  title: { fr: 'ENT très lents ou inaccessibles en Occitanie', en: 'ENT very slow or unreachable in Occitanie' },
  text: { fr: "L'ENT est inaccessible.", en: 'The ENT is down.' },
  incident: { action: 'open', recoveryIn: '4h', recovery: { fr: 'Retour attendu ce soir.' }, advice: { fr: 'Réessayez plus tard.', en: 'Try again later.' } },
};
const ask = (text: string): Inbound => ({ conversation: { platform: 'slack', workspace: 'T1', channel: 'C1', user: 'U2' }, text });

describeWithStores('incident lifecycle', (kind) => {
  test('GIVEN an incident with advice and a recovery WHEN resolved THEN the channel message and the answers read "rétabli à …", without advice or expected recovery', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 2);
      const opened = await bot.publishNotice(opening, admin, 'fr');
      assert.ok(opened.ok);
      assert.match(renderText(opened.messages.root), /En attendant : Réessayez plus tard\./, 'while open, the advice is given');
      clock.advance(3600_000);
      const resolved = await bot.publishNotice({ text: { fr: "L'ENT fonctionne de nouveau.", en: 'The ENT works again.' }, incident: { action: 'resolve', id: opened.notice.incident!.id } }, admin, 'fr');
      assert.ok(resolved.ok);
      for (const [message, lang] of [[resolved.messages.root, 'fr'], [resolved.messages.reply, 'fr']] as const) {
        const text = renderText(message);
        assert.match(message.headline, /^✅ ENT très lents ou inaccessibles en Occitanie — rétabli à \d{1,2} h( \d\d)?$/, lang);
        assert.doesNotMatch(text, /Réessayez plus tard|Retour attendu|Retour prévu|En attendant|fonctionne normalement/);
      }
      const en = noticeMessages(resolved.notice, 'en', bot.templates);
      assert.match(en.root.headline, /^✅ ENT very slow or unreachable in Occitanie — restored at \d{1,2}(:\d\d)? [ap]m$/);
      const answer = await bot.ask(ask("l'ENT marche à Toulouse ?"));
      assert.equal(answer.reply.status, 'operational');
      assert.match(answer.reply.headline, /^🟢 ENT : rétabli en Occitanie à \d{1,2} h/);
      assert.doesNotMatch(renderText(answer.reply), /Réessayez plus tard|Retour prévu|En attendant/);
    }, TEST_NOW, kind));

  test('GIVEN an open incident WHEN a notice would open an identical one THEN it is refused with the open id and how to update it; --force opens it; other levels are not identical', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      const first = await bot.publishNotice(opening, admin, 'fr');
      assert.ok(first.ok);
      const id = first.notice.incident!.id;
      const again = await bot.publishNotice({ ...opening, text: { fr: 'Toujours inaccessible.' } }, admin, 'fr');
      assert.equal(again.ok, false);
      if (!again.ok) {
        assert.equal(again.openIncident, id);
        const error = again.errors.join('\n');
        assert.match(error, new RegExp(`déjà ouvert : « ${id} »`));
        assert.match(error, new RegExp(`« action: update » et « id: ${id} »`));
        assert.match(error, /--force/);
      }
      const preview = await bot.previewNotice({ ...opening, text: { fr: 'Toujours inaccessible.' } }, admin, 'en');
      assert.equal(preview.ok, false, 'the dry run says it too');
      if (!preview.ok) assert.match(preview.errors.join('\n'), new RegExp(`already open: “${id}”.*add --force`));
      assert.equal((await runtime.store.incidents.listOpen()).length, 1, 'nothing opened');
      assert.equal((await runtime.store.outbox.listNotices()).length, 1, 'nothing published');

      const other = await bot.publishNotice({ ...opening, levels: ['ecole'] }, admin, 'fr');
      assert.ok(other.ok, 'écoles only: another incident');
      const forced = await bot.publishNotice({ ...opening, text: { fr: 'Second incident voulu.' } }, admin, 'fr', { force: true });
      assert.ok(forced.ok, 'forced');
      assert.equal((await runtime.store.incidents.listOpen()).length, 3);
      const audit = await runtime.store.audit.list();
      assert.ok(audit.some((e) => e.action === 'notice.publish' && e.outcome === 'failed' && /déjà ouvert/.test(e.detail ?? '')), 'the refusal is audited');
    }, TEST_NOW, kind));

  test('GIVEN the same notice published twice with its key THEN the second is recognised (nothing new, same notice), not refused as a duplicate incident', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      await subscribeChannels(runtime.store, 2);
      const first = await bot.publishNotice(opening, admin, 'fr', { idempotencyKey: 'file:abc' });
      assert.ok(first.ok);
      const second = await bot.publishNotice(opening, admin, 'fr', { idempotencyKey: 'file:abc' });
      assert.ok(second.ok);
      assert.equal(second.duplicate, true);
      assert.equal(second.notice.id, first.notice.id);
      assert.match(second.reply.headline, new RegExp(`déjà été publié \\(${first.notice.id}\\)`));
      assert.equal((await runtime.store.outbox.listNotices()).length, 1);
      assert.equal((await runtime.store.outbox.listDeliveries()).length, 2);
    }, TEST_NOW, kind));
});

describeWithStores('admin incidents: no identical twin', (kind) => {
  const slackAdmin: Actor = { platform: 'slack', workspace: 'T1', user: 'U_ADMIN', name: 'Rectorat' };
  test('GIVEN an open incident WHEN a Slack admin opens the same one THEN refused with the id and the Slack way to update it; "open anyway" (force) opens it', () =>
    withStoreBot(async (bot) => {
      const input = { action: 'open', service: 'pronote', places: 'Haute-Garonne', textFr: 'Pronote est inaccessible.' };
      const first = await bot.applyIncident(input, slackAdmin, 'fr');
      assert.ok(first.ok);
      const again = await bot.applyIncident({ ...input, places: '31' }, slackAdmin, 'fr');
      assert.equal(again.ok, false, '"31" is the same place as "Haute-Garonne"');
      if (!again.ok) {
        assert.equal(again.duplicateOf, first.incident.id);
        assert.match(again.errors.join('\n'), /\/statut-admin, action « Mettre à jour un incident »/);
        assert.match(again.errors.join('\n'), /Ouvrir quand même/);
      }
      const discord = await bot.previewIncident(input, { platform: 'discord', user: '42' }, 'en');
      assert.equal(discord.ok, false);
      if (!discord.ok) assert.match(discord.errors.join('\n'), new RegExp(`/incident action:Update incident:${first.incident.id}.*force:True`));
      const forced = await bot.applyIncident({ ...input, force: true }, slackAdmin, 'fr');
      assert.ok(forced.ok);
      assert.notEqual(forced.incident.id, first.incident.id);
    }, TEST_NOW, kind));
});

test('GIVEN the fixture day WHEN the ENT is resolved at 17:30 THEN the answer at 18:00 reads restored, without the advice or the 17:00 recovery it had', () => {
  const answerer = createAnswerer({ content: fixtureContent(), gazetteer: fixtureGazetteer() });
  const q = { text: '', language: 'fr' as const, intent: 'eta' as const, service: 'ent', level: null, place: fixtureGazetteer().get('region', '76'), alternatives: [], unknownPlace: null, truncated: false };
  const before = answerer.answer(q, new IncidentIndex(replayScenario(fixtureScenario(), parisTime('12:00')), fixtureGazetteer()), parisTime('12:00'));
  assert.match(renderText(before), /Retour prévu : Prévu à 17 h/);
  const after = answerer.answer(q, new IncidentIndex(replayScenario(fixtureScenario(), parisTime('18:00')), fixtureGazetteer()), parisTime('18:00'));
  assert.equal(after.headline, '🟢 ENT : rétabli en Occitanie à 17 h 30');
  assert.doesNotMatch(renderText(after), /Retour prévu|Prévu|En attendant|fin de journée/);
});
