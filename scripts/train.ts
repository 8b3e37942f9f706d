/**
 * `npm run train`: trains the intent and language models on the training split and writes
 * src/understand/models.json (deterministic: the same corpus writes the same bytes; a test
 * fails when the file is not what the corpus trains).
 */
import { writeFileSync } from 'node:fs';
import { loadReferenceData } from '../src/runtime.js';
import { MODELS_FILE, modelsText, trainModels } from './models.js';

const { content, gazetteer } = loadReferenceData();
const started = performance.now();
const models = trainModels({ gazetteer, services: content.services });
writeFileSync(MODELS_FILE, modelsText(models));
console.log(`Trained on ${models.trainedOn.examples} messages (${models.trainedOn.files.length} files) in ${Math.round(performance.now() - started)} ms → src/understand/models.json`);
