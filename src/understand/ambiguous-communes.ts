/**
 * Which commune names are also ordinary words, derived from the official names and the word
 * lists of content/words/ (scripts/gen-words.ts). Such a name counts as a place only with a
 * cue (see places.ts): "à Eu", "in Vue", a postal code or a département number; otherwise
 * "il y a eu" would name Y and Eu, "in this school" This, "Sainte mère !" Sainte-Mère.
 *
 * A commune name needs a cue when (names folded into words; population of the most
 * populous commune of that name):
 * - it is one word of at most 3 letters, unless it is no word and has 20,000+ inhabitants (Pau);
 * - every word of it is an ordinary French or English word and it has under 50,000
 *   inhabitants ("Vue", "Mars", "Aucun", "This", "Le Port", "Sainte-Mère");
 * - it is a common first name, whatever the population ("Nancy", "Marie", "Antony");
 * - it is one of the few bigger cities whose name is an everyday word in a question
 *   (EVERYDAY_CITY_NAMES: "nice day", "plusieurs tours", "grasse matinée").
 * The word lists are read once, when the place index is built (the reference snapshot keeps
 * the result), never on the question path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR } from '../content/load.js';
import { foldWords } from '../base/text.js';

/** Files of content/ holding the ordinary words (the reference snapshot hashes them). */
export const WORD_FILES = ['words/fr.txt', 'words/en.txt'] as const;
/** The file of content/ holding first names that are also commune names. */
export const FIRST_NAMES_FILE = 'words/first-names.txt';

/** Under this many inhabitants, a commune named like a word needs a cue. */
export const WORD_NAME_MAX_POPULATION = 50_000;
/** A short name (≤ 3 letters) that is no word counts without a cue from this many inhabitants (Pau). */
const SHORT_NAME_MIN_POPULATION = 20_000;

/**
 * Cities of 50,000+ inhabitants whose name is a word people use every day in a question,
 * reviewed by hand (the population rule keeps the others: Paris, Bordeaux, Angers, Rennes).
 */
export const EVERYDAY_CITY_NAMES: readonly string[] = ['nice', 'tours', 'grasse'];

const shipped = new Map<string, ReadonlySet<string>>();

function readWords(files: readonly string[], dir: string): ReadonlySet<string> {
  const key = `${dir}\u0000${files.join('\u0000')}`;
  const known = shipped.get(key);
  if (known) return known;
  const words = new Set<string>();
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const w = line.trim();
      if (w && !w.startsWith('#')) words.add(w);
    }
  }
  shipped.set(key, words);
  return words;
}

/** The ordinary French and English words of content/words/ (read once). */
export function ordinaryWords(dir: string = DEFAULT_CONTENT_DIR): ReadonlySet<string> {
  return readWords(WORD_FILES, dir);
}

/** First names that are also commune names ("Nancy", "Marie"), from content/words/ (read once). */
export function firstNames(dir: string = DEFAULT_CONTENT_DIR): ReadonlySet<string> {
  return readWords([FIRST_NAMES_FILE], dir);
}

/** The folded commune names (words joined by one space) that need a locative cue. */
export function ambiguousCommuneNames(
  communes: Iterable<{ name: string; population: number }>,
  words: ReadonlySet<string> = ordinaryWords(),
  names: ReadonlySet<string> = firstNames(),
): Set<string> {
  const population = new Map<string, number>();
  for (const c of communes) {
    const phrase = foldWords(c.name).join(' ');
    population.set(phrase, Math.max(population.get(phrase) ?? 0, c.population));
  }
  const out = new Set<string>();
  for (const [phrase, pop] of population) {
    const parts = phrase.split(' ');
    const allWords = parts.every((w) => words.has(w));
    if (parts.length === 1 && phrase.length <= 3 && (allWords || pop < SHORT_NAME_MIN_POPULATION)) out.add(phrase);
    else if (allWords && pop < WORD_NAME_MAX_POPULATION) out.add(phrase);
    // "Nancy, tu peux…", "Mary and Nancy": a first name is a person as often as a town, whatever its size.
    else if (names.has(phrase)) out.add(phrase);
  }
  for (const name of EVERYDAY_CITY_NAMES) if (population.has(name)) out.add(name);
  return out;
}
