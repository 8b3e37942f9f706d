import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAnswerer } from '../../src/answer/answerer.js';
import { decodeChoice } from '../../src/answer/choices.js';
import { renderFirstMessage } from '../../src/answer/render-text.js';
import { IncidentIndex } from '../../src/incidents/incident-index.js';
import { replayScenario } from '../../src/incidents/replay.js';
import { createUnderstander } from '../../src/understand/index.js';
import { modelsOfOdds } from './helpers.js';
import { fixtureContent, fixtureGazetteer, fixtureScenario, parisTime } from '../fixtures/load-fixtures.js';

const content = fixtureContent();
const gazetteer = fixtureGazetteer();
const serviceIds = new Set(content.services.map((s) => s.id));

const models = modelsOfOdds;

const at10 = parisTime('10:00');
const index = new IncidentIndex(replayScenario(fixtureScenario(), at10), gazetteer);
const answerer = createAnswerer({ content, gazetteer });

describe('understand: when unsure, show it', () => {
  test('GIVEN two intents nearly as likely THEN the likelier is read, with its confidence, and the other is offered', () => {
    // status e^1, eta e^0.5: eta is e^-0.5 ≈ 0.61 times as likely.
    const q = createUnderstander({ gazetteer, services: content.services, models: models({ status: 1, eta: 0.5 }) }).understand("des nouvelles de l'ENT à Toulouse ?");
    assert.equal(q.intent, 'status');
    assert.equal(q.otherIntent, 'eta');
    assert.ok(q.confidence! > 0.55 && q.confidence! < 0.65, String(q.confidence));
  });

  test('GIVEN one intent far likelier THEN no other reading is offered', () => {
    const q = createUnderstander({ gazetteer, services: content.services, models: models({ status: 3, eta: 0 }) }).understand("des nouvelles de l'ENT à Toulouse ?");
    assert.equal(q.intent, 'status');
    assert.equal(q.otherIntent, undefined);
    assert.ok(q.confidence! > 0.9);
  });

  test('GIVEN an unsure reading THEN the answer offers the other as one action that asks it, and the text surface shows it', () => {
    const reader = createUnderstander({ gazetteer, services: content.services, models: models({ status: 1, eta: 0.5 }) });
    const query = reader.understand("des nouvelles de l'ENT à Toulouse ?");
    const reply = answerer.answer(query, index, at10);
    const other = reply.actions.filter((a) => a.id === 'other');
    assert.equal(other.length, 1);
    assert.equal(other[0]!.label, 'Ou : quand est-ce que ça revient ?');
    // The action's value asks the same question about the same service and place, as the other intent.
    const asked = decodeChoice(other[0]!.value, gazetteer, serviceIds)!;
    assert.deepEqual([asked.intent, asked.service, asked.place?.name], ['eta', 'ent', 'Toulouse']);
    assert.match(renderFirstMessage(reply, { otherHint: '(tapez 0)' }), /↪ Ou : quand est-ce que ça revient \? \(tapez 0\)/);
  });

  test('GIVEN a sure reading THEN the answer offers no other reading', () => {
    const reader = createUnderstander({ gazetteer, services: content.services, models: models({ status: 3 }) });
    const reply = answerer.answer(reader.understand("des nouvelles de l'ENT à Toulouse ?"), index, at10);
    assert.equal(reply.actions.some((a) => a.id === 'other'), false);
  });

  test('GIVEN the same words read sure and unsure THEN each answer is its own (the offer is part of what is remembered)', () => {
    const unsure = createUnderstander({ gazetteer, services: content.services, models: models({ status: 1, cause: 0.6 }) }).understand("des nouvelles de l'ENT à Toulouse ?");
    const sure = createUnderstander({ gazetteer, services: content.services, models: models({ status: 3 }) }).understand("des nouvelles de l'ENT à Toulouse ?");
    assert.equal(answerer.answer(unsure, index, at10).actions.find((a) => a.id === 'other')?.label, 'Ou : pourquoi cette panne ?');
    assert.equal(answerer.answer(sure, index, at10).actions.some((a) => a.id === 'other'), false);
  });
});

describe('understand: names alone ask how things are', () => {
  test('GIVEN only names ("ent occitanie", "pronote 59", "the CNED in Lille") THEN a sure status question, whatever the model says', () => {
    const reader = createUnderstander({ gazetteer, services: content.services, models: models({ report: 3, status: 0 }) });
    // Places read by their short, SMS or district forms are names too.
    for (const text of ['ent occitanie', 'pronote 59', 'the CNED in Lille', "l'ENT à Toulouse", 'ent à toulouz', 'ent tlse', 'pronote ds le 93', 'ENT lycée Lyon 3e']) {
      const q = reader.understand(text);
      assert.equal(q.intent, 'status', text);
      assert.equal(q.confidence, 1, text);
      assert.equal(q.otherIntent, undefined, text);
    }
    assert.equal(reader.understand('ent occitanie en panne').intent, 'report', 'a word beyond the names: the model reads it');
  });
});
