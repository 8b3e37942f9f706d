import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateScenario } from '../../src/incidents/validate-scenario.js';
import type { ScenarioEvent } from '../../src/content/schemas.js';
import { fixtureContent, fixtureGazetteer, fixtureScenario } from '../fixtures/load-fixtures.js';

const ids = () => fixtureContent().services.map((s) => s.id);
const update = { text: { fr: 'x', en: 'x' }, source: { name: 'Test' } };

describe('validateScenario', () => {
  test('GIVEN the fixture day THEN there is no problem', () => {
    assert.deepEqual(validateScenario(fixtureScenario(), fixtureGazetteer(), ids()), []);
  });

  test('GIVEN an unknown service and an unknown place THEN both are named with the event index', () => {
    const s = fixtureScenario();
    const first = s.events[0] as ScenarioEvent;
    first.service = 'moodle';
    first.scope = { places: [{ kind: 'departement', code: '99' }], levels: [] };
    const problems = validateScenario(s, fixtureGazetteer(), ids());
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /^events\.0 .*unknown service "moodle"/);
    assert.match(problems[1] ?? '', /^events\.0 .*departement code "99"/);
  });

  test('GIVEN an update before open, an open twice and events out of order THEN each is listed', () => {
    const s = fixtureScenario();
    s.events.unshift({ at: '07:00', action: 'update', incident: 'cned-attack', update });
    s.events.push({ ...(s.events[2] as ScenarioEvent), at: '20:00' });
    s.events.push({ ...(s.events[1] as ScenarioEvent), at: '06:00' });
    const problems = validateScenario(s, fixtureGazetteer(), ids());
    assert.ok(problems.some((p) => /^events\.0 .*before it is opened/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /^events\.7 .*opened twice/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /^events\.8 .*out of order/.test(p)), problems.join('\n'));
  });

  test('GIVEN an open without its status and cause THEN the missing fields are named', () => {
    const s = fixtureScenario();
    s.events.push({ at: '+1 08:00', action: 'open', incident: 'new-one', service: 'ent', update });
    const problems = validateScenario(s, fixtureGazetteer(), ids());
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /events\.6 .*open needs scope, title, status, phase, cause/);
  });

  test('GIVEN a resolve of an already resolved incident THEN it is a problem', () => {
    const s = fixtureScenario();
    s.events.push({ at: '+1 09:00', action: 'resolve', incident: 'ent-occitanie', update });
    assert.match(validateScenario(s, fixtureGazetteer(), ids()).join('\n'), /events\.6 .*already resolved/);
  });

  test('GIVEN an unknown time zone THEN it is the problem reported', () => {
    const s = { ...fixtureScenario(), timezone: 'Europe/Atlantis' };
    assert.deepEqual(validateScenario(s, fixtureGazetteer(), ids()), ['timezone: unknown time zone "Europe/Atlantis"']);
  });
});
