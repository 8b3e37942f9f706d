import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { replayScenario } from '../../src/incidents/replay.js';
import { incidentSchema } from '../../src/incidents/schema.js';
import { fixtureScenario, parisTime } from '../fixtures/load-fixtures.js';

const byId = (at: Date) => new Map(replayScenario(fixtureScenario(), at).map((i) => [i.id, i]));

describe('replayScenario', () => {
  test('GIVEN a time before the first event THEN no incident exists', () => {
    assert.deepEqual(replayScenario(fixtureScenario(), parisTime('08:14')), []);
  });

  test('GIVEN the exact time of the first event THEN that incident is open as written', () => {
    const ent = byId(parisTime('08:15')).get('ent-occitanie');
    assert.ok(ent);
    assert.equal(ent.status, 'major_outage');
    assert.equal(ent.phase, 'investigating');
    assert.equal(ent.cause, 'overload');
    assert.equal(ent.startedAt, '2020-03-17T07:15:00.000Z');
    assert.equal(ent.resolvedAt, null);
    assert.equal(ent.scenario, 'test-day');
    assert.deepEqual(ent.scope, { places: [{ kind: 'region', code: '76' }], levels: ['lycee'] });
    assert.equal(ent.updates.length, 1);
  });

  test('GIVEN mid-morning THEN the three opened incidents are there and valid incidents', () => {
    const incidents = replayScenario(fixtureScenario(), parisTime('10:00'));
    assert.deepEqual(incidents.map((i) => i.id).sort(), ['cned-attack', 'ent-occitanie', 'visio-herault']);
    for (const i of incidents) assert.equal(incidentSchema.safeParse(i).success, true, i.id);
  });

  test('GIVEN a time after an update THEN the update changed the fields and joined the timeline', () => {
    const ent = byId(parisTime('12:00')).get('ent-occitanie');
    assert.ok(ent);
    assert.equal(ent.status, 'degraded_performance');
    assert.equal(ent.phase, 'monitoring');
    assert.equal(ent.cause, 'overload', 'fields the update does not name stay');
    assert.equal(ent.expectedRecovery?.at, '2020-03-17T16:00:00.000Z');
    assert.deepEqual(ent.updates.map((u) => [u.at, u.status]), [
      ['2020-03-17T07:15:00.000Z', 'major_outage'],
      ['2020-03-17T10:45:00.000Z', 'degraded_performance'],
    ]);
  });

  test('GIVEN a time after resolve THEN the incident is operational, resolved, with resolvedAt', () => {
    const ent = byId(parisTime('18:00')).get('ent-occitanie');
    assert.ok(ent);
    assert.equal(ent.status, 'operational');
    assert.equal(ent.phase, 'resolved');
    assert.equal(ent.resolvedAt, '2020-03-17T16:30:00.000Z');
    assert.equal(ent.updates.at(-1)?.text.fr, "L'ENT fonctionne normalement.");
    assert.equal(byId(parisTime('18:00')).get('cned-attack')?.resolvedAt, null, 'the CNED is resolved only the next day');
  });

  test('GIVEN the next morning THEN the "+1" event has resolved the CNED incident', () => {
    assert.equal(byId(parisTime('07:00', 18)).get('cned-attack')?.phase, 'resolved');
  });

  test('GIVEN two replays THEN they share no object (a replay cannot alter another)', () => {
    const scenario = fixtureScenario();
    const a = replayScenario(scenario, parisTime('12:00'));
    a[0]?.updates.push({ ...a[0].updates[0]! });
    const b = replayScenario(scenario, parisTime('12:00'));
    assert.notEqual(a[0]?.updates.length, b[0]?.updates.length);
    assert.equal(scenario.events[0]?.title?.fr, 'ENT inaccessible en Occitanie');
  });

  test('GIVEN an update that sets a phase after resolve THEN the incident is reopened', () => {
    const scenario = fixtureScenario();
    scenario.events.push({
      at: '19:00',
      action: 'update',
      incident: 'ent-occitanie',
      status: 'partial_outage',
      phase: 'investigating',
      update: { text: { fr: 'Nouvelle panne.', en: 'Down again.' }, source: { name: 'Région Occitanie' } },
    });
    const ent = replayScenario(scenario, parisTime('19:30')).find((i) => i.id === 'ent-occitanie');
    assert.equal(ent?.resolvedAt, null);
    assert.equal(ent?.status, 'partial_outage');
  });
});
