import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR, loadYamlFile } from '../../src/content/load.js';
import { messagesFileSchema } from '../../src/content/schemas.js';
import { createTemplates, joinList, placeholdersOf, tidy } from '../../src/content/templates.js';
import { CAUSES, LEVELS, PHASES, STATUSES } from '../../src/base/types.js';

const fr = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'messages', 'fr.yaml'), messagesFileSchema);
const en = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'messages', 'en.yaml'), messagesFileSchema);

describe('content/messages', () => {
  test('GIVEN fr.yaml and en.yaml THEN they have the same keys', () => {
    assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  });

  test('GIVEN a French template THEN every placeholder it uses exists in the English one', () => {
    for (const [key, text] of Object.entries(fr)) {
      const missing = placeholdersOf(text).filter((p) => !placeholdersOf(en[key] ?? '').includes(p));
      assert.deepEqual(missing, [], key);
    }
  });

  test('GIVEN every status, phase, cause and level THEN both languages have words for it', () => {
    const keys = [
      ...STATUSES.map((s) => `status.${s}`),
      ...PHASES.map((p) => `phase.${p}`),
      ...CAUSES.map((c) => `cause.${c}`),
      ...LEVELS.map((l) => `level.${l}`),
    ];
    for (const key of keys) {
      assert.ok(fr[key], `fr ${key}`);
      assert.ok(en[key], `en ${key}`);
    }
  });
});

describe('templates', () => {
  const templates = createTemplates({ fr: { a: 'Depuis {time}, {who}.', 'list.pair': '{a} et {b}', 'list.separator': ', ' }, en: { a: 'Since {time}.' } });

  test('GIVEN values THEN placeholders are filled, and a missing value stays visible', () => {
    assert.equal(templates.t('fr', 'a', { time: '8 h', who: 'la région' }), 'Depuis 8 h, la région.');
    assert.equal(templates.t('fr', 'a', { time: '8 h' }), 'Depuis 8 h, {who}.');
  });

  test('GIVEN a key missing in English THEN French is used; unknown keys come back as the key', () => {
    assert.equal(templates.t('en', 'list.pair', { a: 'x', b: 'y' }), 'x et y');
    assert.equal(templates.t('en', 'nope'), 'nope');
  });

  test('GIVEN lists of one, two and three THEN they read as a sentence', () => {
    assert.equal(joinList(templates, 'fr', ['a']), 'a');
    assert.equal(joinList(templates, 'fr', ['a', 'b']), 'a et b');
    assert.equal(joinList(templates, 'fr', ['a', 'b', 'c']), 'a, b et c');
  });

  test('GIVEN an empty placeholder THEN tidy removes the stray spaces, keeping French spacing before "?"', () => {
    assert.equal(tidy('en', 'Is ENT down ?'), 'Is ENT down?');
    assert.equal(tidy('fr', 'ENT en panne  ?'), 'ENT en panne ?');
  });
});
