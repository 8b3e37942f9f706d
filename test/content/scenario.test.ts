import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR, loadScenario, loadYamlFile } from '../../src/content/load.js';
import { academiesFileSchema, type ScenarioEvent } from '../../src/content/schemas.js';
import { Gazetteer } from '../../src/places/gazetteer.js';

const CORE_SERVICES = ['ent', 'cned', 'visio', 'pronote', 'educonnect', 'internet'];

/** Minutes since the scenario's midnight: "+1 08:00" → 1920. */
function minutes(at: string): number {
  const match = /^(?:\+(\d+) )?(\d{2}):(\d{2})$/.exec(at);
  assert.ok(match, `bad time ${at}`);
  return Number(match[1] ?? 0) * 1440 + Number(match[2]) * 60 + Number(match[3]);
}

/** Each incident's latest fields after replaying events up to `until` (minutes), the way an update overrides. */
function replay(events: ScenarioEvent[], until = Infinity): Map<string, Partial<ScenarioEvent>> {
  const state = new Map<string, Partial<ScenarioEvent>>();
  for (const event of events) {
    if (minutes(event.at) > until) break;
    const merged: Record<string, unknown> = { ...state.get(event.incident) };
    for (const [key, value] of Object.entries(event)) if (value !== undefined) merged[key] = value;
    state.set(event.incident, merged as Partial<ScenarioEvent>);
  }
  return state;
}

describe('content/scenarios/2020-03-17.yaml', () => {
  const scenario = loadScenario('2020-03-17');
  const { academies, regionAliases } = loadYamlFile(
    join(DEFAULT_CONTENT_DIR, 'places', 'academies.yaml'),
    academiesFileSchema,
  );
  const gazetteer = new Gazetteer(academies, regionAliases);

  test('GIVEN the shipped scenario THEN it loads, is anchored on 17 March 2020 in Paris and replays the report\'s three moments (morning, the day, the evening)', () => {
    assert.equal(scenario.date, '2020-03-17');
    assert.equal(scenario.timezone, 'Europe/Paris');
    assert.ok(scenario.events.length >= 10 && scenario.events.length <= 25, `${scenario.events.length} events`);
    assert.deepEqual([...new Set(scenario.events.map((e) => e.precision))], ['morning', 'day', 'evening']);
  });

  test('GIVEN every event THEN its places exist in the gazetteer and its service is a core one', () => {
    for (const [i, event] of scenario.events.entries()) {
      for (const place of event.scope?.places ?? []) {
        assert.ok(gazetteer.get(place.kind, place.code), `events.${i}: unknown place ${place.kind}:${place.code}`);
      }
      if (event.service !== undefined) assert.ok(CORE_SERVICES.includes(event.service), `events.${i}: service ${event.service}`);
    }
  });

  test('GIVEN the timeline THEN times never go back and each incident opens, with everything it needs, before any update', () => {
    const opened = new Set<string>();
    let last = -1;
    for (const [i, event] of scenario.events.entries()) {
      assert.ok(minutes(event.at) >= last, `events.${i} at ${event.at} comes before the previous event`);
      last = minutes(event.at);
      if (event.action === 'open') {
        assert.ok(!opened.has(event.incident), `events.${i}: ${event.incident} opened twice`);
        for (const field of ['service', 'scope', 'title', 'status', 'phase', 'cause'] as const) {
          assert.notEqual(event[field], undefined, `events.${i}: open without ${field}`);
        }
        opened.add(event.incident);
      } else {
        assert.ok(opened.has(event.incident), `events.${i}: ${event.action} of ${event.incident} before it opens`);
      }
    }
  });

  test('GIVEN every text THEN it is written in French and in English, not copied from one to the other', () => {
    for (const [i, event] of scenario.events.entries()) {
      for (const text of [event.title, event.advice, event.update.text, event.expectedRecovery?.text]) {
        if (text) assert.notEqual(text.fr, text.en, `events.${i}: same text in both languages`);
      }
      assert.ok(event.update.source.name.length > 0);
    }
  });

  test('GIVEN 10:30 THEN the CNED is disrupted by a cyberattack for every level and ENT are down in the four régions', () => {
    const state = replay(scenario.events, minutes('10:30'));
    const cned = [...state.values()].find((e) => e.service === 'cned');
    assert.equal(cned?.cause, 'cyberattack');
    assert.equal(cned?.scope?.places[0]?.kind, 'national');
    assert.deepEqual([...(cned?.scope?.levels ?? [])].sort(), ['college', 'ecole', 'lycee']);
    const entRegions = [...state.values()]
      .filter((e) => e.service === 'ent' && e.status === 'partial_outage')
      .flatMap((e) => e.scope?.places ?? [])
      .map((p) => `${p.kind}:${p.code}`)
      .sort();
    assert.deepEqual(entRegions, ['region:11', 'region:32', 'region:44', 'region:76']);
    const internet = [...state.values()].find((e) => e.service === 'internet');
    assert.equal(internet?.cause, 'network_operator');
  });

  test('GIVEN the evening THEN ENT are back but slow (monitoring) and CNED and ENT expect the next morning', () => {
    const state = replay(scenario.events);
    const ents = [...state.values()].filter((e) => e.service === 'ent');
    assert.equal(ents.length, 4);
    for (const ent of ents) {
      assert.equal(ent.phase, 'monitoring', ent.incident);
      assert.equal(ent.status, 'degraded_performance', ent.incident);
      assert.equal(ent.cause, 'overload', ent.incident);
      assert.match(ent.expectedRecovery?.at ?? '', /^\+1 /, ent.incident);
    }
    const cned = [...state.values()].find((e) => e.service === 'cned');
    assert.equal(cned?.expectedRecovery?.at, '+1 08:00');
    assert.equal(cned?.expectedRecovery?.precision, 'morning', '"dès demain matin", not 8:00');
  });
});
