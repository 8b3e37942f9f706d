/**
 * Listings say what happened, in the words of answers: `/etapes` gives each step of the
 * replayed day with what was said then and who said it (no bare times), `/incidents` each
 * incident in effect (no raw codes). On the fixture day (stable words) and the shipped scenario.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { typeLines } from './typed.js';
import { createRuntime, FixedClock, type Language } from '../../../src/index.js';
import type { Scenario } from '../../../src/content/schemas.js';
import { loadCheckedScenario } from '../../../src/runtime.js';
import { scenarioTime } from '../../../src/incidents/index.js';
import { fixtureContent, fixtureGazetteer, fixtureScenario, parisTime } from '../../fixtures/load-fixtures.js';
import { sharedReference } from '../../helpers/bot.js';

/** Runs console commands on a replayed scenario at a Paris time; returns everything written. */
async function consoleOn(scenario: Scenario, reference: { content: ReturnType<typeof fixtureContent>; gazetteer: ReturnType<typeof fixtureGazetteer> }, at: Date, lines: string[], language: Language = 'fr'): Promise<string> {
  const clock = new FixedClock(at);
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario });
  const text = await typeLines(runtime.bot, clock, lines, language);
  await runtime.close();
  return text;
}

describe('console listings: the fixture day', () => {
  const fixture = { content: fixtureContent(), gazetteer: fixtureGazetteer() };

  test('GIVEN the clock at 12:00 WHEN /etapes THEN each step says what happened and who said it, in answer words; steps not reached are marked ◦', async () => {
    const out = await consoleOn(fixtureScenario(), fixture, parisTime('12:00'), ['/etapes']);
    const steps = out.split('\n').filter((l) => /^[•◦] /.test(l));
    assert.deepEqual(steps, [
      "• 08:15 — 🔴 ENT : panne majeure en Occitanie — Région Occitanie : « L'ENT est inaccessible pour les lycées. »",
      "• 09:00 — 🟠 CNED : panne partielle dans toute la France — Ministère de l'Éducation nationale : « Des attaques venues de l'étranger saturent les serveurs. »",
      '• 09:30 — 🟡 Visio : fonctionnement ralenti dans le 34 (Hérault) — Académie de Montpellier : « Les classes virtuelles sont lentes. »',
      '• 11:45 — 🟡 ENT : fonctionnement ralenti en Occitanie — Région Occitanie : « Capacité doublée, accès rétabli progressivement. »',
      "◦ 17:30 — 🟢 ENT : rétabli en Occitanie à 17 h 30 — Région Occitanie : « L'ENT fonctionne normalement. »",
      "◦ 18 mars, 07:00 — 🟢 CNED : rétabli dans toute la France à 7 h — Ministère de l'Éducation nationale : « Toutes les ressources du CNED sont disponibles. »",
    ]);
    assert.match(out, /Étapes du scénario « Journée de test », heure de Paris \(◦ : pas encore atteinte ; horloge : mardi 17 mars 2020 à 12:00\) :/);
  });

  test('GIVEN /etapes in English THEN the same steps in English', async () => {
    const out = await consoleOn(fixtureScenario(), fixture, parisTime('12:00'), ['/etapes'], 'en');
    assert.match(out, /^• 08:15 — 🔴 ENT: major outage in Occitanie — Région Occitanie: “The ENT is unreachable for lycées\.”$/m);
    assert.match(out, /^◦ 17:30 — 🟢 ENT: restored in Occitanie at 5:30 pm — Région Occitanie: “The ENT works normally\.”$/m);
  });

  test('GIVEN /incidents at 12:00 THEN one line each in the words of answers, no status or phase codes', async () => {
    const out = await consoleOn(fixtureScenario(), fixture, parisTime('12:00'), ['/incidents']);
    const lines = out.split('\n').filter((l) => l.startsWith('• '));
    assert.deepEqual(lines, [
      '• [DÉMO 17/03/2020] 🟠 CNED : panne partielle dans toute la France (depuis 9 h)',
      '• [DÉMO 17/03/2020] 🟡 ENT : fonctionnement ralenti en Occitanie (depuis 8 h 15)',
      '• [DÉMO 17/03/2020] 🟡 Visio : fonctionnement ralenti dans le 34 (Hérault) (depuis 9 h 30)',
    ]);
    assert.doesNotMatch(out, /degraded_performance|partial_outage|monitoring|identified|investigating/);
  });
});

describe('console listings: the shipped scenario', () => {
  test('GIVEN npm start at 10:00 WHEN /etapes THEN every step has words and a source, none is a bare time', async () => {
    const reference = sharedReference();
    const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
    const out = await consoleOn(scenario, reference, scenarioTime(scenario, '10:00'), ['/etapes']);
    const steps = out.split('\n').filter((l) => /^[•◦] /.test(l));
    // The report's three moments: the minister's morning statement, the communiqué of the day, the evening one.
    assert.ok(steps.length >= 3, out);
    for (const step of steps) assert.match(step, /^[•◦] \d\d:\d\d — [🔴🟠🟡🟢🔧] .+ : .+ — .+ : « .+ »$/u, step);
    assert.ok(steps.filter((s) => s.startsWith('•')).length > 0 && steps.filter((s) => s.startsWith('◦')).length > 0, 'reached and not yet reached');
    assert.doesNotMatch(out, /mardi 17 mars 2020, \d\d:\d\d$/m, 'no step is a bare date and time');
  });
});
