import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR, loadYamlFile } from '../../src/content/load.js';
import { academiesFileSchema, servicesFileSchema } from '../../src/content/schemas.js';
import { Gazetteer } from '../../src/places/gazetteer.js';
import { loadCorpus } from '../corpus/load.js';
import { FIELDS, THRESHOLDS, describeCorpus, scoreCorpus } from '../corpus/score.js';
import { realUnderstander } from './helpers.js';

const { academies, regionAliases } = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'places', 'academies.yaml'), academiesFileSchema);
const { services } = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'services.yaml'), servicesFileSchema);
const corpus = loadCorpus({ gazetteer: new Gazetteer(academies, regionAliases), serviceIds: new Set(services.map((s) => s.id)) });

describe('understand: the labelled corpus', () => {
  test('GIVEN the corpus THEN it holds at least 500 questions, ~70% French, 60 traps and 40 follow-up pairs', () => {
    const c = describeCorpus(corpus);
    assert.ok(c.items >= 500, `${c.items} questions`);
    assert.ok(c.fr / c.items >= 0.6 && c.fr / c.items <= 0.8, `${c.fr} French of ${c.items}`);
    assert.ok(c.traps >= 60, `${c.traps} traps`);
    assert.ok(c.followUps >= 40, `${c.followUps} follow-up pairs`);
  });

  const score = scoreCorpus(realUnderstander(), corpus);
  for (const field of FIELDS) {
    test(`GIVEN the corpus THEN ${field} is right at least ${THRESHOLDS[field] * 100}% of the time`, () => {
      const misses = score.misses.filter((m) => m.field === field).map((m) => `${m.q} → expected ${m.expected}, got ${m.got}`);
      assert.ok(score.accuracy[field] >= THRESHOLDS[field], `${(score.accuracy[field] * 100).toFixed(1)}%; misses:\n${misses.join('\n')}`);
    });
  }
});
