import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCap, type CapAlert } from '../../../src/web/feeds/cap.js';
import { capAlerts, capUrl, noticeMessage, replayedMessages } from '../../../src/web/feeds/cap-alerts.js';
import { capIndexFeed } from '../../../src/web/feeds/cap-index.js';
import { renderAtom } from '../../../src/web/feeds/atom.js';
import { capTime } from '../../../src/web/feeds/times.js';
import { withStoreBot } from '../../helpers/bot.js';
import { TEST_NOW } from '../../helpers/clock.js';
import { admin, publisherOf } from '../../delivery/helpers.js';
import { atomSchemaCheck, capSchemaCheck, demoIncidents, demoTime, el, INJECTIONS, readCap, testContext, xpath } from './helpers.js';

/** The demo's alerts at a Paris time. */
function demoAlerts(hm: string) {
  return capAlerts(demoIncidents(hm).flatMap(replayedMessages), testContext(demoTime(hm)));
}

describe('CAP 1.2 alerts', () => {
  test('GIVEN the demo day THEN each official update is a valid CAP Exercise that @dec112/cap-ts reads back, one info per language', async () => {
    const alerts = demoAlerts('23:00');
    assert.equal(alerts.length, 12);
    for (const { alert } of alerts) {
      const xml = renderCap(alert);
      const check = capSchemaCheck(xml);
      assert.ok(check.ok, `${alert.identifier}: ${check.output}`);
      const read = await readCap(xml);
      assert.equal(read.status, 'Exercise', 'replayed data is never an Actual alert');
      assert.match(read.note ?? '', /\[DÉMO 2020-03-17\] \/ \[DEMO 2020-03-17\]/);
      assert.equal(read.scope, 'Public');
      assert.equal(read.sender, 'vigie@statut.example.fr');
      assert.match(read.sent, /^2020-03-17T\d\d:\d\d:00\+01:00$/);
      assert.deepEqual(read.infos.map((i) => i.language), ['fr-FR', 'en-US']);
      for (const info of read.infos) {
        assert.deepEqual(info.categories, ['Infra']);
        assert.equal(info.certainty, 'Observed');
        assert.equal(info.severity, 'Minor');
        assert.equal(info.urgency, 'Immediate');
        assert.deepEqual(info.responseTypes, ['Monitor']);
        assert.ok(info.areas.length > 0 && info.areas.every((a) => a.areaDesc.length > 0 && a.geocodes.length === 1));
      }
    }
  });

  test('GIVEN the ENT in Occitanie THEN its first alert is an Alert and its evening update an Update referring to it, with the official words, places and codes', async () => {
    const alerts = demoAlerts('23:00').filter((a) => a.message.incident === 'ent-occitanie');
    assert.equal(alerts.length, 2);
    const [first, second] = await Promise.all(alerts.map((a) => readCap(renderCap(a.alert))));
    assert.equal(first!.msgType, 'Alert');
    assert.equal(first!.references, undefined);
    assert.equal(first!.sent, '2020-03-17T09:30:00+01:00');
    assert.equal(second!.msgType, 'Update');
    assert.equal(second!.references, `vigie@statut.example.fr,${first!.identifier},2020-03-17T09:30:00+01:00`);
    assert.equal(second!.incidents, 'ent-occitanie');
    const [fr, en] = first!.infos;
    assert.equal(fr!.event, 'ENT : panne partielle');
    assert.equal(en!.event, 'ENT: partial outage');
    assert.equal(fr!.headline, 'ENT fortement ralentis, voire inaccessibles, en Occitanie');
    assert.equal(en!.headline, 'ENT portals heavily slowed, even unreachable, in Occitanie');
    assert.match(fr!.description ?? '', /fortement ralentis, voire inaccessibles ce matin/);
    assert.equal(fr!.senderName, "Ministère de l'Éducation nationale");
    assert.equal(fr!.web, 'https://www.education.gouv.fr/');
    assert.deepEqual(fr!.areas, [{ areaDesc: 'Occitanie', geocodes: [['INSEE-REG', '76']] }]);
    assert.deepEqual(fr!.parameters, { 'vigie-status': 'partial_outage', 'vigie-phase': 'identified', 'vigie-levels': 'college lycee' });
    assert.deepEqual(fr!.eventCodes, [['vigie-service', 'ent']]);
    // The expected recovery is the incident's latest: said with its latest update only.
    assert.doesNotMatch(fr!.description ?? '', /Retour prévu/);
    assert.match(second!.infos[0]!.description ?? '', /Retour prévu : .*dès mercredi matin/);
    assert.match(second!.infos[1]!.description ?? '', /Expected back: .*from Wednesday morning/);
    // The national CNED alert is for France.
    const cned = await readCap(renderCap(demoAlerts('10:00').find((a) => a.message.incident === 'cned-ma-classe-a-la-maison')!.alert));
    assert.deepEqual(cned.infos[0]!.areas, [{ areaDesc: 'France', geocodes: [['ISO3166-1', 'FR']] }]);
    assert.equal(cned.infos[0]!.senderName, "Jean-Michel Blanquer, ministre de l'Éducation nationale");
  });

  test('GIVEN the same moment in winter, in summer and in UTC THEN CAP times have whole seconds and an explicit offset, never "Z"', () => {
    assert.equal(capTime('2020-03-17T08:30:00.500Z'), '2020-03-17T09:30:00+01:00');
    assert.equal(capTime('2026-07-01T08:30:00Z'), '2026-07-01T10:30:00+02:00');
    assert.equal(capTime('2026-07-01T08:30:00Z', 'UTC'), '2026-07-01T08:30:00-00:00');
    assert.equal(capTime('2026-07-01T08:30:00Z', 'America/Guadeloupe'), '2026-07-01T04:30:00-04:00');
  });

  describe('the schema (written from the CAP 1.2 specification) rejects what CAP forbids', () => {
    const good = renderCap(demoAlerts('10:00')[0]!.alert);
    const cases: [string, (xml: string) => string, RegExp][] = [
      ['a wrong order (status before sent)', (x) => x.replace(/(<sent>[^<]*<\/sent>)\s*(<status>[^<]*<\/status>)/, '$2$1'), /status|sent/],
      ['an unknown urgency', (x) => x.replace(/<urgency>Immediate</g, '<urgency>Soon<'), /Soon/],
      ['an unknown status', (x) => x.replace('<status>Exercise<', '<status>Demo<'), /Demo/],
      ['a date in UTC with "Z"', (x) => x.replace(/<sent>([^<]*)\+01:00</, '<sent>$1Z<'), /sent/],
      ['a date with fractional seconds', (x) => x.replace(/<sent>([^<]*)\+01:00</, '<sent>$1.250+01:00<'), /sent/],
      ['an identifier with a space', (x) => x.replace(/<identifier>([^<]*)</, '<identifier>$1 x<'), /identifier/],
      ['a missing event', (x) => x.replace(/<event>[^<]*<\/event>/, ''), /event|urgency/],
      ['a foreign element', (x) => x.replace('<scope>Public</scope>', '<scope>Public</scope><colour>red</colour>'), /colour/],
    ];
    test('GIVEN the alert untouched THEN it validates', () => assert.ok(capSchemaCheck(good).ok, capSchemaCheck(good).output));
    for (const [what, change, message] of cases) {
      test(`GIVEN ${what} THEN xmllint --schema refuses it`, () => {
        const bad = change(good);
        assert.notEqual(bad, good, 'the change applied');
        const check = capSchemaCheck(bad);
        assert.equal(check.ok, false);
        assert.match(check.output, message);
      });
    }
  });

  test('GIVEN no xmllint on the machine THEN the schema checks fail with a clear message, never skip', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      assert.throws(() => capSchemaCheck('<alert/>'), /xmllint is not installed.*libxml2-utils/);
    } finally {
      process.env.PATH = path;
    }
  });

  test('GIVEN an identifier with a comma THEN rendering refuses it (it would break references)', () => {
    const alert: CapAlert = { ...demoAlerts('10:00')[0]!.alert, identifier: 'a,b' };
    assert.throws(() => renderCap(alert), /comma/);
  });

  test('GIVEN admins publish open, update and resolve notices (injected clock) THEN the alerts are Actual: Alert, Update and an all-clear Update referring to the earlier ones; a notice without incident is its own Alert', () =>
    withStoreBot(async (bot, clock) => {
      const publish = async (input: unknown) => {
        const outcome = await publisherOf(bot).publish(input, admin, 'fr');
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.join('\n'));
        return outcome.notice;
      };
      const opened = await publish({
        services: ['ent'], places: 'Haute-Garonne, Nîmes', levels: ['college'], status: 'major_outage', phase: 'investigating',
        title: { fr: "L'ENT est inaccessible", en: 'The ENT is down' }, text: { fr: 'Panne générale.', en: 'General outage.' },
        source: { name: 'Conseil départemental', url: 'https://www.haute-garonne.fr/' },
        incident: { action: 'open', cause: 'overload', advice: { fr: 'Réessayez après 17 h.', en: 'Try again after 5 pm.' } },
      });
      const id = opened.incident!.id;
      clock.advance(20 * 60_000);
      await publish({ text: { fr: 'Ça revient doucement.', en: 'Slowly coming back.' }, status: 'degraded_performance', phase: 'monitoring', incident: { action: 'update', id } });
      clock.advance(20 * 60_000);
      await publish({ text: { fr: 'Rétabli.', en: 'Restored.' }, incident: { action: 'resolve', id } });
      clock.advance(5 * 60_000);
      await publish({ services: ['*'], places: 'national', text: { fr: 'Rappel : pas de devoirs en ligne ce soir.', en: 'Reminder: no online homework tonight.' } });

      const notices = await bot.publishedNotices();
      assert.equal(notices.length, 4);
      const alerts = capAlerts(notices.map(noticeMessage), testContext(clock.now()));
      const read = await Promise.all(alerts.map(({ alert }) => {
        const xml = renderCap(alert);
        const check = capSchemaCheck(xml);
        assert.ok(check.ok, check.output);
        return readCap(xml);
      }));
      assert.deepEqual(read.map((r) => [r.status, r.msgType]), [['Actual', 'Alert'], ['Actual', 'Update'], ['Actual', 'Update'], ['Actual', 'Alert']]);
      assert.equal(read[0]!.sent, capTime(TEST_NOW));
      assert.equal(read[1]!.references, `${read[0]!.sender},${read[0]!.identifier},${read[0]!.sent}`);
      assert.equal(read[2]!.references, `${read[0]!.sender},${read[0]!.identifier},${read[0]!.sent} ${read[1]!.sender},${read[1]!.identifier},${read[1]!.sent}`);
      assert.equal(read[3]!.references, undefined);
      const [open, update, resolve, standalone] = read.map((r) => r.infos[0]!);
      assert.equal(open!.urgency, 'Immediate');
      assert.equal(open!.instruction, 'Réessayez après 17 h.');
      assert.equal(read[0]!.infos[1]!.instruction, 'Try again after 5 pm.');
      assert.equal(open!.web, 'https://www.haute-garonne.fr/');
      assert.deepEqual(open!.areas.map((a) => [a.areaDesc, a.geocodes[0]]), [['Haute-Garonne', ['INSEE-DEP', '31']], ['Nîmes', ['INSEE-COM', '30189']]]);
      assert.equal(open!.event, 'ENT : panne majeure');
      assert.equal(update!.event, 'ENT : fonctionnement ralenti');
      assert.deepEqual([resolve!.event, resolve!.urgency, resolve!.responseTypes, resolve!.instruction], ['ENT : rétabli', 'Past', ['AllClear'], undefined]);
      assert.deepEqual([standalone!.event, standalone!.certainty, standalone!.severity, standalone!.urgency], ['tous les services : avis officiel', 'Unknown', 'Unknown', 'Unknown']);
      assert.equal(standalone!.web, 'https://statut.example.fr/');

      // The index lists them newest first, each linking to its alert.
      const index = renderAtom(capIndexFeed(alerts, 'fr', testContext(clock.now())));
      assert.ok(atomSchemaCheck(index).ok, atomSchemaCheck(index).output);
      assert.equal(xpath(index, `count(//${el('entry')})`), '4');
      assert.equal(xpath(index, `string((//${el('entry')})[1]/${el('link')}/@href)`), capUrl('https://statut.example.fr', notices[3]!.id));
      assert.equal(xpath(index, `string((//${el('entry')})[1]/${el('link')}/@type)`), 'application/cap+xml');
      assert.match(xpath(index, `string((//${el('entry')})[4]/${el('title')})`), /^L'ENT est inaccessible \(Alert\)$/);
    }));

  test('GIVEN injection strings in a notice\'s title, texts and source THEN the alert is valid CAP and cap-ts reads them back as text', () =>
    withStoreBot(async (bot) => {
      for (const s of INJECTIONS) {
        const outcome = await publisherOf(bot).publish(
          { services: ['pronote'], places: 'Lille', status: 'partial_outage', title: { fr: s, en: s }, text: { fr: `« ${s} »`, en: s }, source: { name: s } },
          admin,
          'fr',
        );
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.join('\n'));
      }
      const alerts = capAlerts((await bot.publishedNotices()).map(noticeMessage), testContext(TEST_NOW));
      assert.equal(alerts.length, INJECTIONS.length);
      for (const { alert, message } of alerts) {
        const xml = renderCap(alert);
        const check = capSchemaCheck(xml);
        assert.ok(check.ok, check.output);
        assert.equal(xpath(xml, "count(//*[local-name()='script' or local-name()='svg' or local-name()='x'])"), '0');
        const read = await readCap(xml);
        const kept = message.title!.fr.replace(/[\u0001\uD800]/g, '');
        assert.equal(read.infos[0]!.headline, kept);
        assert.equal(read.infos[0]!.senderName, message.source.name.replace(/[\u0001\uD800]/g, ''));
        assert.equal(read.infos[1]!.description, message.text.en.replace(/[\u0001\uD800]/g, ''));
      }
    }));
});
