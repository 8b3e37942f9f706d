import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MODELS_FILE, modelsText, trainModels } from '../../scripts/models.js';
import { sharedReference } from '../helpers/reference.js';

// Slow suite (about 10 s of training): the shipped file is byte for byte what the corpus
// trains, so the models in the repository can always be rebuilt from it.
test('GIVEN the training split THEN npm run train writes exactly the shipped src/understand/models.json', () => {
  const { content, gazetteer } = sharedReference();
  const trained = modelsText(trainModels({ gazetteer, services: content.services }));
  assert.ok(trained === readFileSync(MODELS_FILE, 'utf8'), 'the shipped models are not what the corpus trains: run npm run train');
});
