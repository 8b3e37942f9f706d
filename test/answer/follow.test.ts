import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAnswerer } from '../../src/answer/answerer.js';
import { renderText } from '../../src/answer/render-text.js';
import { IncidentIndex } from '../../src/incidents/incident-index.js';
import { replayScenario } from '../../src/incidents/replay.js';
import { createUnderstander } from '../../src/understand/index.js';
import type { Reply } from '../../src/base/types.js';
import { fixtureContent, fixtureGazetteer, fixtureScenario, parisTime } from '../fixtures/load-fixtures.js';

const content = fixtureContent();
const gazetteer = fixtureGazetteer();
const answerer = createAnswerer({ content, gazetteer });
const reader = createUnderstander({ gazetteer, services: content.services });

function ask(text: string, channel: boolean, locale?: string): Reply {
  const now = parisTime('10:00');
  const index = new IncidentIndex(replayScenario(fixtureScenario(), now), gazetteer);
  return answerer.answer(reader.understand(text, { locale }), index, now, { channel });
}

describe('subscribing from a question ("préviens-moi quand le CNED revient")', () => {
  test('GIVEN a Slack or Discord channel THEN one "Suivre dans ce salon" action for the service, everywhere when no place is named', () => {
    const reply = ask('préviens-moi quand le CNED revient', true);
    assert.equal(reply.kind, 'subscribe');
    assert.equal(reply.headline, '🔔 Suivre CNED dans toute la France');
    assert.deepEqual(reply.actions, [{ id: 'subscribe', label: 'Suivre dans ce salon', value: 'cned national:FR' }]);
  });

  test('GIVEN a place named THEN the action follows the service there; in English too', () => {
    assert.deepEqual(ask("prévenez-moi quand l'ENT remarche en Occitanie", true).actions.map((a) => a.value), ['ent region:76']);
    const en = ask('notify me when CNED is back', true, 'en');
    assert.deepEqual(en.actions, [{ id: 'subscribe', label: 'Follow in this channel', value: 'cned national:FR' }]);
  });

  test('GIVEN the console (no channel to subscribe) THEN it says plainly that subscriptions are for Slack and Discord channels, with no action', () => {
    for (const text of ['préviens-moi quand le CNED revient', 'préviens-moi']) {
      const reply = ask(text, false);
      assert.deepEqual(reply.actions, [], text);
      assert.match(renderText(reply), /Les abonnements sont pour les salons Slack et Discord/, text);
    }
    assert.match(renderText(ask('notify me when CNED is back', false, 'en')), /Subscriptions are for Slack and Discord channels/);
  });
});
