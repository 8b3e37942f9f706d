/**
 * Refusals as coded failures: what an admin's notice, incident form or import line gets
 * refused for carries a registered code and, when it is about one, the field; the text stays
 * what the admin reads. The Slack form places each failure by its field, not by its words.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot, sharedReference } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { admin, publisherOf } from '../delivery/helpers.js';
import { checkLine } from '../../src/subscriptions/transfer.js';
import { errorsByBlock, type ViewState } from '../../adapters/slack/admin-form.js';
import { ERROR_CODES, failure, type Failure } from '../../src/base/errors.js';

const pick = (failures: readonly Failure<unknown>[]) => failures.map((f) => [f.code, f.field ?? null]);

describe('coded refusals', () => {
  test('GIVEN a notice with an unknown service, an unknown place and no text THEN each failure has its code and field, and the texts are the errors the admin reads', () =>
    withStoreBot(async (bot) => {
      const outcome = await publisherOf(bot).preview({ services: ['moodle'], places: 'Atlantide' }, admin, 'fr');
      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.deepEqual(pick(outcome.failures), [
        ['INPUT_FIELD', 'text'],
        ['INPUT_UNKNOWN_SERVICE', 'services'],
        ['INPUT_UNKNOWN_PLACE', 'places'],
      ]);
      assert.deepEqual(outcome.errors, outcome.failures.map((f) => f.text));
      for (const f of outcome.failures) assert.ok(f.code in ERROR_CODES);
    }, TEST_NOW));

  test('GIVEN an open incident WHEN the same one is opened again THEN the refusal is INCIDENT_DUPLICATE_OPEN (callers branch on it, not on its words); an update of an unknown id is INCIDENT_UNKNOWN about the id', () =>
    withStoreBot(async (bot) => {
      const input = { action: 'open', service: 'pronote', places: 'Haute-Garonne', textFr: 'Pronote est inaccessible.' };
      assert.ok((await bot.applyIncident(input, admin, 'fr')).ok);
      const again = await bot.applyIncident(input, admin, 'en');
      assert.equal(again.ok, false);
      if (!again.ok) assert.deepEqual(pick(again.failures), [['INCIDENT_DUPLICATE_OPEN', null]]);
      const unknown = await bot.previewIncident({ action: 'update', id: 'nope', textFr: 'Toujours en panne.' }, admin, 'fr');
      assert.equal(unknown.ok, false);
      if (!unknown.ok) assert.deepEqual(pick(unknown.failures), [['INCIDENT_UNKNOWN', 'id']]);
    }, TEST_NOW));

  test('GIVEN import lines that are not JSON, miss a field, or name an unknown service and a swapped id THEN each problem is coded, about its field', () => {
    const { gazetteer, content } = sharedReference();
    const deps = { gazetteer, services: new Set(content.services.map((s) => s.id)), locate: () => ({ region: '', academie: '', departement: '' }), actor: 'test', now: new Date(TEST_NOW) };
    const problems = (line: string) => {
      const checked = checkLine(line, deps);
      return Array.isArray(checked) ? pick(checked) : [];
    };
    assert.deepEqual(problems('{oops'), [['INPUT_NOT_JSON', null]]);
    assert.deepEqual(problems('{"platform":"slack","workspace":"T024BE7LD","channel":"C024BE91L","place":"region:76","colour":"red"}'), [
      ['INPUT_FIELD', 'service'],
      ['INPUT_UNKNOWN_FIELDS', 'ligne'],
    ]);
    assert.deepEqual(problems('{"platform":"slack","workspace":"C024BE91L","channel":"C024BE91L","service":"moodle","place":"region:76"}'), [
      ['INPUT_BAD_ID', 'workspace'],
      ['INPUT_UNKNOWN_SERVICE', 'service'],
    ]);
  });
});

describe('the Slack form places failures by field', () => {
  const state = { 'action.1': {}, service: {}, places: {}, textFr: {} } as unknown as ViewState;
  test('GIVEN a failure about the places whose words name the service THEN it shows next to the places, not the service', () => {
    const out = errorsByBlock([failure('INPUT_UNKNOWN_PLACE', 'lieu inconnu « service public »', 'places')], state);
    assert.deepEqual(Object.keys(out), ['places']);
  });
  test('GIVEN a failure without a field, or a plain line THEN its words still place it, as before', () => {
    assert.deepEqual(Object.keys(errorsByBlock([failure('INCIDENT_DUPLICATE_OPEN', 'service : un incident identique est ouvert')], state)), ['service']);
    assert.deepEqual(Object.keys(errorsByBlock(['Vous ne pouvez pas faire cela.'], state)), ['action.1']);
  });
});
