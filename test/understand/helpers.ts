/** A real understander over the shipped content, built once for all understand tests. */
import { createUnderstander, type Understander } from '../../src/understand/index.js';
import { sharedReference } from '../helpers/reference.js';

let cached: Understander | null = null;

/** The understander built from the shipped content (content/places/academies.yaml, content/services.yaml) and places. */
export function realUnderstander(): Understander {
  if (cached) return cached;
  const { content, gazetteer } = sharedReference();
  cached = createUnderstander({ gazetteer, services: content.services });
  return cached;
}
