import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderAtom } from '../../../src/web/feeds/atom.js';
import { incidentFeed, FEED_HISTORY_MS, type FeedSubject } from '../../../src/web/feeds/incident-feed.js';
import type { Incident } from '../../../src/incidents/index.js';
import { withStoreBot } from '../../helpers/bot.js';
import { TEST_NOW } from '../../helpers/clock.js';
import { admin, publisherOf } from '../../delivery/helpers.js';
import { atomSchemaCheck, demoIncidents, demoTime, el, INJECTIONS, place, testContext, xmllint, xpath } from './helpers.js';

const occitanieEnt: FeedSubject = { service: 'ent', place: place('region', '76') };
const france: FeedSubject = { service: null, place: place('national', 'FR') };

/** The feed of the demo at a Paris time, as a document. */
function demoFeed(hm: string, subject: FeedSubject, lang: 'fr' | 'en' = 'fr'): string {
  return renderAtom(incidentFeed(demoIncidents(hm), subject, lang, testContext(demoTime(hm))));
}

const entries = (xml: string) => Number(xpath(xml, `count(//${el('entry')})`));
const entryValue = (xml: string, n: number, ...path: string[]) => xpath(xml, `string((//${el('entry')})[${n}]/${el(...path)})`);
const entryLink = (xml: string, n: number, rel: string, attr = 'href') => xpath(xml, `string((//${el('entry')})[${n}]/${el('link')}[@rel='${rel}']/@${attr})`);

describe('Atom feeds of official updates', () => {
  test('GIVEN the demo at 19:00 WHEN the ENT feed of Occitanie is read THEN it is valid Atom with the two official updates, newest first, each with its source and link', () => {
    const xml = demoFeed('19:00', occitanieEnt);
    const check = atomSchemaCheck(xml);
    assert.ok(check.ok, check.output);
    assert.equal(xpath(xml, `string(/${el('feed')}/${el('title')})`), 'Vigie — ENT · Occitanie');
    assert.equal(xpath(xml, `string(/${el('feed')}/@xml:lang)`), 'fr');
    assert.equal(xpath(xml, `string(/${el('feed')}/${el('link')}[@rel='self']/@href)`), 'https://statut.example.fr/feed.atom?service=ent&place=region%3A76');
    assert.equal(xpath(xml, `string(/${el('feed')}/${el('link')}[@hreflang='en']/@href)`), 'https://statut.example.fr/en/feed.atom?service=ent&place=region%3A76');
    assert.equal(entries(xml), 2);
    // Newest first: the evening's "rétablies" (18:30 Paris), then the communiqué of the day.
    assert.equal(entryValue(xml, 1, 'updated'), '2020-03-17T17:30:00Z');
    assert.equal(entryValue(xml, 2, 'updated'), '2020-03-17T08:30:00Z');
    assert.match(entryValue(xml, 1, 'title'), /^ENT : ENT fortement ralentis, voire inaccessibles, en Occitanie — fonctionnement ralenti$/);
    assert.match(entryValue(xml, 2, 'title'), /— panne partielle$/);
    assert.equal(entryValue(xml, 1, 'author', 'name'), "Ministère de l'Éducation nationale");
    assert.equal(entryLink(xml, 1, 'via'), 'https://www.education.gouv.fr/');
    assert.equal(entryLink(xml, 1, 'alternate'), 'https://statut.example.fr/incident/ent-occitanie');
    const content = entryValue(xml, 2, 'content');
    assert.match(content, /^\[DÉMO 2020-03-17\]/, 'replayed data says so in every entry');
    assert.match(content, /fortement ralentis, voire inaccessibles ce matin/);
    // The communiqué of the day gives no hour: the entry says the day, never the replay point's minutes.
    assert.match(content, /Ministère de l'Éducation nationale, 17 mars 2020 :/);
    assert.doesNotMatch(content, /9 h 30/);
    assert.match(content, /Lieux : Occitanie\. Niveaux : collèges et lycées\./);
    assert.equal(xpath(xml, `string(/${el('feed')}/${el('updated')})`), '2020-03-17T17:30:00Z');
  });

  test('GIVEN the English feed THEN titles, texts and words are English, with the French feed as alternate', () => {
    const xml = demoFeed('19:00', occitanieEnt, 'en');
    assert.ok(atomSchemaCheck(xml).ok);
    assert.equal(xpath(xml, `string(/${el('feed')}/@xml:lang)`), 'en');
    assert.match(entryValue(xml, 1, 'title'), /^ENT: ENT portals heavily slowed, even unreachable, in Occitanie — degraded performance$/);
    assert.match(entryValue(xml, 2, 'content'), /heavily slowed, even unreachable this morning/);
    assert.equal(entryLink(xml, 1, 'alternate'), 'https://statut.example.fr/en/incident/ent-occitanie');
    assert.equal(xpath(xml, `string(/${el('feed')}/${el('link')}[@hreflang='fr']/@href)`), 'https://statut.example.fr/feed.atom?service=ent&place=region%3A76');
  });

  test('GIVEN a town (Nîmes) and all services THEN its feed has what applies from above (national, Occitanie) and nothing from other régions', () => {
    const xml = demoFeed('10:00', { service: null, place: place('commune', '30189') });
    assert.ok(atomSchemaCheck(xml).ok);
    const ids = Array.from({ length: entries(xml) }, (_, i) => entryValue(xml, i + 1, 'id'));
    const incidents = ids.map((id) => /:incident:([^:]+):/.exec(id)?.[1]).sort();
    assert.deepEqual(incidents, ['cned-ma-classe-a-la-maison', 'ent-occitanie', 'internet-operateurs', 'visio-perturbations']);
  });

  test('GIVEN the national feed at 10:00 and at 19:00 THEN entries only grow and keep their ids; before anything is said it is an empty, valid feed', () => {
    const morning = demoFeed('10:00', france);
    const evening = demoFeed('19:00', france);
    assert.equal(entries(morning), 7);
    assert.equal(entries(evening), 12);
    const idsOf = (xml: string) => new Set(Array.from({ length: entries(xml) }, (_, i) => entryValue(xml, i + 1, 'id')));
    const later = idsOf(evening);
    for (const id of idsOf(morning)) assert.ok(later.has(id), `${id} kept`);
    assert.ok([...later].every((id) => id.startsWith('tag:statut.example.fr,2026:incident:')));
    const dawn = demoFeed('07:00', france);
    assert.ok(atomSchemaCheck(dawn).ok, atomSchemaCheck(dawn).output);
    assert.equal(entries(dawn), 0);
    assert.equal(xpath(dawn, `string(/${el('feed')}/${el('updated')})`), demoTime('07:00').toISOString().replace('.000', ''));
  });

  test('GIVEN incidents resolved 31 days and 29 days ago THEN only the recent one stays in the feed', () => {
    const now = new Date('2026-03-10T09:00:00Z');
    const make = (id: string, resolvedDaysAgo: number): Incident => {
      const resolvedAt = new Date(now.getTime() - resolvedDaysAgo * 24 * 3600_000).toISOString();
      const startedAt = new Date(Date.parse(resolvedAt) - 3600_000).toISOString();
      const source = { name: 'Rectorat' };
      return {
        id, service: 'pronote', scope: { places: [{ kind: 'national', code: 'FR' }], levels: [] }, title: { fr: id, en: id }, status: 'operational', phase: 'resolved', cause: 'overload',
        startedAt, resolvedAt, expectedRecovery: null, advice: null,
        updates: [
          { at: startedAt, status: 'major_outage', phase: 'investigating', text: { fr: 'Panne.', en: 'Down.' }, source },
          { at: resolvedAt, status: 'operational', phase: 'resolved', text: { fr: 'Rétabli.', en: 'Back.' }, source },
        ],
      };
    };
    const ctx = testContext(now);
    assert.ok(FEED_HISTORY_MS === 30 * 24 * 3600_000);
    const xml = renderAtom(incidentFeed([make('old', 31), make('recent', 29)], france, 'fr', ctx));
    assert.equal(entries(xml), 2);
    assert.match(entryValue(xml, 1, 'title'), /recent — rétabli$/);
    assert.match(entryValue(xml, 2, 'title'), /recent — panne majeure$/);
  });

  test('GIVEN injection strings in an incident (title, texts, source, id) THEN the feed stays valid XML and carries them as text', () => {
    const now = new Date('2026-03-10T09:00:00Z');
    const ctx = testContext(now);
    const incidents: Incident[] = INJECTIONS.map((s, i) => ({
      id: `x ${i} ${s}`, service: 'ent', scope: { places: [{ kind: 'region', code: '76' }], levels: [] }, title: { fr: s, en: s }, status: 'major_outage', phase: 'investigating', cause: 'unknown',
      startedAt: new Date(now.getTime() - (i + 1) * 60_000).toISOString(), resolvedAt: null, expectedRecovery: null, advice: null,
      updates: [{ at: new Date(now.getTime() - (i + 1) * 60_000).toISOString(), status: 'major_outage', phase: 'investigating', text: { fr: s, en: s }, source: { name: s, url: 'https://example.org/?a=1&b="2"' } }],
    }));
    for (const lang of ['fr', 'en'] as const) {
      const xml = renderAtom(incidentFeed(incidents, occitanieEnt, lang, ctx));
      const check = atomSchemaCheck(xml);
      assert.ok(check.ok, check.output);
      assert.equal(xpath(xml, "count(//*[local-name()='script' or local-name()='svg' or local-name()='x'])"), '0');
      INJECTIONS.forEach((s, i) => {
        const kept = s.replace(/[\u0001\uD800]/g, '');
        assert.equal(entryValue(xml, i + 1, 'author', 'name'), kept);
        assert.ok(entryValue(xml, i + 1, 'title').includes(kept), entryValue(xml, i + 1, 'title'));
        assert.ok(entryValue(xml, i + 1, 'content').includes(kept));
        assert.equal(entryLink(xml, i + 1, 'via'), 'https://example.org/?a=1&b="2"');
      });
    }
  });

  test('GIVEN an admin opens then updates an incident with a notice (injected clock) THEN the store-backed feed lists both updates, the admin\'s words escaped', () =>
    withStoreBot(async (bot, clock) => {
      const title = INJECTIONS[0];
      const opened = await publisherOf(bot).publish(
        { services: ['ent'], places: 'Haute-Garonne', status: 'major_outage', title: { fr: title, en: 'Down' }, text: { fr: `Texte ${INJECTIONS[2]}`, en: 'Down.' }, source: { name: INJECTIONS[1] }, incident: { action: 'open' } },
        admin,
        'fr',
      );
      assert.ok(opened.ok, opened.ok ? '' : opened.errors.join('\n'));
      const id = opened.notice.incident!.id;
      clock.set(new Date(TEST_NOW.getTime() + 30 * 60_000));
      const updated = await publisherOf(bot).publish({ text: { fr: 'Ça revient.', en: 'Coming back.' }, status: 'degraded_performance', incident: { action: 'update', id } }, admin, 'fr');
      assert.ok(updated.ok, updated.ok ? '' : updated.errors.join('\n'));
      const ctx = testContext(clock.now());
      const xml = renderAtom(incidentFeed((await bot.incidents()).all(), { service: 'ent', place: place('commune', '31555') }, 'fr', ctx));
      assert.ok(atomSchemaCheck(xml).ok, atomSchemaCheck(xml).output);
      assert.equal(entries(xml), 2);
      assert.equal(entryValue(xml, 1, 'title'), `ENT : ${title} — fonctionnement ralenti`);
      assert.equal(entryValue(xml, 2, 'author', 'name'), INJECTIONS[1]);
      assert.match(entryValue(xml, 2, 'content'), /Texte \]\]><x\/>&amp; &lt;/);
      assert.equal(entryValue(xml, 1, 'updated'), new Date(TEST_NOW.getTime() + 30 * 60_000).toISOString().replace('.000', ''));
      assert.ok(xmllint(xml).ok);
    }));
});
