/**
 * The labelled corpus of test/corpus/*.yaml, validated with zod. Each item is a question as
 * people type it with the labels a human expects: language, intent (or the few intents a
 * human would accept for a genuinely ambiguous message), service, level and the acceptable
 * places (empty = no place). Follow-ups are pairs read in one conversation.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadYamlFile } from '../../src/content/load.js';
import type { Gazetteer } from '../../src/places/gazetteer.js';
import { INTENTS, LANGUAGES, LEVELS, PLACE_KINDS, type Intent, type Language, type Level, type PlaceKind } from '../../src/base/types.js';

/** Where the corpus files live. */
export const CORPUS_DIR = dirname(fileURLToPath(import.meta.url));

// "commune:31555" is shorthand for { kind: commune, code: "31555" }.
const placeSchema = z.union([
  z
    .string()
    .regex(/^(national|region|academie|departement|commune):[0-9A-Za-z-]+$/)
    .transform((s) => {
      const at = s.indexOf(':');
      return { kind: s.slice(0, at) as PlaceKind, code: s.slice(at + 1) };
    }),
  z.object({ kind: z.enum(PLACE_KINDS), code: z.string().min(1) }).strict(),
]);

const TAGS = [
  'trap', 'typo', 'sms', 'old-region', 'academie', 'departement', 'postal', 'national', 'homonym', 'ambiguous-word',
  'demonym', 'english-name', 'injected', 'caps', 'emoji', 'no-accent', 'long', 'jargon', 'slang', 'franglais',
] as const;

const itemSchema = z
  .object({
    q: z.string().min(1),
    lang: z.enum(LANGUAGES),
    intent: z.union([z.enum(INTENTS), z.array(z.enum(INTENTS)).min(2)]),
    service: z.string().min(1).nullable(),
    level: z.enum(LEVELS).nullable(),
    places: z.array(placeSchema),
    tags: z.array(z.enum(TAGS)).optional(),
    locale: z.string().optional(),
  })
  .strict();

const fileSchema = z
  .object({
    questions: z.array(itemSchema).default([]),
    followUps: z.array(z.object({ first: itemSchema, then: itemSchema }).strict()).default([]),
  })
  .strict();

/** One labelled question. */
export interface CorpusItem {
  q: string;
  lang: Language;
  /** The intents a human would accept (one, except for a few ambiguous messages). */
  intents: Intent[];
  service: string | null;
  level: Level | null;
  places: { kind: PlaceKind; code: string }[];
  tags: string[];
  locale?: string;
  /** Where it comes from, for messages: "fr.yaml#12". */
  where: string;
}

/** The whole corpus. */
export interface Corpus {
  questions: CorpusItem[];
  followUps: { first: CorpusItem; then: CorpusItem }[];
}

/**
 * Loads every .yaml file of `dir`; throws on a malformed file, an unknown service id or a
 * place code the gazetteer does not hold (a label that can never match is a corpus bug).
 */
export function loadCorpus(opts: { gazetteer: Gazetteer; serviceIds: ReadonlySet<string>; dir?: string; only?: readonly string[] }): Corpus {
  const dir = opts.dir ?? CORPUS_DIR;
  const corpus: Corpus = { questions: [], followUps: [] };
  const problems: string[] = [];
  const toItem = (raw: z.output<typeof itemSchema>, where: string): CorpusItem => {
    if (raw.service !== null && !opts.serviceIds.has(raw.service)) problems.push(`${where}: unknown service ${raw.service}`);
    for (const p of raw.places) {
      if (!opts.gazetteer.get(p.kind, p.code)) problems.push(`${where}: unknown place ${p.kind}:${p.code}`);
    }
    const { intent, tags, locale, ...rest } = raw;
    return {
      ...rest,
      intents: typeof intent === 'string' ? [intent] : intent,
      tags: tags ?? [],
      ...(locale !== undefined ? { locale } : {}),
      where,
    };
  };
  const names = opts.only ?? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  for (const name of names) {
    const file = loadYamlFile(join(dir, name), fileSchema);
    file.questions.forEach((raw, i) => corpus.questions.push(toItem(raw, `${name}#${i + 1}`)));
    file.followUps.forEach((pair, i) =>
      corpus.followUps.push({ first: toItem(pair.first, `${name}#f${i + 1}a`), then: toItem(pair.then, `${name}#f${i + 1}b`) }),
    );
  }
  if (problems.length > 0) throw new Error(`corpus labels are invalid:\n${problems.join('\n')}`);
  return corpus;
}
