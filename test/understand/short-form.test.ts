import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createUnderstander } from '../../src/understand/index.js';
import { sharedReference } from '../helpers/bot.js';

const { content, gazetteer } = sharedReference();
const reader = createUnderstander({ gazetteer, services: content.services });

describe('the short form "<service> <town>" (slash commands, quick messages)', () => {
  test('GIVEN towns whose names are ordinary words THEN right after a service name and ending the question they count', () => {
    for (const [text, code] of [
      ['ENT Nice', '06088'],
      ['ent nice', '06088'],
      ['pronote Tours ?', '37261'],
      ['ENT Lens', '62498'],
      ['ENT Valenciennes', '59606'],
    ] as const) {
      const q = reader.understand(text);
      assert.equal(q.place?.code, code, text);
      assert.equal(q.language, 'fr', `${text}: a place's name says nothing of the language`);
    }
  });

  test('GIVEN the same words elsewhere in a sentence THEN they are still not places', () => {
    assert.equal(reader.understand('le cned est nice').place, null);
    assert.equal(reader.understand('ENT nice and fast today').place, null);
  });
});
