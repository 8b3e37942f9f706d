/**
 * Fuzzing the reader: random inputs (random code points, surrogates and controls, real words
 * and place names with noise, a few of 100 KB) from a seeded generator. The quick suite reads
 * the first 2,500 (fuzz.test.ts, the 100-KB ones included); the slow suite reads all 10,000 of
 * the same sequence (fuzz-long.test.ts).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { INTENTS, LANGUAGES, LEVELS, PLACE_KINDS, type Query } from '../../src/base/types.js';
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR, loadYamlFile } from '../../src/content/load.js';
import { academiesFileSchema, servicesFileSchema } from '../../src/content/schemas.js';
import { Gazetteer } from '../../src/places/gazetteer.js';
import { createUnderstander, MAX_QUESTION_LENGTH } from '../../src/understand/index.js';
import { seededRandom } from '../../src/base/prng.js';

// understand() never throws by design (it catches its own bugs): record them to see them.
const bugs: string[] = [];
const { academies, regionAliases } = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'places', 'academies.yaml'), academiesFileSchema);
const { services } = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'services.yaml'), servicesFileSchema);
const u = createUnderstander({
  gazetteer: new Gazetteer(academies, regionAliases),
  services,
  onError: (error, text) => bugs.push(`${String(error)} for ${JSON.stringify(text)}`),
});
const SEED = Number(process.env.FUZZ_SEED ?? 20200317);

const placeSchema = z.strictObject({ kind: z.enum(PLACE_KINDS), code: z.string().min(1), name: z.string() });
const querySchema = z.strictObject({
  text: z.string().max(MAX_QUESTION_LENGTH),
  language: z.enum(LANGUAGES),
  intent: z.enum(INTENTS),
  service: z.string().min(1).nullable(),
  level: z.enum(LEVELS).nullable(),
  place: placeSchema.nullable(),
  alternatives: z.array(placeSchema),
  unknownPlace: z.string().nullable(),
  truncated: z.boolean(),
  confidence: z.number().min(0).max(1).optional(),
  otherIntent: z.enum(INTENTS).optional(),
});

const WORDS = [
  "l'ENT", 'pronote', 'cned', 'ma classe à la maison', 'visio', 'educonnect', 'ma box', 'en panne', 'marche pas', 'quand',
  'pourquoi', 'on fait quoi', 'chez moi', 'abonne', 'désabonne', 'aide', 'à', 'en', 'dans le', 'et', 'and', 'in', 'the',
  'Toulouse', 'Saint-Étienne', 'st etienne', 'Eu', 'Y', 'Vue', 'Occitannie', 'Montpelier', 'Haute Garonne', '93', '2A',
  '(31)', '31400', '75011', 'académie de Lille', 'acad', 'Alsace', 'partout', 'nationwide', 'collège', 'CM2', 'terminale',
  'seconde', 'high school', 'ignore tes instructions', 'annonce que', '?', '!!', '😡', '🇫🇷', "'", '-', 'le 17 mars', 'depuis',
];
const SPECIALS = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u200b', '\u200e', '\u200f', '\u202e', '\u2066', '\ufeff', '\ud800', '\udfff', '\u00ad', '\n', '\t', '\r'];

function randomInput(r: () => number, i: number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  // A few huge inputs (up to 100 KB), to check the cut.
  if (i % 2500 === 0) return pick(WORDS).repeat(Math.ceil(100_000 / 8)).slice(0, 100_000);
  if (i % 2500 === 1) return Array.from({ length: 20_000 }, () => pick(WORDS)).join(' ').slice(0, 100_000);
  const kind = r();
  const length = Math.floor(r() * (r() < 0.1 ? 3000 : 80));
  let out = '';
  for (let k = 0; k < length; k++) {
    const c = r();
    if (kind < 0.4) {
      // Random code points: BMP, astral (emoji, CJK extension), surrogates and controls.
      if (c < 0.5) out += String.fromCharCode(Math.floor(r() * 0x10000));
      else if (c < 0.8) out += String.fromCodePoint(0x10000 + Math.floor(r() * 0xfffff));
      else out += pick(SPECIALS);
    } else {
      // Real words and place names with noise between them.
      out += c < 0.7 ? pick(WORDS) : c < 0.85 ? pick(SPECIALS) : String.fromCodePoint(0x1f600 + Math.floor(r() * 80));
      out += r() < 0.8 ? ' ' : '';
    }
  }
  return out;
}

/** Declares the fuzzing test over the first `RUNS` inputs of the seeded sequence. */
export function fuzzUnderstand(RUNS: number): void {
  describe('understand: fuzzing', () => {
    test(`GIVEN ${RUNS} random inputs (seed ${SEED}) THEN none throws and each gives a valid Query`, () => {
      const r = seededRandom(SEED);
      let previous: Query | null = null;
      for (let i = 0; i < RUNS; i++) {
        const input = randomInput(r, i);
        let q: Query;
        try {
          q = u.understand(input, { previous, ...(i % 3 === 0 ? { locale: 'en-GB' } : {}) });
        } catch (error) {
          assert.fail(`seed ${SEED}, run ${i}: threw ${String(error)} for ${JSON.stringify(input.slice(0, 200))}`);
        }
        assert.deepEqual(bugs, [], `seed ${SEED}, run ${i}: the reader failed`);
        const parsed = querySchema.safeParse(q);
        assert.ok(parsed.success, `seed ${SEED}, run ${i}: invalid Query for ${JSON.stringify(input.slice(0, 200))}: ${parsed.error?.message}`);
        if (input.length >= 50_000) assert.ok(q.truncated, `seed ${SEED}, run ${i}: a 100 KB input is cut`);
        previous = i % 5 === 0 ? null : q;
      }
    });
  });
}
