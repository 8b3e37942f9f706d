import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAnswerer } from '../../src/answer/answerer.js';
import { CHOICE_PREFIX, decodeChoice, encodeChoice } from '../../src/answer/choices.js';
import { renderText } from '../../src/answer/render-text.js';
import { IncidentIndex } from '../../src/incidents/incident-index.js';
import { replayScenario } from '../../src/incidents/replay.js';
import type { Scenario } from '../../src/content/schemas.js';
import { createUnderstander } from '../../src/understand/index.js';
import type { Reply } from '../../src/base/types.js';
import { fixtureContent, fixtureGazetteer, fixtureScenario, parisTime } from '../fixtures/load-fixtures.js';

const content = fixtureContent();
const gazetteer = fixtureGazetteer();
const answerer = createAnswerer({ content, gazetteer });
const reader = createUnderstander({ gazetteer, services: content.services });
const serviceIds = new Set(content.services.map((s) => s.id));

/** The fixture day, plus the ENT down in Seine-Saint-Denis from 8:30 when `ent93` is set. */
function scenario(ent93: boolean): Scenario {
  const s = fixtureScenario();
  if (ent93) {
    s.events.push({
      at: '08:30',
      action: 'open',
      incident: 'ent-93',
      service: 'ent',
      scope: { places: [{ kind: 'departement', code: '93' }], levels: [] },
      title: { fr: 'ENT en panne en Seine-Saint-Denis', en: 'ENT down in Seine-Saint-Denis' },
      status: 'major_outage',
      phase: 'investigating',
      cause: 'unknown',
      update: { text: { fr: "L'ENT ne répond plus.", en: 'The ENT does not answer.' }, source: { name: 'Département de la Seine-Saint-Denis' } },
    } as Scenario['events'][number]);
    s.events.sort((a, b) => a.at.localeCompare(b.at));
  }
  return s;
}

/** Asks like a person (the real understander), at 10:00 on the fixture day. */
function ask(text: string, opts: { ent93?: boolean; locale?: string; hhmm?: string } = {}): Reply {
  const now = parisTime(opts.hhmm ?? '10:00');
  const index = new IncidentIndex(replayScenario(scenario(opts.ent93 ?? false), now), gazetteer);
  const query = decodeChoice(text, gazetteer, serviceIds) ?? reader.understand(text, { locale: opts.locale });
  return answerer.answer(query, index, now);
}
const section = (reply: Reply, key: string) => reply.sections.find((s) => s.key === key)?.text ?? '';
const choices = (reply: Reply) => reply.actions.filter((a) => a.id === 'choose');

describe('ambiguity said: towns of the same name', () => {
  test('GIVEN the ENT down in Saint-Denis (93) only WHEN asked "ENT à Saint-Denis ?" THEN Vigie asks which Saint-Denis, each with its state', () => {
    const reply = ask('ENT à Saint-Denis ?', { ent93: true });
    assert.equal(reply.kind, 'clarify');
    assert.equal(reply.headline, '❓ Quel Saint-Denis ?');
    const lines = section(reply, 'choices').split('\n');
    // Every Saint-Denis, each with its own state (the Aude and the Gard are in Occitanie, whose ENT is down too).
    assert.deepEqual(lines, [
      '1. Saint-Denis (La Réunion) — ⚪ aucun incident signalé',
      '2. Saint-Denis (Seine-Saint-Denis) — 🔴 ENT : panne majeure dans le 93 (Seine-Saint-Denis)',
      '3. Saint-Denis (Aude) — 🔴 ENT : panne majeure en Occitanie',
      '4. Saint-Denis (Gard) — 🔴 ENT : panne majeure en Occitanie',
    ]);
    assert.deepEqual(choices(reply).map((a) => a.label), ['Saint-Denis (La Réunion)', 'Saint-Denis (Seine-Saint-Denis)', 'Saint-Denis (Aude)', 'Saint-Denis (Gard)']);
    assert.ok(choices(reply).every((a) => a.value.startsWith(CHOICE_PREFIX) && a.value.length <= 100));
    // Never the "all clear" of one of them with the other hidden underneath.
    assert.doesNotMatch(renderText(reply), /🟢/);
  });

  test('GIVEN the choice question WHEN each choice is taken THEN the answer is for that town and names it', () => {
    const [reunion, seineSaintDenis] = choices(ask('ENT à Saint-Denis ?', { ent93: true }));
    const a93 = ask(seineSaintDenis!.value, { ent93: true });
    assert.equal(a93.kind, 'incidents');
    assert.deepEqual(a93.incidents.slice(0, 1), ['ent-93']);
    const a974 = ask(reunion!.value, { ent93: true });
    assert.equal(a974.kind, 'no_information');
    assert.match(a974.headline, /Saint-Denis \(La Réunion\)/);
    assert.deepEqual(a974.actions.filter((a) => a.id === 'choose'), []);
  });

  test('GIVEN the same state in every Saint-Denis THEN the answer is given at once and names the town and the others', () => {
    const reply = ask('Pronote à Saint-Denis ?', { ent93: true });
    assert.equal(reply.kind, 'no_information');
    assert.match(reply.headline, /à Saint-Denis \(La Réunion\)/);
    assert.match(section(reply, 'same_answer'), /Saint-Denis \(Seine-Saint-Denis\)/);
    assert.deepEqual(choices(reply), []);
  });

  test('GIVEN the question in English THEN the choice is asked in English', () => {
    const reply = ask('is the ENT down in Saint-Denis?', { ent93: true, locale: 'en' });
    assert.equal(reply.headline, '❓ Which Saint-Denis?');
    assert.match(section(reply, 'choices'), /^1\. Saint-Denis \(La Réunion\) — ⚪ no incident reported$/m);
  });

  test('GIVEN a homonym named with its département THEN no question is asked', () => {
    const reply = ask('ENT à Saint-Denis (93) ?', { ent93: true });
    assert.equal(reply.kind, 'incidents');
    assert.deepEqual(reply.incidents.slice(0, 1), ['ent-93']);
  });
});

describe('ambiguity said: no service, no place, no context', () => {
  test('GIVEN three incidents in effect WHEN asked "quand ça revient ?" THEN each is one short line and Vigie asks which one', () => {
    const reply = ask('quand ça revient ?');
    assert.equal(reply.kind, 'clarify');
    assert.equal(reply.headline, '❓ 3 incidents en cours : lequel vous intéresse ?');
    const lines = section(reply, 'choices').split('\n');
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l, i) => l.startsWith(`${i + 1}. `) && l.length < 90), lines.join('\n'));
    assert.ok(lines.some((l) => /ENT/.test(l)) && lines.some((l) => /CNED/.test(l)) && lines.some((l) => /[Vv]isio/.test(l)));
    assert.equal(choices(reply).length, 3);
  });

  test('GIVEN the choice WHEN the CNED is taken THEN the answer is the CNED\'s, for the question asked (when)', () => {
    const cned = choices(ask('quand ça revient ?')).find((a) => /CNED/.test(a.label));
    assert.ok(cned);
    const reply = ask(cned.value);
    assert.equal(reply.kind, 'incidents');
    assert.deepEqual(reply.incidents.slice(0, 1), ['cned-attack']);
    assert.equal(reply.sections[0]?.key, 'recovery');
  });

  test('GIVEN a cause word WHEN asked "qui a fait la cyberattaque ?" THEN the incident with that cause is answered', () => {
    const reply = ask('qui a fait la cyberattaque ?');
    assert.equal(reply.kind, 'incidents');
    assert.deepEqual(reply.incidents.slice(0, 1), ['cned-attack']);
    assert.match(reply.headline, /CNED/);
  });

  test('GIVEN the same question in English THEN the list and the cause word work in English', () => {
    assert.equal(ask('when will it be back?', { locale: 'en' }).headline, '❓ 3 incidents in effect: which one do you mean?');
    assert.deepEqual(ask('who is behind the cyberattack?', { locale: 'en' }).incidents.slice(0, 1), ['cned-attack']);
  });

  test('GIVEN one incident in effect THEN it is answered without a question', () => {
    const reply = ask('quand ça revient ?', { hhmm: '08:45' });
    assert.equal(reply.kind, 'incidents');
    assert.deepEqual(reply.incidents.slice(0, 1), ['ent-occitanie']);
  });

  test('GIVEN a context (a service named) THEN no question is asked', () => {
    assert.equal(ask('quand revient le cned ?').kind, 'incidents');
  });
});

describe('choice tokens', () => {
  test('GIVEN a token THEN it reads back as the same question; a forged or broken one is no question', () => {
    const token = encodeChoice({ language: 'en', intent: 'eta', service: 'ent', level: 'lycee', place: { kind: 'commune', code: '93066' } });
    const q = decodeChoice(token, gazetteer, serviceIds);
    assert.equal(q?.language, 'en');
    assert.equal(q?.intent, 'eta');
    assert.equal(q?.service, 'ent');
    assert.equal(q?.level, 'lycee');
    assert.equal(q?.place?.name, 'Saint-Denis');
    for (const bad of [
      `${CHOICE_PREFIX}fr:eta:nope:*:commune:93066`,
      `${CHOICE_PREFIX}fr:eta:ent:*:commune:00000`,
      `${CHOICE_PREFIX}de:eta:ent:*:*:*`,
      `${CHOICE_PREFIX}fr:dance:ent:*:*:*`,
      `${CHOICE_PREFIX}fr:eta`,
      'quand ça revient ?',
    ]) assert.equal(decodeChoice(bad, gazetteer, serviceIds), null, bad);
  });
});
