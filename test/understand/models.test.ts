import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { INTENTS, LANGUAGES } from '../../src/base/types.js';
import type { ModelsFile } from '../../src/understand/index.js';
import { LinearModel } from '../../src/understand/linear-model.js';
import { trainLinear } from '../../src/understand/linear-training.js';
import { MODELS_FILE, TEST_DIR, TRAIN_DIRS, corpusItems, examplesOf, trainingFiles, trainingHash, wordReader } from '../../scripts/models.js';
import { sharedReference } from '../helpers/reference.js';
import { describeIntents, intentBarFailures, intentReport, scoreCorpus, SPLIT_BARS } from '../corpus/score.js';
import { loadCorpus } from '../corpus/load.js';
import { realUnderstander } from './helpers.js';

const { content, gazetteer } = sharedReference();
const deps = { gazetteer, services: content.services };
const shipped = JSON.parse(readFileSync(MODELS_FILE, 'utf8')) as ModelsFile;
const train = corpusItems(TRAIN_DIRS, deps);
const held = corpusItems([TEST_DIR], deps);
const norm = (q: string) => q.trim().toLowerCase();

describe('understand: the corpus and its split', () => {
  test('GIVEN the corpus THEN it holds ≥ 3,000 messages, ~70% French, every intent well represented, and a test split of ≥ 600', () => {
    const all = [...train, ...held];
    assert.ok(all.length >= 3000, `${all.length} messages`);
    assert.ok(held.length >= 600, `${held.length} in the test split`);
    const fr = all.filter((i) => i.lang === 'fr').length / all.length;
    assert.ok(fr >= 0.6 && fr <= 0.8, `${(fr * 100).toFixed(1)}% French`);
    const count = (intent: string) => all.filter((i) => i.intents[0] === intent).length;
    for (const [intent, min] of [['report', 250], ['advice', 150], ['subscribe', 150], ['unsubscribe', 100], ['help', 100]] as const) {
      assert.ok(count(intent) >= min, `${intent}: ${count(intent)} < ${min}`);
    }
  });

  test('GIVEN the test split THEN none of its messages is in a training file', () => {
    const trained = new Set(train.map((i) => norm(i.q)));
    const leaked = held.filter((i) => trained.has(norm(i.q))).map((i) => `${i.q} (${i.where})`);
    assert.deepEqual(leaked, []);
  });
});

describe('understand: the shipped models', () => {
  test('GIVEN the training files THEN the shipped models record exactly them, unchanged since (names and SHA-256; the slow suite retrains and compares the weights)', () => {
    const files = trainingFiles();
    assert.deepEqual(shipped.trainedOn.files, files, 'the training files changed: run npm run train');
    assert.equal(shipped.trainedOn.sha256, trainingHash(files), 'a training file changed: run npm run train');
    assert.deepEqual(shipped.intent.classes, [...INTENTS]);
    assert.deepEqual(shipped.language.classes, [...LANGUAGES]);
  });

  test('GIVEN the same examples twice THEN training writes the same bytes; other examples give other weights', () => {
    const some = examplesOf(train.slice(0, 400), wordReader(deps)).intent;
    const a = trainLinear(some, INTENTS, { buckets: 1 << 12, epochs: 3 });
    const b = trainLinear(some, INTENTS, { buckets: 1 << 12, epochs: 3 });
    assert.equal(JSON.stringify(a), JSON.stringify(b));
    const c = trainLinear(some.slice(1), INTENTS, { buckets: 1 << 12, epochs: 3 });
    assert.notEqual(c.weights, a.weights);
    // What it learnt reads its own examples mostly right (a model that learnt nothing reads ~1 in 9).
    const model = new LinearModel(a);
    const right = some.filter((e) => model.classify(e.input)[0]!.label === e.label).length;
    assert.ok(right / some.length > 0.8, `${right}/${some.length}`);
  });
});

describe('understand: the held-out test split (issue #14 bars)', () => {
  const understander = realUnderstander();
  const corpus = loadCorpus({ gazetteer, serviceIds: new Set(content.services.map((s) => s.id)), dir: TEST_DIR });
  const score = scoreCorpus(understander, corpus, SPLIT_BARS.fields);
  const report = intentReport(understander, corpus.questions);
  for (const [field, bar] of Object.entries(SPLIT_BARS.fields)) {
    test(`GIVEN messages never trained on THEN ${field} is right at least ${(bar * 100).toFixed(1)}% of the time`, () => {
      const accuracy = score.accuracy[field as keyof typeof score.accuracy];
      const misses = score.misses.filter((m) => m.field === field).map((m) => `${m.q} → expected ${m.expected}, got ${m.got}`);
      assert.ok(accuracy >= bar, `${(accuracy * 100).toFixed(1)}%; misses:\n${misses.join('\n')}`);
    });
  }
  test(`GIVEN messages never trained on THEN every intent's recall is ≥ ${SPLIT_BARS.recall * 100}% and report precision ≥ ${SPLIT_BARS.reportPrecision * 100}%`, () => {
    assert.deepEqual(intentBarFailures(report), [], describeIntents(report, INTENTS).join('\n'));
  });
});
