/** A real understander over the shipped content, built once for all understand tests. */
import { createUnderstander, type ModelsFile, type Understander } from '../../src/understand/index.js';
import { zeroModel } from '../../src/understand/linear-model.js';
import { INTENTS, LANGUAGES, type Intent } from '../../src/base/types.js';
import { sharedReference } from '../helpers/reference.js';

let cached: Understander | null = null;

/** The understander built from the shipped content (content/places/academies.yaml, content/services.yaml) and places. */
export function realUnderstander(): Understander {
  if (cached) return cached;
  const { content, gazetteer } = sharedReference();
  cached = createUnderstander({ gazetteer, services: content.services });
  return cached;
}

/**
 * Models whose weights are all zero: every message gets the intent probabilities the biases
 * give (`odds`: intent → bias; the others far behind) and is read as French, so a test sets
 * exactly how sure the reader is.
 */
export function modelsOfOdds(odds: Partial<Record<Intent, number>>): ModelsFile {
  return {
    format: 'vigie-models/1',
    trainedOn: { files: [], sha256: '', examples: 0 },
    intent: zeroModel(INTENTS, INTENTS.map((i) => odds[i] ?? -10)),
    language: zeroModel(LANGUAGES, [3, 0]),
  };
}

/** The shipped content's reader with models of a chosen certainty (see modelsOfOdds). */
export function unsureUnderstander(odds: Partial<Record<Intent, number>>): Understander {
  const { content, gazetteer } = sharedReference();
  return createUnderstander({ gazetteer, services: content.services, models: modelsOfOdds(odds) });
}
