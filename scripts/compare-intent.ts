/**
 * `npm run eval:compare`: compares intent readers on the same words: the phrase rules Vigie
 * used before (src/understand/intent.ts), the linear model (linear-model.ts) and NLP.js
 * (@nlpjs/nlp, a neural chatbot NLU). Five-fold cross-validation on the training split
 * (what chooses), then each trained on the whole training split and read on the test split
 * (what is reported). Both trained readers get the understander's masked words.
 */
import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { LangFr } from '@nlpjs/lang-fr';
import { LangEn } from '@nlpjs/lang-en';
import { INTENTS, type Intent } from '../src/base/types.js';
import { loadReferenceData } from '../src/runtime.js';
import { detectIntent } from '../src/understand/intent.js';
import { tokenize } from '../src/base/text.js';
import { LinearModel, type ModelInput } from '../src/understand/linear-model.js';
import { trainLinear, type TrainOptions } from '../src/understand/linear-training.js';
import type { CorpusItem } from '../test/corpus/load.js';
import { intentReportOf } from '../test/corpus/score.js';
import { TEST_DIR, TRAIN_DIRS, corpusItems, wordReader } from './models.js';

const { content, gazetteer } = loadReferenceData();
const deps = { gazetteer, services: content.services };
const reader = wordReader(deps);
const train = corpusItems(TRAIN_DIRS, deps);
const test = corpusItems([TEST_DIR], deps);

interface Row { item: CorpusItem; input: ModelInput | null }
const rows = (items: CorpusItem[]): Row[] => items.map((item) => ({ item, input: reader.modelInput(item.q, { locale: item.lang }) }));
/** An attempt to steer the bot and nothing else is read by the exact rule, whatever the reader. */
const ruled = (row: Row, predict: (input: ModelInput) => Intent | Promise<Intent>) => (row.input ? predict(row.input) : 'unknown');
const trainRows = rows(train);
const testRows = rows(test);

type Predict = (row: Row) => Intent | Promise<Intent>;
type Trainer = (rows: Row[]) => Promise<Predict>;

async function score(predict: Predict, rows: Row[]) {
  const read = new Map<CorpusItem, Intent>();
  for (const row of rows) read.set(row.item, await predict(row));
  const report = intentReportOf(rows.map((r) => r.item), (item) => read.get(item)!);
  return {
    accuracy: report.correct / Math.max(1, report.total),
    minRecall: Math.min(...report.perIntent.filter((r) => r.support > 0).map((r) => r.recall)),
    reportPrecision: report.perIntent.find((r) => r.intent === 'report')?.precision ?? 0,
  };
}

const rules: Trainer = async () => (row) => {
  const q = reader.understand(row.item.q);
  const words = tokenize(q.text).map((t) => t.norm);
  return detectIntent({
    words: words.join(' '),
    asks: q.text.includes('?'),
    topical: q.service !== null || q.place !== null || q.level !== null || q.unknownPlace !== null,
    count: words.length,
  });
};

const linear = (options: TrainOptions): Trainer => async (rows) => {
  const model = new LinearModel(trainLinear(rows.flatMap((r) => (r.input ? [{ input: r.input, label: r.item.intents[0]! }] : [])), INTENTS, options));
  return (row) => ruled(row, (input) => model.classify(input)[0]!.label as Intent);
};

// NLP.js reads text: masks become plain words it can stem.
const nlpText = (input: ModelInput) => input.words.map((w) => (w.startsWith('§') ? `x${w.slice(1)}x` : w)).join(' ');
const nlpjs: Trainer = async (rows) => {
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangFr);
  container.use(LangEn);
  const nlp = container.get('nlp');
  nlp.settings.autoSave = false;
  nlp.settings.log = false;
  nlp.addLanguage('fr');
  nlp.addLanguage('en');
  for (const r of rows) if (r.input) nlp.addDocument(r.item.lang, nlpText(r.input) || 'x', r.item.intents[0]!);
  // NLP.js prints every training epoch: kept out of the comparison's output.
  const log = console.log;
  console.log = () => {};
  try {
    await nlp.train();
  } finally {
    console.log = log;
  }
  return (row) =>
    ruled(row, async (input) => {
      const result = await nlp.process(row.item.lang, nlpText(input) || 'x');
      return (INTENTS as readonly string[]).includes(result.intent) ? (result.intent as Intent) : 'unknown';
    });
};

const FOLDS = 5;
async function crossValidate(trainer: Trainer) {
  const parts = { accuracy: 0, minRecall: 0, reportPrecision: 0 };
  for (let f = 0; f < FOLDS; f++) {
    const fit = trainRows.filter((_, i) => i % FOLDS !== f);
    const held = trainRows.filter((_, i) => i % FOLDS === f);
    const s = await score(await trainer(fit), held);
    parts.accuracy += s.accuracy / FOLDS;
    parts.minRecall += s.minRecall / FOLDS;
    parts.reportPrecision += s.reportPrecision / FOLDS;
  }
  return parts;
}

const only = process.argv.slice(2);
const readers: [string, Trainer][] = [
  ['rules (phrase lists, before #14)', rules],
  ['linear (word + char n-grams, defaults)', linear({})],
  ['NLP.js 4 (@nlpjs/nlp, neural)', nlpjs],
];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`Training split: ${trainRows.length} messages; test split: ${testRows.length}`);
for (const [name, trainer] of readers) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  const started = performance.now();
  const cv = await crossValidate(trainer);
  const final = await score(await trainer(trainRows), testRows);
  console.log(
    `${name}\n  5-fold CV on train: intent ${pct(cv.accuracy)}, lowest recall ${pct(cv.minRecall)}, report precision ${pct(cv.reportPrecision)}` +
      `\n  test split:         intent ${pct(final.accuracy)}, lowest recall ${pct(final.minRecall)}, report precision ${pct(final.reportPrecision)}  (${Math.round(performance.now() - started)} ms)`,
  );
}
