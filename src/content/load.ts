/**
 * Reads and validates content files. A bad file stops startup with the file, the path of
 * the bad field and what was expected; nothing is half-loaded.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Yaml from 'yaml';
import type { z } from 'zod';
import { ContentError } from '../base/errors.js';
import {
  academiesFileSchema,
  messagesFileSchema,
  scenarioFileSchema,
  servicesFileSchema,
  type Academie,
  type Messages,
  type Scenario,
  type Service,
} from './schemas.js';
import type { Language } from '../base/types.js';
import { describeIssues } from './validation.js';

/** The content/ folder shipped with Vigie. */
export const DEFAULT_CONTENT_DIR = shippedContentDir();

/** The files `loadContent` reads, relative to the content folder (the reference snapshot hashes them). */
export const CONTENT_FILES = ['services.yaml', 'places/academies.yaml', 'messages/fr.yaml', 'messages/en.yaml'] as const;

// The nearest content/ above this module: src/content/ when run from the sources, the build
// folder (dist/…) when run compiled.
function shippedContentDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'content', 'services.yaml'))) return join(dir, 'content');
    if (dirname(dir) === dir) return resolve(here, '../../content');
  }
}

// The YAML parser is loaded the first time a file is parsed: a process that reads its content
// from the reference snapshot and no scenario never needs it.
let yaml: typeof Yaml | null = null;
function parseYaml(text: string, options: Yaml.ParseOptions & Yaml.DocumentOptions & Yaml.SchemaOptions & Yaml.ToJSOptions): unknown {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml.parse(text, options);
}

/**
 * The last parse of each YAML file, with the text it came from. The parser is slow (about
 * 14 ms for the 19-KB scenario), and a process may read one file many times (the scenario
 * for each runtime, the test corpus); a file is parsed again as soon as its text differs.
 * Each caller gets its own copy.
 */
const parsedFiles = new Map<string, { text: string; raw: unknown }>();
const PARSED_FILES_KEPT = 64;

/** Parses a YAML file and validates it against a schema. */
export function loadYamlFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ContentError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: error,
    });
  }
  let raw: unknown;
  const known = parsedFiles.get(file);
  if (known && known.text === text) raw = structuredClone(known.raw);
  else {
    try {
      raw = parseYaml(text, { maxAliasCount: 100 });
    } catch (error) {
      throw new ContentError(file, `is not valid YAML: ${(error as Error).message.split('\n')[0]}`, {
        cause: error,
      });
    }
    if (parsedFiles.size >= PARSED_FILES_KEPT) parsedFiles.clear();
    parsedFiles.set(file, { text, raw: structuredClone(raw) });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ContentError(file, describeIssues(parsed.error));
  return parsed.data;
}

/** All of content/, validated. */
export interface Content {
  dir: string;
  services: Service[];
  academies: Academie[];
  regionAliases: { name: string; region: string }[];
  messages: Record<Language, Messages>;
}

/** Loads services, académies and messages; checks the cross-file rules. */
export function loadContent(dir: string = DEFAULT_CONTENT_DIR): Content {
  const [servicesPath, academiesPath, frPath, enPath] = CONTENT_FILES;
  const servicesFile = join(dir, servicesPath);
  const { services } = loadYamlFile(servicesFile, servicesFileSchema);
  const seen = new Set<string>();
  services.forEach((service, i) => {
    if (seen.has(service.id)) throw new ContentError(servicesFile, `services.${i}.id: duplicate id "${service.id}"`);
    seen.add(service.id);
  });

  const academiesFile = join(dir, academiesPath);
  const { academies, regionAliases } = loadYamlFile(academiesFile, academiesFileSchema);
  const slugs = new Set<string>();
  academies.forEach((a, i) => {
    if (slugs.has(a.slug)) throw new ContentError(academiesFile, `academies.${i}.slug: duplicate slug "${a.slug}"`);
    slugs.add(a.slug);
  });

  const fr = loadYamlFile(join(dir, frPath), messagesFileSchema);
  const en = loadYamlFile(join(dir, enPath), messagesFileSchema);
  for (const [lang, own, other] of [
    ['fr', fr, en],
    ['en', en, fr],
  ] as const) {
    const missing = Object.keys(other).filter((key) => !(key in own));
    if (missing.length > 0) {
      throw new ContentError(join(dir, 'messages', `${lang}.yaml`), `missing keys present in the other language: ${missing.join(', ')}`);
    }
  }
  return { dir, services, academies, regionAliases, messages: { fr, en } };
}

/** Names of the scenarios in content/scenarios (file names without .yaml). */
export function listScenarios(dir: string = DEFAULT_CONTENT_DIR): string[] {
  try {
    return readdirSync(join(dir, 'scenarios'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    return [];
  }
}

/** Loads content/scenarios/NAME.yaml, or any scenario-format file when given a path. */
export function loadScenario(nameOrFile: string, dir: string = DEFAULT_CONTENT_DIR): Scenario {
  const file =
    nameOrFile.includes('/') || nameOrFile.endsWith('.yaml') || nameOrFile.endsWith('.yml')
      ? nameOrFile
      : join(dir, 'scenarios', `${nameOrFile}.yaml`);
  if (!nameOrFile.includes('/') && !nameOrFile.endsWith('.yaml') && !listScenarios(dir).includes(nameOrFile)) {
    throw new ContentError(file, `no scenario named "${nameOrFile}" (known: ${listScenarios(dir).join(', ') || 'none'})`);
  }
  return loadYamlFile(file, scenarioFileSchema);
}
