/**
 * School levels: "école", "CM2", "collège", "4e", "lycée", "terminale", "high school"...
 */
import type { Level } from '../base/types.js';
import type { Token } from '../base/text.js';

const WORDS = new Map<string, Level>();
const put = (level: Level, words: string) => {
  for (const w of words.split(' ')) WORDS.set(w, level);
};
put('ecole', 'ecole ecoles primaire primaires maternelle maternelles elementaire elementaires cp ce1 ce2 cm1 cm2 ecolier ecoliers ecoliere ecolieres primary elementary kindergarten nursery maitresse maitresses');
put('college', 'college colleges collegien collegiens collegienne collegiennes 6e 6eme 6eme 5e 5eme 4e 4eme 3e 3eme sixieme cinquieme quatrieme troisieme brevet');
put('lycee', 'highschoolers lycee lycees lyceen lyceens lyceenne lyceennes terminale terminales 2nde 2ndes 2de 1ere 1eres 1re 1res tle bac baccalaureat');

// "seconde" and "première" are also "second" and "first": they name a level only after
// "en", "de" or "classe" ("en seconde", "élèves de première").
const CONTEXTUAL = new Set(['seconde', 'premiere', 'secondes', 'premieres']);
const CONTEXT_BEFORE = new Set(['en', 'de', 'classe', 'classes', 'eleve', 'eleves', 'in', 'mes', 'nos', 'my', 'our']);
// "la 3e fois", "6e tentative", "3e personne du pluriel": an ordinal, not a class.
const ORDINAL_NEXT = new Set(['fois', 'tentative', 'tentatives', 'coupure', 'coupures', 'jour', 'jours', 'personne', 'essai', 'essais', 'semaine', 'semaines', 'heure', 'heures', 'etage', 'time', 'times', 'attempt', 'try', 'day', 'arrondissement']);
// A class's name: "3eB", "5eA", "4eme2" (a collège class).
const CLASS_NAME = /^[3-6]e(me)?[a-z0-9]$/;
// "Year 7"… in English schools: Years 7–10 are the collège's, 11–13 the lycée's.
const YEAR_LEVEL = (n: number): Level | null => (n >= 7 && n <= 10 ? 'college' : n >= 11 && n <= 13 ? 'lycee' : null);
// "Lyon 3e", "Paris 11e": after a city with arrondissements, an ordinal is a district, not a class.
const DISTRICT_CITIES = new Set(['paris', 'lyon', 'marseille']);

// Two-word forms.
const PHRASES: [string, string, Level][] = [
  ['high', 'school', 'lycee'],
  ['high', 'schools', 'lycee'],
  ['sixth', 'form', 'lycee'],
  ['middle', 'school', 'college'],
  ['middle', 'schools', 'college'],
  ['primary', 'school', 'ecole'],
  ['primary', 'schools', 'ecole'],
  ['elementary', 'school', 'ecole'],
  ['elementary', 'schools', 'ecole'],
  ['junior', 'high', 'college'],
  ['premier', 'degre', 'ecole'],
  ['petite', 'section', 'ecole'],
  ['moyenne', 'section', 'ecole'],
  ['grande', 'section', 'ecole'],
];

// "l'école en ligne", "l'école à la maison": schooling, not the primary level.
const SCHOOLING_AFTER: string[][] = [['en', 'ligne'], ['a', 'la', 'maison'], ['online'], ['at', 'home']];

/**
 * The level a question names, or null when it names none or several. `used[i]` marks words
 * read as part of a service name ("École Directe"), which are skipped.
 */
export function findLevel(tokens: readonly Token[], used?: readonly boolean[]): Level | null {
  const found = new Set<Level>();
  for (let i = 0; i < tokens.length; i++) {
    if (used?.[i]) continue;
    const w = tokens[i]!.norm;
    const next = tokens[i + 1]?.norm;
    const phrase = PHRASES.find(([a, b]) => a === w && b === next);
    if (phrase) {
      found.add(phrase[2]);
      i++;
      continue;
    }
    if (CONTEXTUAL.has(w)) {
      const before = tokens[i - 1]?.norm;
      if (before !== undefined && CONTEXT_BEFORE.has(before) && next !== 'fois' && next !== 'ligne' && !ORDINAL_NEXT.has(next ?? '')) found.add('lycee');
      continue;
    }
    if (CLASS_NAME.test(w)) {
      found.add('college');
      continue;
    }
    if (w === 'year' && next !== undefined && /^[0-9]{1,2}$/.test(next)) {
      const year = YEAR_LEVEL(Number(next));
      if (year) found.add(year);
      i++;
      continue;
    }
    const level = WORDS.get(w);
    if (level === 'college' && ORDINAL_NEXT.has(next ?? '')) continue;
    if (level === 'ecole' && (w === 'ecole' || w === 'ecoles') && SCHOOLING_AFTER.some((after) => after.every((x, j) => tokens[i + 1 + j]?.norm === x))) continue;
    if (level && !(level === 'college' && DISTRICT_CITIES.has(tokens[i - 1]?.norm ?? ''))) found.add(level);
  }
  return found.size === 1 ? [...found][0]! : null;
}

/** The level a single word names ("cm2" → ecole), or null. */
export function levelOfWord(word: string): Level | null {
  return WORDS.get(word) ?? null;
}

/** True when the word is a level word (so it is never read as a place or a typo). */
export function isLevelWord(word: string): boolean {
  return WORDS.has(word) || CONTEXTUAL.has(word);
}
