/**
 * What trains Vigie's models (src/understand/models.json): the training split of the corpus
 * (corpus/train/) and the older labelled questions (test/corpus/), read by the real
 * understander into the words the models see. The test split (corpus/test/) is never read
 * here: only `npm run eval` and the test that holds the bar read it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTENTS, LANGUAGES } from '../src/base/types.js';
import type { Gazetteer } from '../src/places/gazetteer.js';
import type { Service } from '../src/content/schemas.js';
import { createUnderstander, type ModelsFile, type Understander } from '../src/understand/index.js';
import { zeroModel } from '../src/understand/linear-model.js';
import { trainLinear, type Example, type TrainOptions } from '../src/understand/linear-training.js';
import { loadCorpus, type CorpusItem } from '../test/corpus/load.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MODELS_FILE = join(ROOT, 'src/understand/models.json');
export const TRAIN_DIRS = [join(ROOT, 'corpus/train'), join(ROOT, 'test/corpus')];
export const TEST_DIR = join(ROOT, 'corpus/test');

/** Models that know nothing (all weights zero), to read words before any training. */
export const BLANK_MODELS: ModelsFile = {
  format: 'vigie-models/1',
  trainedOn: { files: [], sha256: '', examples: 0 },
  intent: zeroModel(INTENTS),
  language: zeroModel(LANGUAGES),
};

/** The .yaml files of the training split, sorted, relative to the repository. */
export function trainingFiles(): string[] {
  const files: string[] = [];
  for (const dir of TRAIN_DIRS) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) files.push(relative(ROOT, join(dir, name)));
  }
  return files;
}

/** SHA-256 of the training files (names and bytes). */
export function trainingHash(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f}\n`).update(readFileSync(join(ROOT, f))).update('\n');
  return hash.digest('hex');
}

/** Every labelled item of some corpus folders (questions, and both halves of follow-ups). */
export function corpusItems(dirs: readonly string[], deps: { gazetteer: Gazetteer; services: Service[] }): CorpusItem[] {
  const serviceIds = new Set(deps.services.map((s) => s.id));
  const items: CorpusItem[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    const corpus = loadCorpus({ gazetteer: deps.gazetteer, serviceIds, dir });
    items.push(...corpus.questions);
    for (const pair of corpus.followUps) items.push(pair.first, pair.then);
  }
  return items;
}

/** The examples of each model: the words the understander gives the models, and the labels. */
export function examplesOf(items: readonly CorpusItem[], reader: Understander): { intent: Example[]; language: Example[] } {
  const intent: Example[] = [];
  const language: Example[] = [];
  for (const item of items) {
    // The labelled language stands in for the language model, not trained yet: the place
    // reader then reads the words as it will when the bot runs.
    const input = reader.modelInput(item.q, { locale: item.lang });
    // Read by an exact rule (an attempt to steer the bot), never by the models.
    if (!input) continue;
    intent.push({ input, label: item.intents[0]! });
    language.push({ input, label: item.lang });
  }
  return { intent, language };
}

/** An understander that reads words only (no trained model), for training. */
export function wordReader(deps: { gazetteer: Gazetteer; services: Service[] }): Understander {
  return createUnderstander({ ...deps, models: BLANK_MODELS });
}

/** Trains both models on the training split. */
export function trainModels(deps: { gazetteer: Gazetteer; services: Service[] }, options: TrainOptions = {}): ModelsFile {
  const files = trainingFiles();
  const items = corpusItems(TRAIN_DIRS, deps);
  const { intent, language } = examplesOf(items, wordReader(deps));
  return {
    format: 'vigie-models/1',
    trainedOn: { files, sha256: trainingHash(files), examples: items.length },
    intent: trainLinear(intent, INTENTS, options),
    language: trainLinear(language, LANGUAGES, options),
  };
}

/** The models file's text: stable JSON, so the same training writes the same bytes. */
export function modelsText(models: ModelsFile): string {
  return `${JSON.stringify(models, null, 1)}\n`;
}
