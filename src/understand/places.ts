/**
 * Finds the place a question is about.
 *
 * Rules:
 * - Names are matched as whole phrases of folded words, longest first ("Saint-Étienne-du-
 *   Rouvray" before "Saint-Étienne"); "st"/"ste" read as "saint"/"sainte".
 * - A name that is also an ordinary word (Vue, Eu, Y, Plan, "le Lot", "c'est cher") counts
 *   when it ends a question right after a service name ("ent Nice", "pronote Tours ?"), or
 *   else only after a locative cue: "à"/"in"/"at"/"near" for communes, "en"/"dans"/"le"/"la" for
 *   départements and régions, or with a postal code or "(NN)" next to it. "a" written
 *   without its accent is a cue too, except where it is the verb: after a subject ("il a",
 *   "on a") or before a past participle ("a eu", "a vu").
 * - A few phrases are never places ("centre-ville": not the Centre région).
 * - "académie de X", "rectorat de X", "ac-X" pick the académie over the city of that name;
 *   otherwise a name shared by several kinds reads as the région, then the département,
 *   then the commune.
 * - A postal code reads as its commune; a département number only in a clear form:
 *   "(31)", "dans le 93", "in the 93", "le 2A", "département 31" (not "le 17 mars", "depuis
 *   le 16"). A number right after a commune narrows its homonyms ("Saint-Denis 93").
 * - Homonymous communes resolve to the most populous, the others become alternatives; a
 *   région or département named alongside narrows them ("Saint-Denis (974)").
 * - Misspellings (one edit from 5 letters, two from 9) are tried only when nothing matched
 *   exactly (or to extend an exact match into a longer name: "bouche du Rhône"), only against names worth correcting (see place-index.ts), and never for an
 *   ordinary word (typo-guard.ts) or a word the other readers use; a word under 8 letters
 *   is only corrected into a région, département, académie or town of 20,000+.
 * - Demonyms (place-aliases.ts) name their place as a plural noun after a plural determiner
 *   ("les Lillois") or as an adjective after a noun ("les familles nantaises"), never as a
 *   singular noun after an article or preposition ("le breton", "la Marseillaise") nor after
 *   a title or a dish ("Mme Normand", "salade niçoise"): `demonymReads`.
 * - "reunion" is La Réunion only after an English cue or a service name ("in reunion"), never
 *   "en réunion" or "at the reunion"; "20" is Corsica only in a clear form ("dans le 20").
 * - Last, a big city written as it sounds, by its start or without vowels ("a marseil",
 *   "montpel", "strasbrg": city-sounds.ts), after a cue or a service name.
 * - When a locative cue is followed by a capitalised word that matches nothing, that word
 *   is returned as `unknownPlace`.
 */
import type { Gazetteer } from '../places/gazetteer.js';
import type { Language, PlaceRef } from '../base/types.js';
import type { Token } from '../base/text.js';
import { KIND_RANK, type PlaceEntry, type PlaceIndex } from './place-index.js';
import { SOUND_GUARD, TYPO_GUARD } from './typo-guard.js';
import { addressesPerson, endsPhrase } from './addressed.js';
import { WORD_NAME_MAX_POPULATION } from './ambiguous-communes.js';
import { DEMONYM_FORMS } from './place-aliases.js';

/** The place part of a query. */
export interface PlaceResult {
  place: PlaceRef | null;
  alternatives: PlaceRef[];
  unknownPlace: string | null;
  /** The words of every place named (token positions, end excluded): what the models see masked. */
  spans: { start: number; end: number }[];
}

interface Match {
  entries: PlaceEntry[];
  start: number;
  end: number;
}

// Short forms read as the word: "st etienne", "ds le 93" (SMS "dans").
const SHORT = new Map<string, string>([['st', 'saint'], ['ste', 'sainte'], ['mt', 'mont'], ['ds', 'dans']]);
// Words before a big city written as it sounds ("pronote hs a bordo", "in marseil").
const SOUND_CUES = new Set(['at', 'in', 'near', 'vers', 'pres', 'sur', 'from', 'de', 'chez', 'au']);
const COMMUNE_CUES = new Set(['at', 'in', 'near', 'vers', 'pres', 'sur']);
const AREA_CUES = new Set(['en', 'dans', 'le', 'la', 'les', 'l', 'du', 'in', 'region', 'departement', 'dept', 'dpt', 'the', 'from']);
// Names that are also a common word in both languages, read as the place only after an
// English cue or a service name: "in reunion", "from Reunion", "pronote reunion", never "en
// réunion" or "at the reunion" (a meeting; French says "à la Réunion", read as its name).
const ENGLISH_CUED_NAMES = new Set(['reunion']);
const ENGLISH_PLACE_CUES = new Set(['in', 'at', 'from', 'near', 'on', 'to']);
// Before a school's own name: "le collège Jean-Moulin", "l'école Pointe-Noire".
const SCHOOL_NOUNS = new Set(['ecole', 'college', 'lycee', 'institution', 'groupe', 'scolaire', 'etablissement', 'cite', 'residence', 'rue', 'avenue', 'place', 'boulevard', 'quartier']);
// Words after "the NN" that leave NN a département: "alerts for the 06 here please".
const THE_NUMBER_NEXT = new Set(['here', 'please', 'pls', 'plz', 'thanks', 'channel', 'area', 'too', 'only', 'department', 'departement']);
// Names read as the place whenever their capital is written inside a sentence.
const CAPITAL_NAMES = new Set(['reunion', 'la reunion']);
// Before "de": "la mairie de Sablé", "le lycée de Fougères", "les profs de Dole", "l'ENT de Vitré" (a service name).
const OF_CUES = new Set([
  'ville', 'commune', 'mairie', 'pres', 'cote', 'autour', 'region', 'departement', 'secteur', 'lycee', 'lycees', 'college',
  'colleges', 'ecole', 'ecoles', 'etablissement', 'etablissements', 'profs', 'professeurs', 'enseignants', 'eleves',
  'familles', 'parents', 'habitants', 'collegiens', 'lyceens', 'ecoliers', 'academie', 'rectorat', 'agglo', 'agglomeration',
]);
const ACADEMIE_WORDS = new Set(['academie', 'academy', 'acad', 'aca', 'rectorat', 'ac']);
const DEP_CODE = /^(0[1-9]|[1-8]\d|9[0-5]|2a|2b|97[1-6])$/;
// Corsica's région: its two départements were one, numbered 20, before 1976.
const CORSE_REGION = '94';
const DEP_NUMBER_CUES = new Set(['departement', 'dept', 'dpt', 'dep', 'le', 'du', 'dans', 'in']);
// Subjects before "a" (the verb), and past participles after it: "il a eu", "on a vu".
// "il a", "m'a viré", "t'a", "l'a": "a" is the verb, not "à".
const VERB_SUBJECTS = new Set(['n', 'm', 't', 'l', 'il', 'elle', 'on', 'y', 'ca', 'sa', 'cela', 'qui', 'ce', 'tout', 'personne', 'rien']);
const PARTICIPLES = new Set(['eu', 'vu', 'vue', 'pu', 'su', 'dit', 'fait', 'mis', 'pris', 'ete', 'plante', 'bien', 'plus']);
// Phrases that hold a place name but never mean the place.
const NOT_PLACES: string[][] = [['centre', 'ville'], ['centre', 'villes'], ['centre', 'commercial'], ['centre', 'aere'], ['centre', 'de', 'loisirs']];
const NOT_PLACE_FIRST = new Set(NOT_PLACES.map((p) => p[0]!));
const NOT_DEP_AFTER = new Set([
  'janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre',
  'decembre', 'h', 'heure', 'heures', 'min', 'minutes', 'mn', 'ans', 'jours', 'eleves', 'euros', 'pourcent', 'fois',
]);
const NOT_DEP_BEFORE = new Set(['depuis', 'avant', 'apres', 'jusqu', 'since', 'until', 'on', 'ce', 'au', 'vendredi', 'lundi', 'mardi', 'mercredi', 'jeudi', 'samedi', 'dimanche']);
// A five-digit number that counts or names something is no postal code: "30000 élèves",
// "erreur 10000", "more than 50000 students".
const NOT_POSTCODE_BEFORE = new Set([
  'erreur', 'error', 'err', 'code', 'numero', 'num', 'n', 'no', 'nr', 'ticket', 'id', 'ref', 'reference', 'than',
  'over', 'about', 'around', 'environ', 'quelque',
]);
const NOT_POSTCODE_AFTER = new Set([
  'eleves', 'eleve', 'personnes', 'gens', 'utilisateurs', 'users', 'students', 'pupils', 'people', 'connexions',
  'connections', 'connectes', 'comptes', 'accounts', 'familles', 'families', 'parents', 'profs', 'enseignants',
  'teachers', 'euros', 'eur', 'requetes', 'requests', 'visiteurs', 'visitors', 'visites', 'fois', 'times', 'ms',
  'messages', 'mails', 'emails', 'devoirs', 'copies', 'inscrits', 'abonnes', 'etablissements', 'ecoles',
  'colleges', 'lycees', 'schools', 'classes', 'acces', 'octets', 'bytes', 'mo', 'go', 'mb', 'gb', 'kb',
]);
// Words after which a five-digit number is given as a postal code even when no commune has it.
const POSTCODE_CUES = new Set(['at', 'in', 'near', 'pres', 'postal', 'cp']);
const UPPER = /^\p{Lu}/u;
// After "<service> <big city>", the words that say the rest is about the service: "pronote nancy en panne".
const AFTER_SERVICE_NEXT = new Set(['en', 'hs', 'down', 'ne', 'n', 'marche', 'marchent', 'fonctionne', 'plante', 'bug', 'bugue', 'ko', 'outage', 'panne']);
const FEAST_ARTICLES = new Set(['la', 'le', 'cette']);
// Before a demonym read as a plural noun: "les Nantais", "chez des Bretons".
const PLURAL_DETERMINERS = new Set([
  'les', 'des', 'aux', 'ces', 'nos', 'vos', 'leurs', 'mes', 'tes', 'ses', 'plusieurs', 'certains', 'certaines', 'nombreux',
  'nombreuses', 'tous', 'toutes', 'quelques', 'beaucoup',
]);
// Words after which a demonym is a singular noun (a language, a person, a song), not a place:
// "le breton", "en alsacien", "la Marseillaise", "un Parisien" (one person).
const FUNCTION_WORDS = new Set([
  'le', 'la', 'l', 'un', 'une', 'du', 'de', 'd', 'en', 'au', 'a', 'chez', 'mon', 'ma', 'ton', 'ta', 'son', 'sa', 'notre',
  'votre', 'leur', 'ce', 'cet', 'cette', 'et', 'ou', 'pour', 'par', 'sur', 'avec', 'sans', 'que', 'qu', 'est', 'suis',
  'es', 'sont', 'etait', 'parle', 'parler', 'parlent', 'apprendre', 'cours', 'langue', 'the', 'an', 'in', 'of', 'to',
]);
// Titles and dishes, teams and firms before a demonym: "Mme Normand", "salade niçoise",
// "Crédit lyonnais", "Stade rennais".
const DEMONYM_NOT_AFTER = new Set([
  'm', 'mr', 'mme', 'mlle', 'monsieur', 'madame', 'mademoiselle', 'dr', 'docteur', 'maitre', 'mrs', 'ms', 'miss',
  'salade', 'sauce', 'boeuf', 'quiche', 'tarte', 'galette', 'galettes', 'crepe', 'crepes', 'choucroute', 'saucisse',
  'saucisses', 'fondue', 'bouillabaisse', 'soupe', 'potee', 'far', 'kouign', 'cidre', 'beurre', 'biscuit', 'biscuits',
  'credit', 'olympique', 'stade', 'racing', 'girondins', 'chien', 'chiens', 'dog', 'dogs', 'berger', 'cheval', 'chevaux',
  'vache', 'vaches', 'race', 'accent', 'hymne', 'herbes', 'tomate', 'tomates', 'cuisine', 'recette', 'plat', 'specialite',
  'specialites', 'menu',
]);
const MAX_TYPO_TOKENS = 64;
const SHORT_TYPO_MIN_POPULATION = 20000;
// A lower-case ordinary word after a cue reads as a commune only from this many inhabitants.
const LOWERCASE_MIN_POPULATION = 10_000;
// Exact matches tried for a longer misspelt name, per question (structural bound).
const MAX_EXTENSIONS = 4;

/** Reads places out of tokenized questions. */
export class PlaceFinder {
  // The question being read is French: an unaccented "a" may then be "à" (never in English).
  private french = true;
  private text = '';

  constructor(
    private readonly gazetteer: Gazetteer,
    private readonly index: PlaceIndex,
    /** Words other readers use (service names, levels, intents): never a typo of a place. */
    private readonly knownWords: ReadonlySet<string>,
  ) {}

  /** The place named in `tokens`; `used[i]` marks words already read as something else. */
  find(tokens: readonly Token[], text: string, used: readonly boolean[], language: Language = 'fr'): PlaceResult {
    this.french = language === 'fr';
    this.text = text;
    const words = tokens.map((t) => SHORT.get(t.norm) ?? t.norm);
    const matches: Match[] = [];
    for (let i = 0; i < words.length; i++) {
      if (used[i]) continue;
      if (NOT_PLACE_FIRST.has(words[i]!)) {
        const stop = NOT_PLACES.find((p) => p.every((w, k) => words[i + k] === w));
        if (stop) {
          i += stop.length - 1;
          continue;
        }
      }
      const m = this.numberAt(tokens, words, text, i, used) ?? this.exactAt(tokens, words, used, i);
      if (m) {
        matches.push(m);
        i = m.end - 1;
      }
    }
    if (matches.length === 0) {
      const typo = this.typo(tokens, words, used) ?? this.soundAlike(tokens, words, used);
      if (typo) matches.push(typo);
    } else {
      // "bouche du Rhône": an exact name may be the end of a longer, misspelt one.
      for (let k = 0; k < matches.length && k < MAX_EXTENSIONS; k++) {
        const longer = this.typoBefore(tokens, words, used, matches[k]!);
        if (longer) matches[k] = longer;
      }
    }
    if (matches.length === 0) return { place: null, alternatives: [], unknownPlace: this.unknown(tokens, text, used), spans: [] };
    return { ...this.choose(matches), spans: matches.map((m) => ({ start: m.start, end: m.end })) };
  }

  private exactAt(tokens: readonly Token[], words: string[], used: readonly boolean[], i: number): Match | null {
    // "au Havre", "aux Sables-d'Olonne": the article is part of the name.
    // "du Havre", "des Sables-d'Olonne" too, though "de" is no locative cue.
    const w = words[i];
    const lead = w === 'au' || w === 'du' ? 'le' : w === 'aux' || w === 'des' ? 'les' : null;
    if (lead) {
      const m = this.longestAt(tokens, words, used, i + 1, lead, i, w === 'au' || w === 'aux');
      if (m) return m;
    }
    const m = this.longestAt(tokens, words, used, i, null, i);
    // "académie d'Orléans-Tours": the alias "académie d'Orléans" must not hide the longer name.
    if (ACADEMIE_WORDS.has(words[i]!)) {
      const name = ['de', 'd', 'of'].includes(words[i + 1] ?? '') ? i + 2 : i + 1;
      const longer = this.longestAt(tokens, words, used, name, null, name);
      if (longer && longer.end > (m?.end ?? 0)) return longer;
    }
    return m;
  }

  private longestAt(
    tokens: readonly Token[],
    words: string[],
    used: readonly boolean[],
    from: number,
    lead: string | null,
    start: number,
    leadIsCue = lead !== null,
  ): Match | null {
    const head = lead ?? words[from];
    if (head === undefined) return null;
    const max = Math.min(this.index.maxWordsFrom(head) - (lead ? 1 : 0), words.length - from);
    for (let n = max; n >= 1; n--) {
      const end = from + n;
      if (used.slice(from, end).some(Boolean)) continue;
      const phrase = words.slice(from, end).join(' ');
      const entries = this.index.exact(lead ? `${lead} ${phrase}` : phrase);
      if (!entries) continue;
      const kept = this.accept(entries, tokens, words, from, end, leadIsCue, used);
      if (kept.length === 0) continue;
      // "Nancy, tu peux…", "demande à Marie": a person, not the town.
      if (kept[0]!.ref.kind === 'commune' && addressesPerson(tokens, this.text, words, from, end)) return null;
      // "la Sainte-Catherine", "la Saint-Jean": a feast day, not the commune.
      if (kept[0]!.ref.kind === 'commune' && !lead && (words[from] === 'saint' || words[from] === 'sainte') && FEAST_ARTICLES.has(words[from - 1] ?? '')) return null;
      return { entries: this.narrowByCode(kept, words[end]), start, end };
    }
    return null;
  }

  /** Keeps the entries whose cue rules are met, the preferred kind first. */
  private accept(
    entries: PlaceEntry[],
    tokens: readonly Token[],
    words: string[],
    start: number,
    end: number,
    afterAu: boolean,
    used: readonly boolean[] = [],
  ): PlaceEntry[] {
    // "les familles bourguignonnes": a demonym, also the name of a hamlet read only with a cue.
    if (entries.some((e) => e.demonym)) {
      if (this.demonymReads(tokens, words, start, end)) return entries.filter((e) => e.demonym);
      entries = entries.filter((e) => !e.demonym);
      if (entries.length === 0) return entries;
    }
    const prev = words[start - 1];
    const prev2 = words[start - 2];
    const academieCue =
      (prev !== undefined && ACADEMIE_WORDS.has(prev)) ||
      ((prev === 'de' || prev === 'd' || prev === 'of') && prev2 !== undefined && ACADEMIE_WORDS.has(prev2)) ||
      words[end] === 'academy' || words[end] === 'academie';
    if (academieCue) {
      const academies = entries.filter((e) => e.ref.kind === 'academie');
      if (academies.length > 0) return academies;
    }
    const rawPrev = tokens[start - 1]?.raw;
    // "/statut ent Nice", "pronote Tours ?": a name right after a service name, ending the question.
    const afterService = start > 0 && used[start - 1] === true && end === words.length;
    const capitalised = UPPER.test(tokens[start]?.raw ?? '');
    // "Pointe-à-Pitre", "Fontaine-lès-Dijon": a name of words written whole, hyphens and capital,
    // is a name; not a saint's ("école Sainte-Marie", "collège Saint-Joseph": a school's name).
    const hyphenName =
      end - start >= 2 && capitalised && words[start] !== 'saint' && words[start] !== 'sainte' &&
      !SCHOOL_NOUNS.has(prev ?? '') && this.hyphenated(tokens, start, end);
    const communeCue =
      afterAu || hyphenName ||
      rawPrev === 'à' || rawPrev === 'À' ||
      (prev === 'a' && (capitalised || (this.french && !VERB_SUBJECTS.has(prev2 ?? '') && !PARTICIPLES.has(words[start]!)))) ||
      (prev !== undefined && COMMUNE_CUES.has(prev)) ||
      // "families from Nantes" (not a cue for an unknown name: "an email from Julie").
      prev === 'from' ||
      ((prev === 'de' || prev === 'd') && prev2 !== undefined && (OF_CUES.has(prev2) || used[start - 2] === true)) ||
      this.codeFollows(words, end) ||
      afterService;
    // "pronote nancy en panne": a big city right after a service name, where the place can end (below).
    const afterServiceMid = start > 0 && used[start - 1] === true && AFTER_SERVICE_NEXT.has(words[end] ?? '');
    // "la Réunion", "all over Réunion": written with its capital inside a sentence, the island.
    const phrase = words.slice(start, end).join(' ');
    if (CAPITAL_NAMES.has(phrase) && UPPER.test(tokens[end - 1]!.raw) && start > 0 && !/[.!?]/.test(this.gapBefore(tokens, start))) {
      const areas = entries.filter((e) => e.ref.kind === 'region' || e.ref.kind === 'departement');
      if (areas.length > 0) {
        const best = Math.min(...areas.map((e) => preference(e)));
        return areas.filter((e) => preference(e) === best);
      }
    }
    if (!afterAu && end === start + 1 && ENGLISH_CUED_NAMES.has(words[start]!)) {
      const cued = used[start - 1] === true || (prev !== undefined && ENGLISH_PLACE_CUES.has(prev));
      if (!cued || !(capitalised || used[start - 1] === true || endsPhrase(tokens, this.text, words, end, used))) return [];
      return entries.filter((e) => e.ref.kind === 'region');
    }
    const areaCue =
      communeCue || (prev !== undefined && AREA_CUES.has(prev) && !(prev === 'en' && words[start] === 'somme' && !capitalised));
    // A cue is not enough for a word written in lower case: "à aucun moment", "in this case",
    // "à y accéder", "le nord du bâtiment". It must end the place complement ("à gap ?"), and a
    // commune must be big enough to be the likely meaning. A capital ("à Vue"), a code after
    // it ("vue 44640") or a service name before it ("ent vue") is enough.
    const strong = capitalised || afterService || this.codeFollows(words, end);
    const ends = (!strong || afterServiceMid) && entries.some((e) => e.needsCue) && endsPhrase(tokens, this.text, words, end, used);
    const distinctKinds = new Set(entries.map((e) => e.ref.kind)).size;
    const kept = entries.filter((e) => {
      // An académie named like a city or an ordinary word needs "académie de".
      if (e.ref.kind === 'academie') return distinctKinds === 1 && !e.needsCue;
      if (!e.needsCue) return true;
      if (e.ref.kind === 'commune') {
        return (
          (communeCue && (strong || (ends && e.population >= LOWERCASE_MIN_POPULATION))) ||
          (afterServiceMid && ends && e.population >= WORD_NAME_MAX_POPULATION)
        );
      }
      return areaCue && (strong || ends);
    });
    if (kept.length === 0) return kept;
    const best = Math.min(...kept.map((e) => preference(e)));
    return kept.filter((e) => preference(e) === best);
  }

  /** The text between the token before `start` and it. */
  private gapBefore(tokens: readonly Token[], start: number): string {
    return start > 0 ? this.text.slice(tokens[start - 1]!.end, tokens[start]!.start) : '';
  }

  /** Whether the tokens start..end are joined by hyphens (or an apostrophe) only: "Pointe-à-Pitre". */
  private hyphenated(tokens: readonly Token[], start: number, end: number): boolean {
    for (let k = start + 1; k < end; k++) if (!/^['’-]$/.test(this.gapBefore(tokens, k))) return false;
    return true;
  }

  /**
   * Whether the demonym at start..end names its place: as a plural noun after a plural
   * determiner ("les Lillois", "chez les Bretons", "des Parisiens"), or as an adjective after
   * a noun ("les familles nantaises", "l'ENT niçois", "une école bretonne"). Not as a singular
   * noun after an article or a preposition, which is a language, a song or a person ("le
   * breton", "la Marseillaise", "en alsacien", "chez Picard"), nor after a title or a dish
   * ("Mme Normand", "salade niçoise"). English demonyms come before their noun ("Parisian
   * schools") and read everywhere but after a title.
   */
  private demonymReads(tokens: readonly Token[], words: string[], start: number, end: number): boolean {
    const form = DEMONYM_FORMS.get(words.slice(start, end).join(' '));
    if (!form) return false;
    const prev = words[start - 1];
    if (prev !== undefined && DEMONYM_NOT_AFTER.has(prev)) return false;
    if (form.english) return true;
    const plural = form.number !== 'singular';
    if (prev === undefined) return form.number === 'plural';
    if (PLURAL_DETERMINERS.has(prev)) return plural;
    if (FUNCTION_WORDS.has(prev) || /^\d/.test(prev)) return false;
    // "Jean Picard", "Pierre Normand": a name after a first name.
    const raw = tokens[start]!.raw;
    const prevRaw = tokens[start - 1]!.raw;
    if (form.number === 'singular' && UPPER.test(raw) && UPPER.test(prevRaw) && raw !== raw.toUpperCase()) return false;
    return true;
  }

  /** Communes of a homonymous name, narrowed by the postal code or département number after it. */
  private narrowByCode(entries: PlaceEntry[], next: string | undefined): PlaceEntry[] {
    if (next === undefined || entries.length < 2 || !/^\d/.test(next) && !DEP_CODE.test(next)) return entries;
    const code = next.toUpperCase();
    const inside = entries.filter((e) => {
      if (e.ref.kind !== 'commune') return false;
      const c = this.gazetteer.commune(e.ref.code);
      return c !== undefined && (c.departement === code || c.postalCodes.includes(next));
    });
    return inside.length > 0 ? inside : entries;
  }

  /** A postal code or département number follows ("Eu (76)", "Vue 44640"). */
  private codeFollows(words: string[], end: number): boolean {
    const next = words[end];
    // "vers 14 h" is a time, not Vers (14).
    return next !== undefined && (/^\d{5}$/.test(next) || (DEP_CODE.test(next) && !NOT_DEP_AFTER.has(words[end + 1] ?? '')));
  }

  private numberAt(tokens: readonly Token[], words: string[], text: string, i: number, used: readonly boolean[]): Match | null {
    const w = words[i]!;
    if (/^\d{5}$/.test(w)) {
      if (!isPostcodeSlot(words, i)) return null;
      const communes = this.gazetteer.communesByPostalCodeOf(w);
      if (communes.length === 0) return null;
      const entries = communes.map((c) => ({
        ref: { kind: 'commune' as const, code: c.code, name: c.name },
        population: c.population,
        needsCue: false,
        typoTolerant: false,
      }));
      return { entries, start: i, end: i + 1 };
    }
    if (!DEP_CODE.test(w)) return null;
    const token = tokens[i]!;
    const before = text.slice(0, token.start).trimEnd();
    const after = text.slice(token.end).trimStart();
    const bracketed = before.endsWith('(') && after.startsWith(')');
    // "in the 93": the article after "in".
    const prev = words[i - 1] === 'the' && words[i - 2] === 'in' ? 'in' : words[i - 1];
    const cued =
      prev !== undefined &&
      DEP_NUMBER_CUES.has(prev) &&
      !NOT_DEP_AFTER.has(words[i + 1] ?? '') &&
      !NOT_DEP_BEFORE.has(words[i - 2] ?? '') &&
      !(prev === 'le' && /^\d/.test(words[i + 1] ?? ''));
    // "/statut pronote 31", "ENT 54 en panne ?", "ent 974 ok?": a number right after a service
    // name, ending the question or followed by what is said of the service.
    const next = words[i + 1];
    // Punctuation ends the number unless a number goes on: "10:00", "35,000", "2.5".
    const ends = next === undefined || (/[,;:!?.]/.test(this.gapBefore(tokens, i + 1)) && !/^\d/.test(next));
    const afterService = i > 0 && used[i - 1] === true && (ends || AFTER_SERVICE_NEXT.has(next!) || next === 'ok');
    // "alerts for the 06 here", "everything about the 974": English "the" before a number
    // ending the phrase (not "for the 30 students", "for the 30-140 ms").
    const theNumber = words[i - 1] === 'the' && (ends || THE_NUMBER_NEXT.has(next!));
    // "en 2A", "en Haute-Corse (2B)": the Corsican codes are no number read as a date or a time.
    const corsican = (w === '2a' || w === '2b') && (prev === 'en' || used[i - 1] === true);
    if (!bracketed && !cued && !afterService && !corsican && !theNumber) return null;
    if (w === '20') {
      // Corsica's number before 1976, still in use: "dans le 20", "département 20", but never
      // "le 20" or "du 20" alone (a date) nor "(20)" (a count, more often than not).
      const before = words[i - 1] ?? '';
      const strong =
        afterService || ['departement', 'dept', 'dpt', 'dep'].includes(before) ||
        (before === 'le' && words[i - 2] === 'dans') || (before === 'the' && words[i - 2] === 'in');
      const corse = strong ? this.gazetteer.get('region', CORSE_REGION) : undefined;
      return corse ? { entries: [{ ref: corse, population: 0, needsCue: false, typoTolerant: false }], start: i, end: i + 1 } : null;
    }
    const ref = this.gazetteer.get('departement', w.toUpperCase());
    return ref ? { entries: [{ ref, population: 0, needsCue: false, typoTolerant: false }], start: i, end: i + 1 } : null;
  }

  private typo(tokens: readonly Token[], words: string[], used: readonly boolean[]): Match | null {
    const limit = Math.min(words.length, MAX_TYPO_TOKENS);
    for (let i = 0; i < limit; i++) {
      for (let n = Math.min(3, limit - i); n >= 1; n--) {
        const span = words.slice(i, i + n);
        if (used.slice(i, i + n).some(Boolean)) continue;
        if (!span.every((w) => /^[a-z]+$/.test(w) && !this.knownWords.has(w))) continue;
        const fresh = span.filter((w) => !this.index.vocabulary.has(w));
        if (fresh.length === 0 || fresh.some((w) => TYPO_GUARD.has(w))) continue;
        const phrase = span.join(' ');
        if (phrase.length < 5) continue;
        for (const near of this.index.near(phrase)) {
          // Short words have many neighbours: they are only corrected into areas and large towns.
          const minPopulation = phrase.length < 8 ? SHORT_TYPO_MIN_POPULATION : 0;
          const entries = (this.index.exact(near.phrase) ?? []).filter(
            (e) => e.typoTolerant && !e.needsCue && (e.ref.kind !== 'commune' || e.population >= minPopulation),
          );
          const kept = this.accept(entries, tokens, words, i, i + n, false);
          if (kept.length > 0) return { entries: kept, start: i, end: i + n };
        }
      }
    }
    return null;
  }

  /**
   * A big city written as it sounds, by its start or without vowels ("à marseil", "pronote
   * hs a bordo", "ent à montpel", "strasbrg": city-sounds.ts), tried when nothing else
   * matched. The word must be no dictionary word, no word of another reader or of a place
   * name, and come after a locative cue or a service name, or be capitalised.
   */
  private soundAlike(tokens: readonly Token[], words: string[], used: readonly boolean[]): Match | null {
    const limit = Math.min(words.length, MAX_TYPO_TOKENS);
    for (let i = 0; i < limit; i++) {
      const w = words[i]!;
      if (used[i] || !/^[a-z]+$/.test(w) || w.length < 4) continue;
      if (this.knownWords.has(w) || this.index.vocabulary.has(w) || TYPO_GUARD.has(w) || SOUND_GUARD.has(w)) continue;
      const prev = words[i - 1];
      const raw = tokens[i - 1]?.raw;
      const cue =
        raw === 'à' || raw === 'À' || (prev !== undefined && SOUND_CUES.has(prev)) ||
        (prev === 'a' && this.french && !VERB_SUBJECTS.has(words[i - 2] ?? '')) ||
        used[i - 1] === true;
      if (!cue) continue;
      const entry = this.index.soundAlike(w);
      if (entry && !addressesPerson(tokens, this.text, words, i, i + 1)) return { entries: [entry], start: i, end: i + 1 };
    }
    return null;
  }

  /**
   * A longer name ending with an exact match, whose first words are misspelt ("bouche du
   * rhone" → Bouches-du-Rhône): one or two words before the match, one typo lookup each.
   */
  private typoBefore(tokens: readonly Token[], words: string[], used: readonly boolean[], m: Match): Match | null {
    for (let back = 2; back >= 1; back--) {
      const start = m.start - back;
      if (start < 0) continue;
      const span = words.slice(start, m.end);
      if (used.slice(start, m.start).some(Boolean)) continue;
      const before = span.slice(0, back);
      if (!span.every((w) => /^[a-z]+$/.test(w))) continue;
      // The misspelt words are words of no place name and no other reader's word.
      const fresh = before.filter((w) => !this.index.vocabulary.has(w));
      if (fresh.length === 0 || fresh.some((w) => this.knownWords.has(w))) continue;
      const phrase = span.join(' ');
      for (const near of this.index.near(phrase)) {
        const entries = (this.index.exact(near.phrase) ?? []).filter((e) => e.typoTolerant && !e.needsCue && e.ref.kind !== 'commune');
        if (entries.length > 0) return { entries, start, end: m.end };
      }
    }
    return null;
  }

  /** The capitalised word after a locative cue, when nothing matched. */
  private unknown(tokens: readonly Token[], text: string, used: readonly boolean[]): string | null {
    let norms: string[] | null = null;
    for (let i = 0; i < tokens.length - 1; i++) {
      const t = tokens[i]!;
      // "dans le 99", "département 96", "in the 00": a département number that does not exist
      // is an unknown place, not the whole country.
      const depCue =
        t.norm === 'departement' || t.norm === 'dept' || t.norm === 'dpt' ||
        (t.norm === 'le' && tokens[i - 1]?.norm === 'dans') || (t.norm === 'the' && tokens[i - 1]?.norm === 'in');
      const number = tokens[i + 1]!;
      if (
        depCue &&
        !used[i + 1] &&
        /^(\d{2,3}|2[ab])$/.test(number.norm) &&
        !NOT_DEP_AFTER.has(tokens[i + 2]?.norm ?? '') &&
        !this.gazetteer.get('departement', number.norm.toUpperCase())
      ) {
        return number.raw;
      }
      const cue = t.raw === 'à' || t.raw === 'À' || COMMUNE_CUES.has(t.norm) || t.norm === 'a' || ACADEMIE_WORDS.has(t.norm);
      if (!cue && !POSTCODE_CUES.has(t.norm)) continue;
      let j = i + 1;
      if (['de', 'd', 'of'].includes(tokens[j]?.norm ?? '') && ACADEMIE_WORDS.has(t.norm)) j++;
      const next = tokens[j];
      // "ENT à 99999": a postal code no commune has is an unknown place, not the whole country.
      if (next && /^\d{5}$/.test(next.norm) && (t.raw === 'à' || t.raw === 'À' || POSTCODE_CUES.has(t.norm)) && isPostcodeSlot((norms ??= tokens.map((t) => t.norm)), j)) {
        return next.raw;
      }
      if (!cue || !next || used[j] || /\d/.test(next.raw) || this.knownWords.has(next.norm)) continue;
      // Written in lower case, a name is read as one only where nothing else fits: the last
      // word, right after "à" or "in"/"at" ("l'ENT marche à trifouilly ?", "is pronote down in
      // smallville?"), and no ordinary word ("à nouveau", "in general", "à faire").
      if (!UPPER.test(next.raw)) {
        let last = j;
        while (last + 1 < tokens.length && text.slice(tokens[last]!.end, tokens[last + 1]!.start) === '-') last++;
        const rest = tokens.slice(last + 1);
        if (rest.every((w) => TIME_AFTER_NAME.has(w.norm)) && lowercaseName(tokens[i - 1], t, next)) return text.slice(next.start, tokens[last]!.end);
        continue;
      }
      if (addressesPerson(tokens, text, (norms ??= tokens.map((t) => t.norm)), j, j + 1)) continue;
      let end = j;
      // Hyphens and apostrophes hold a compound name together: "Trifouillis-les-Oies".
      while (end + 1 < tokens.length && /^['’-]$/.test(text.slice(tokens[end]!.end, tokens[end + 1]!.start))) end++;
      return text.slice(next.start, tokens[end]!.end);
    }
    return null;
  }

  private choose(matches: Match[]): Omit<PlaceResult, 'spans'> {
    const areas = matches.filter((m) => m.entries[0]!.ref.kind !== 'commune' && m.entries[0]!.ref.kind !== 'national');
    // A région or département named alongside narrows homonyms ("Saint-Denis (974)").
    const narrowed = matches.map((m) => {
      if (m.entries[0]!.ref.kind !== 'commune' || areas.length === 0) return m;
      const inside = m.entries.filter((e) => areas.some((a) => this.gazetteer.contains(a.entries[0]!.ref, e.ref)));
      return inside.length > 0 ? { ...m, entries: inside } : m;
    });
    const ranked = [...narrowed].sort(
      (a, b) => KIND_RANK[b.entries[0]!.ref.kind] - KIND_RANK[a.entries[0]!.ref.kind] || a.start - b.start,
    );
    // The narrowest place that lies inside every other named place; else the first named.
    const consistent = ranked.find((m) =>
      narrowed.every((o) => o === m || o.entries[0]!.ref.kind === 'national' || this.gazetteer.contains(o.entries[0]!.ref, m.entries[0]!.ref)),
    );
    const chosen = consistent ?? narrowed[0]!;
    const [first, ...rest] = chosen.entries;
    return { place: first!.ref, alternatives: rest.slice(0, 10).map((e) => e.ref), unknownPlace: null };
  }
}

/**
 * Words that end a question after "à" or "in"/"at" and name no place ("ça remarche à
 * nouveau ?", "down in general?"); with the checks of `lowercaseName`.
 */
const NOT_NAME_AFTER_CUE = new Set(
  (
    // French, after "à"
    'nouveau distance jour domicile maison temps present midi minuit moi toi lui nous vous eux elle elles tous tout toute ' +
    'rien personne part peine fond vie cote jamais droite gauche bientot demain plus chaque combien quoi qui quel quelle ' +
    'quels quelles pied velo cheval ecole college lycee fac universite distanciel presentiel lheure heure heures minute ' +
    'minutes fois peu propos terme jeun volonte regret tort raison cela ceci celle celui ceux vos nos leur leurs mon ton son ' +
    'ma ta sa mes tes ses notre votre ' +
    // English, after "in" / "at"
    'general time advance progress class school town here there english french chrome firefox safari edge browser app ' +
    'it maintenance beta fact person total sync question theory practice use order place bed line stock effect trouble ' +
    'turn return summary detail details full part private public writing print vain future mind charge all least most ' +
    'once home work office morning afternoon evening night noon midnight moment minute minutes hour hours days weeks ' +
    'once first last least best worst risk danger doubt short particular addition case this that these those them us me ' +
    'you him her our your their my his its everywhere anywhere somewhere nowhere'
  ).split(' '),
);

/**
 * Words saying how a service is doing, before "a" (for "à") or "in"/"at": "marche a
 * trifouilly", "down in smallville". Elsewhere "a" is the verb ("ça a planté") and "in" a
 * particle ("log in", "in childcare").
 */
const STATUS_BEFORE_CUE = new Set(
  (
    'marche marchent fonctionne fonctionnent panne pannes hs bug bugue bugge plante coupe coupee lent lente dispo ' +
    'accessible inaccessible ok down up working work works out outage outages broken offline online slow problem ' +
    'problems issue issues crashed failing'
  ).split(' '),
);

/** Words that may follow a lower-case name ending a question: "à trifouilly ce matin ?". */
const TIME_AFTER_NAME = new Set('ce cet matin soir aujourd hui aujourdhui maintenant encore depuis hier today now still this morning tonight again yesterday'.split(' '));

/** Whether a lower-case word after a place cue may be a place name the gazetteer does not know. */
function lowercaseName(before: Token | undefined, cue: Token, word: Token): boolean {
  const accented = cue.raw === 'à' || cue.raw === 'À';
  const french = accented || cue.norm === 'a';
  if (!accented && !((cue.norm === 'a' || cue.norm === 'in' || cue.norm === 'at') && STATUS_BEFORE_CUE.has(before?.norm ?? ''))) return false;
  if (!/^[a-z]{4,}$/.test(word.norm) || NOT_NAME_AFTER_CUE.has(word.norm) || TYPO_GUARD.has(word.norm)) return false;
  // "à faire", "à partir", "à prendre", "à voir": a verb, not a place.
  if (french && /(er|ir|re|oir)$/.test(word.norm)) return false;
  // "in testing", "at ease"...: English forms, not names.
  if (!french && /(ing|ed|ly|ness|ment|tion|able)$/.test(word.norm)) return false;
  return true;
}

/** The five-digit number at `i` may be a postal code (it does not count or name something). */
function isPostcodeSlot(words: readonly string[], i: number): boolean {
  return !NOT_POSTCODE_BEFORE.has(words[i - 1] ?? '') && !NOT_POSTCODE_AFTER.has(words[i + 1] ?? '');
}

function preference(e: PlaceEntry): number {
  switch (e.ref.kind) {
    case 'region':
      return 0;
    case 'departement':
      return 1;
    case 'commune':
      return 2;
    case 'academie':
      return 3;
    case 'national':
      return 4;
  }
}
