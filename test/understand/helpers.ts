/** A real understander over the shipped content, built once for all understand tests. */
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR, loadYamlFile } from '../../src/content/load.js';
import { academiesFileSchema, servicesFileSchema } from '../../src/content/schemas.js';
import { Gazetteer } from '../../src/places/gazetteer.js';
import { createUnderstander, type Understander } from '../../src/understand/index.js';

let cached: Understander | null = null;

/** The understander built from content/places/academies.yaml and content/services.yaml. */
export function realUnderstander(): Understander {
  if (cached) return cached;
  const { academies, regionAliases } = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'places', 'academies.yaml'), academiesFileSchema);
  const { services } = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'services.yaml'), servicesFileSchema);
  cached = createUnderstander({ gazetteer: new Gazetteer(academies, regionAliases), services });
  return cached;
}
