/**
 * Time is honest: every time in an answer is said relative to the reader's now (injected),
 * on the Paris clock, and an expected recovery that has passed is never read as a promise.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAnswerer } from '../../src/answer/answerer.js';
import { renderText } from '../../src/answer/render-text.js';
import { IncidentIndex } from '../../src/incidents/incident-index.js';
import { replayScenario } from '../../src/incidents/replay.js';
import type { Incident } from '../../src/incidents/schema.js';
import type { Actor, Inbound, Query, Reply } from '../../src/index.js';
import { fixtureContent, fixtureGazetteer, fixtureScenario, parisTime } from '../fixtures/load-fixtures.js';
import { withStoreBot } from '../helpers/bot.js';

const query = (q: Partial<Query>): Query => ({
  text: 'question',
  language: 'fr',
  intent: 'status',
  service: null,
  level: null,
  place: null,
  alternatives: [],
  unknownPlace: null,
  truncated: false,
  ...q,
});
const section = (reply: Reply, key: string) => reply.sections.find((s) => s.key === key)?.text ?? '';
const occitanie = () => fixtureGazetteer().get('region', '76')!;

/** The fixture day's incidents as known at `at`, answered at `now` (the reader's clock). */
function answerAt(q: Partial<Query>, now: Date, at: Date = now): Reply {
  return createAnswerer({ content: fixtureContent(), gazetteer: fixtureGazetteer() }).answer(query(q), new IncidentIndex(replayScenario(fixtureScenario(), at), fixtureGazetteer()), now);
}

describe('honest time: an expected recovery that has passed (demo scenario)', () => {
  test('GIVEN a recovery announced for 17:00 WHEN asked at 12:00 THEN it is a forecast; at 17:15 THEN "annoncé pour 17 h, sans nouvelle information depuis"', () => {
    const before = answerAt({ intent: 'eta', service: 'ent', place: occitanie() }, parisTime('12:00'));
    assert.equal(section(before, 'recovery'), 'Prévu à 17 h. Retour à la normale attendu en fin de journée.');
    const after = answerAt({ intent: 'eta', service: 'ent', place: occitanie() }, parisTime('17:15'));
    assert.equal(section(after, 'recovery'), 'Annoncé pour 17 h, sans nouvelle information depuis.');
    assert.doesNotMatch(renderText(after), /Prévu|fin de journée/, 'the stale promise is not repeated');
    const en = answerAt({ language: 'en', intent: 'eta', service: 'ent', place: occitanie() }, parisTime('17:15'));
    assert.equal(section(en, 'recovery'), 'Announced for 5:00 pm, no news since.');
  });

  test('GIVEN one index and one answerer WHEN the recovery time passes between two questions THEN the second answer changes (no stale memo)', () => {
    const answerer = createAnswerer({ content: fixtureContent(), gazetteer: fixtureGazetteer() });
    const index = new IncidentIndex(replayScenario(fixtureScenario(), parisTime('12:00')), fixtureGazetteer());
    const q = query({ intent: 'eta', service: 'ent', place: occitanie() });
    assert.match(section(answerer.answer(q, index, parisTime('16:59')), 'recovery'), /^Prévu à 17 h/);
    assert.equal(section(answerer.answer(q, index, parisTime('17:01')), 'recovery'), 'Annoncé pour 17 h, sans nouvelle information depuis.');
  });
});

describe('honest time: relative to the reader\'s day', () => {
  test('GIVEN an incident from yesterday THEN "depuis hier à 9 h", "Hier à 9 h" for its update and "hier, 9 h" for its source', () => {
    const reply = answerAt({ service: 'cned' }, parisTime('06:00', 18));
    assert.equal(section(reply, 'since'), 'Depuis hier à 9 h.');
    assert.match(section(reply, 'update'), /^Hier à 9 h, Ministère/);
    assert.equal(reply.source?.when, 'hier, 9 h');
    assert.match(renderText(reply), /📣 Ministère de l'Éducation nationale <https:\/\/www\.education\.gouv\.fr\/?> · hier, 9 h$/m);
    const en = answerAt({ language: 'en', service: 'cned' }, parisTime('06:00', 18));
    assert.equal(section(en, 'since'), 'Since yesterday at 9:00 am.');
    assert.equal(en.source?.when, 'yesterday, 9:00 am');
  });

  test('GIVEN an incident of 2020 read in December 2026 THEN every date carries its year', () => {
    const now = new Date('2026-12-01T10:00:00+01:00');
    const reply = answerAt({ service: 'cned' }, now, parisTime('10:00'));
    assert.equal(section(reply, 'since'), 'Depuis le 17 mars 2020 à 9 h.');
    assert.match(section(reply, 'update'), /^Le 17 mars 2020 à 9 h, Ministère/);
    assert.equal(reply.source?.when, '17 mars 2020, 9 h');
    const en = answerAt({ language: 'en', service: 'cned' }, now, parisTime('10:00'));
    assert.equal(section(en, 'since'), 'Since 17 March 2020, 9:00 am.');
  });

  test('GIVEN other incidents listed THEN each says since when relative to the reader ("depuis hier à 9 h")', () => {
    const reply = answerAt({ place: fixtureGazetteer().get('commune', '34172')! }, parisTime('06:00', 18), parisTime('10:00'));
    assert.match(section(reply, 'also_affected'), /\(depuis hier à 9 h\)/);
  });

  test('GIVEN a recovery expected tomorrow THEN "Prévu demain à 8 h"', () => {
    const incident: Incident = {
      id: 'pronote-lille',
      service: 'pronote',
      scope: { places: [{ kind: 'academie', code: 'lille' }], levels: [] },
      title: { fr: 'Pronote lent', en: 'Pronote slow' },
      status: 'partial_outage',
      phase: 'identified',
      cause: 'provider',
      startedAt: '2020-03-17T12:05:00.000Z',
      resolvedAt: null,
      expectedRecovery: { at: '2020-03-18T07:00:00.000Z', text: { fr: 'Demain matin.', en: 'Tomorrow morning.' } },
      advice: null,
      updates: [{ at: '2020-03-17T12:05:00.000Z', status: 'partial_outage', phase: 'identified', text: { fr: 'Lenteurs.', en: 'Slow.' }, source: { name: 'Rectorat de Lille' } }],
    };
    const answer = (language: 'fr' | 'en', now: Date) =>
      createAnswerer({ content: fixtureContent(), gazetteer: fixtureGazetteer() }).answer(query({ language, intent: 'eta', service: 'pronote' }), new IncidentIndex([incident], fixtureGazetteer()), now);
    assert.equal(section(answer('fr', parisTime('18:00')), 'recovery'), 'Prévu demain à 8 h. Demain matin.');
    assert.equal(section(answer('en', parisTime('18:00')), 'recovery'), 'Expected tomorrow at 8:00 am. Tomorrow morning.');
    assert.equal(section(answer('fr', parisTime('09:00', 18)), 'recovery'), 'Annoncé pour 8 h, sans nouvelle information depuis.');
    assert.equal(section(answer('fr', parisTime('09:00', 19)), 'recovery'), 'Annoncé pour hier à 8 h, sans nouvelle information depuis.');
  });
});

describe('honest time on live data (store, admin incidents)', () => {
  const admin: Actor = { platform: 'slack', workspace: 'T1', user: 'U_ADMIN', name: 'Rectorat de Toulouse' };
  const ask = (text: string): Inbound => ({ conversation: { platform: 'slack', workspace: 'T1', channel: 'C1', user: 'U2' }, text });

  test('GIVEN an admin announces a recovery at 18:00 WHEN 18:00 passes without news THEN answers say so, then say "hier" the next day', () =>
    withStoreBot(async (bot, clock) => {
      const opened = await bot.applyIncident({ action: 'open', service: 'ent', places: 'Occitanie', textFr: 'ENT inaccessible.', recoveryAt: '18:00', recoveryFr: 'Ce soir.' }, admin, 'fr');
      assert.ok(opened.ok);
      const early = await bot.ask(ask("quand l'ENT revient en Occitanie ?"));
      assert.match(early.reply.sections.find((s) => s.key === 'recovery')?.text ?? '', /^Prévu à 18 h\. Ce soir\.$/);
      clock.set(new Date('2020-03-17T18:30:00+01:00'));
      const late = await bot.ask(ask("quand l'ENT revient en Occitanie ?"));
      assert.equal(late.reply.sections.find((s) => s.key === 'recovery')?.text, 'Annoncé pour 18 h, sans nouvelle information depuis.');
      clock.set(new Date('2020-03-18T09:00:00+01:00'));
      const nextDay = await bot.ask(ask("quand l'ENT revient en Occitanie ?"));
      assert.equal(nextDay.reply.sections.find((s) => s.key === 'recovery')?.text, 'Annoncé pour hier à 18 h, sans nouvelle information depuis.');
      assert.equal(nextDay.reply.sections.find((s) => s.key === 'since')?.text, 'Depuis hier à 10 h.');
      assert.equal(nextDay.reply.source?.when, 'hier, 10 h');
    }, '2020-03-17T09:00:00Z'));
});

describe('honest time: times a source gave only roughly', () => {
  const scenario = () => {
    const s = fixtureScenario();
    // The fixture day, told as a report would: the ENT down "ce matin", back "demain matin".
    const events = [...s.events];
    const first = events.findIndex((e) => e.service === 'ent' && e.action === 'open');
    events[first] = { ...events[first]!, precision: 'morning' };
    return { ...s, events };
  };
  const ent = (): Incident => {
    const incident = replayScenario(scenario(), parisTime('12:00')).find((i) => i.service === 'ent')!;
    return { ...incident, expectedRecovery: { at: new Date(Date.parse(incident.startedAt) + 86_400_000).toISOString(), precision: 'morning', text: { fr: 'Selon la région.', en: 'According to the région.' } } };
  };
  const ask = (q: Partial<Query>, now: Date) =>
    createAnswerer({ content: fixtureContent(), gazetteer: fixtureGazetteer() }).answer(query({ service: 'ent', place: occitanie(), ...q }), new IncidentIndex([ent()], fixtureGazetteer()), now);

  test('GIVEN a start "ce matin" THEN "Depuis ce matin." that day, "Depuis hier matin." the next, with the date another year; never its minutes', () => {
    assert.equal(section(ask({}, parisTime('12:00')), 'since'), 'Depuis ce matin.');
    assert.equal(section(ask({ language: 'en' }, parisTime('12:00')), 'since'), 'Since this morning.');
    assert.equal(section(ask({}, parisTime('09:00', 18)), 'since'), 'Depuis hier matin.');
    assert.equal(section(ask({ language: 'en' }, parisTime('09:00', 18)), 'since'), 'Since yesterday morning.');
    const later = new Date('2026-12-01T10:00:00+01:00');
    assert.match(section(ask({}, later), 'since'), /^Depuis le \d+ mars 2020 au matin\.$/);
    assert.match(section(ask({ language: 'en' }, later), 'since'), /^Since the morning of \d+ March 2020\.$/);
  });

  test('GIVEN a recovery announced for "demain matin" THEN it reads as announced, and as passed without news once that morning is over', () => {
    assert.equal(section(ask({ intent: 'eta' }, parisTime('12:00')), 'recovery'), 'Annoncé pour demain matin. Selon la région.');
    assert.equal(section(ask({ intent: 'eta', language: 'en' }, parisTime('12:00')), 'recovery'), 'Announced for tomorrow morning. According to the région.');
    assert.equal(section(ask({ intent: 'eta' }, parisTime('11:30', 18)), 'recovery'), 'Annoncé pour ce matin. Selon la région.');
    assert.equal(section(ask({ intent: 'eta' }, parisTime('12:00', 18)), 'recovery'), 'Annoncé pour ce matin, sans nouvelle information depuis.');
    assert.equal(section(ask({ intent: 'eta', language: 'en' }, parisTime('09:00', 19)), 'recovery'), 'Announced for yesterday morning, no news since.');
  });
});
