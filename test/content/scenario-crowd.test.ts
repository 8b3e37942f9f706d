/**
 * The crowd timeline of a scenario (#15, item 7): its schema refuses malformed entries with an
 * error naming the entry and what was expected, and the loader checks services and places.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ContentError } from '../../src/base/errors.js';
import { scenarioFileSchema } from '../../src/content/schemas.js';
import { validateScenario } from '../../src/incidents/index.js';
import { loadCheckedScenario } from '../../src/runtime.js';
import { sharedReference } from '../helpers/bot.js';

const EVENT = {
  at: '09:00',
  action: 'open',
  incident: 'a',
  service: 'ent',
  scope: { places: [{ kind: 'region', code: '76' }] },
  title: { fr: 't', en: 't' },
  status: 'partial_outage',
  phase: 'identified',
  cause: 'overload',
  update: { text: { fr: 'a', en: 'b' }, source: { name: 's' } },
};
const LABEL = { fr: 'Signalements reconstitués.', en: 'Reconstructed reports.' };
const entry = (over: Record<string, unknown> = {}) => ({ at: '08:00', service: 'ent', place: 'region:76', reporters: 10, ...over });
const file = (crowd: unknown) => ({ id: 'x', title: { fr: 'x', en: 'x' }, date: '2020-03-17', events: [EVENT], crowd });
const crowd = (entries: unknown[], over: Record<string, unknown> = {}) => ({ reconstructed: true, label: LABEL, entries, ...over });

/** The schema's messages for a file, as "path: message" lines. */
function problems(crowdValue: unknown): string[] {
  const parsed = scenarioFileSchema.safeParse(file(crowdValue));
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function refused(crowdValue: unknown, path: string, message: RegExp): void {
  const found = problems(crowdValue);
  assert.ok(
    found.some((p) => p.startsWith(`${path}: `) && message.test(p)),
    `expected "${path}: ${message.source}", got:\n${found.join('\n') || '(accepted)'}`,
  );
}

describe('a scenario\'s crowd timeline: the schema', () => {
  test('GIVEN a well-formed timeline THEN it is read, places as { kind, code }; and a scenario without one is still valid', () => {
    const parsed = scenarioFileSchema.parse(file(crowd([entry(), entry({ at: '08:30', reporters: 0, note: 'stops' })])));
    assert.deepEqual(parsed.crowd?.entries[0], { at: '08:00', service: 'ent', place: { kind: 'region', code: '76' }, reporters: 10 });
    assert.equal(parsed.crowd?.entries[1]?.note, 'stops');
    assert.equal(scenarioFileSchema.parse({ ...file(undefined), crowd: undefined }).crowd, undefined);
  });

  test('GIVEN a place not written "kind:code" THEN the entry\'s place is refused with the expected form', () => {
    refused(crowd([entry({ place: 'Occitanie' }), entry({ at: '09:00', reporters: 0 })]), 'crowd.entries.0.place', /expected "kind:code".*"region:76"/);
    refused(crowd([entry({ place: 'planet:3' }), entry({ at: '09:00', reporters: 0 })]), 'crowd.entries.0.place', /kind one of national, region, academie, departement, commune/);
    refused(crowd([entry({ place: 'region:Occitanie' }), entry({ at: '09:00', reporters: 0 })]), 'crowd.entries.0.place', /"Occitanie" is not a region code \(such as "region:76"\)/);
  });

  test('GIVEN a count that is not a whole number of people from 0 to 10,000 THEN it is refused, saying what is expected', () => {
    const end = entry({ at: '09:00', reporters: 0 });
    refused(crowd([entry({ reporters: -3 }), end]), 'crowd.entries.0.reporters', /at least 0/);
    refused(crowd([entry({ reporters: 2.5 }), end]), 'crowd.entries.0.reporters', /whole number of people per 15 minutes/);
    refused(crowd([entry({ reporters: '20' }), end]), 'crowd.entries.0.reporters', /whole number of people per 15 minutes/);
    refused(crowd([entry({ reporters: 20_000 }), end]), 'crowd.entries.0.reporters', /at most 10,000 per 15 minutes/);
  });

  test('GIVEN a bad time, an unknown field or a missing service THEN the entry is refused at that field', () => {
    const end = entry({ at: '09:00', reporters: 0 });
    refused(crowd([entry({ at: '8h10' }), end]), 'crowd.entries.0.at', /a time such as "08:30"/);
    refused(crowd([entry({ count: 3 }), end]), 'crowd.entries.0', /count/);
    const noService = entry();
    delete (noService as Record<string, unknown>).service;
    refused(crowd([noService, end]), 'crowd.entries.0.service', /./);
  });

  test('GIVEN a timeline not said to be reconstructed, or without its label in both languages THEN it is refused', () => {
    const entries = [entry(), entry({ at: '09:00', reporters: 0 })];
    refused(crowd(entries, { reconstructed: undefined }), 'crowd.reconstructed', /a reconstruction, never observed data: write "reconstructed: true"/);
    refused(crowd(entries, { reconstructed: false }), 'crowd.reconstructed', /reconstructed: true/);
    refused(crowd(entries, { label: { fr: 'Reconstitué.' } }), 'crowd.label.en', /./);
    refused(crowd([]), 'crowd.entries', /./);
  });

  test('GIVEN entries out of order, a series that never ends, one starting at 0 or two entries at once THEN each is refused, naming the series', () => {
    refused(crowd([entry({ at: '09:00', reporters: 0 }), entry({ at: '08:00' })]), 'crowd.entries.1.at', /08:00 is earlier than the entry before it/);
    refused(crowd([entry(), entry({ at: '08:30', reporters: 20 })]), 'crowd.entries.1.reporters', /the last entry of ent at region:76 must be 0 reporters/);
    refused(crowd([entry({ reporters: 0 })]), 'crowd.entries.0.reporters', /ent at region:76 starts with 0 reporters/);
    refused(crowd([entry(), entry({ reporters: 5 }), entry({ at: '09:00', reporters: 0 })]), 'crowd.entries.1.at', /ent at region:76 has two entries at 08:00/);
    // Another series may share a time, and runs on its own.
    assert.deepEqual(problems(crowd([entry(), entry({ place: 'region:11' }), entry({ at: '09:00', reporters: 0 }), entry({ at: '09:00', place: 'region:11', reporters: 0 })])), []);
  });
});

describe('a scenario\'s crowd timeline: checked against services and places when loaded', () => {
  const { content, gazetteer } = sharedReference();
  const services = content.services.map((s) => s.id);

  test('GIVEN an unknown service or a place the gazetteer does not know THEN validateScenario names the entry', () => {
    const scenario = scenarioFileSchema.parse(
      file(crowd([entry({ service: 'myspace' }), entry({ place: 'departement:99' }), entry({ at: '09:00', service: 'myspace', reporters: 0 }), entry({ at: '09:00', place: 'departement:99', reporters: 0 })])),
    );
    const found = validateScenario(scenario, gazetteer, services);
    assert.ok(found.some((p) => p.startsWith('crowd.entries.0 (08:00 myspace region:76): unknown service "myspace"')), found.join('\n'));
    assert.ok(found.some((p) => p.startsWith('crowd.entries.1 (08:00 ent departement:99): unknown departement code "99"')), found.join('\n'));
  });

  test('GIVEN such a file THEN loading it stops with a ContentError naming the entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-crowd-'));
    try {
      const path = join(dir, 'bad-crowd.yaml');
      writeFileSync(path, stringify(file(crowd([entry({ place: 'region:99' }), entry({ at: '09:00', place: 'region:99', reporters: 0 })]))));
      assert.throws(() => loadCheckedScenario(path, content, gazetteer), (error: unknown) => error instanceof ContentError && /crowd\.entries\.0 .*unknown region code "99"/.test(error.message));
      writeFileSync(path, stringify(file(crowd([entry({ reporters: -1 }), entry({ at: '09:00', reporters: 0 })]))));
      assert.throws(() => loadCheckedScenario(path, content, gazetteer), (error: unknown) => error instanceof ContentError && /crowd\.entries\.0\.reporters/.test(error.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
