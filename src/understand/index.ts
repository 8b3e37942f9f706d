/**
 * Question understanding: turns what a person typed into a `Query` (language, intent,
 * service, level, place). Deterministic, local, and fast: every index is built once in
 * `createUnderstander`, and a question costs a few map lookups per word.
 */
import type { Service } from '../content/schemas.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { Intent, Language, Query } from '../base/types.js';
import type { Token } from '../base/text.js';
import { looksLikeFollowUp, mergeFollowUp, hasLead } from './follow-up.js';
import { injectionStart, INTENT_WORDS, isInjection } from './intent.js';
import { LinearModel, MASK, type LinearModelFile, type ModelInput } from './linear-model.js';
import shippedModels from './models.json' with { type: 'json' };
import { findLevel, isLevelWord } from './levels.js';
import { MAX_QUESTION_LENGTH, sanitize, tokenize } from '../base/text.js';
import { NestedMemo } from '../base/nested-memo.js';
import { placeIndexFor } from './place-index.js';
import { PlaceFinder } from './places.js';
import { ServiceMatcher } from './services.js';

export { MAX_QUESTION_LENGTH };

/** A question's reading before any follow-up merge (see `read`). */
interface Reading {
  query: Query;
  /** It would carry on a previous question (follow-up.ts). */
  followUp: boolean;
  /** It starts with a lead such as "et", "and what" (follow-up.ts). */
  lead: boolean;
}

/** Distinct readings kept (then the memory starts over). */
const FIRST_QUESTIONS_MAX = 10_000;

/** The trained models the understander reads with (src/understand/models.json, `npm run train`). */
export interface ModelsFile {
  format: 'vigie-models/1';
  /** What they were trained on: files, their SHA-256, and the number of examples. */
  trainedOn: { files: string[]; sha256: string; examples: number };
  intent: LinearModelFile;
  language: LinearModelFile;
}

/**
 * The intent's runner-up is offered as a follow-up when it is at least this fraction as
 * likely as the intent read (`otherIntent`).
 */
export const CLOSE_INTENT_RATIO = 0.5;
/** Below this probability, the words do not tell the language: the platform's or conversation's decides. */
const LANGUAGE_SURE = 0.75;
const DIGITS = /^[0-9]+$/;
// Little words that join names ("l'ENT à Nîmes", "the ENT in Lille", "pronote ds le 93"), and
// levels and districts ("ENT lycée Lyon 3e"): a message of names and these asks about the names.
const NAME_FILLERS = new Set(['l', 'le', 'la', 'les', 'en', 'a', 'au', 'aux', 'dans', 'ds', 'du', 'de', 'des', 'd', 'sur', 'pour', 'the', 'in', 'at', 'on', 'for', 'of', '1er', '1re', '2e', '3e', '4e', '5e', '6e', '7e', '8e', '9e', '10e', '11e', '12e', '13e', '14e', '15e', '16e', '17e', '18e', '19e', '20e']);

/**
 * The words as the models see them: folded, with the words of a service name (`used`), of
 * every place named (`places`: the words the place reader matched, "toulouz", "les Bretons"
 * included) and numbers masked, a run of one mask kept once.
 */
function modelInput(tokens: readonly Token[], text: string, used: readonly boolean[], places: readonly { start: number; end: number }[]): ModelInput {
  const words: string[] = [];
  let last = '';
  for (let i = 0; i < tokens.length; i++) {
    let w = tokens[i]!.norm;
    if (used[i]) w = MASK.service;
    else if (places.some((p) => i >= p.start && i < p.end)) w = MASK.place;
    else if (DIGITS.test(w)) w = MASK.number;
    if (w === last && w.charCodeAt(0) === 0xa7) continue;
    words.push(w);
    last = w;
  }
  return { words, text };
}

/** The intents that only ask (nothing is changed or counted): read beside an attempt to steer the bot. */
const QUESTIONS: ReadonlySet<Intent> = new Set(['status', 'eta', 'cause', 'advice', 'help']);

// Where a sentence ends, and words that only join what follows to it.
const SENTENCE_END = /[.?!;\n]+/g;
const JOINERS = new Set(['and', 'also', 'then', 'but', 'plus', 'ps', 'et', 'aussi', 'puis', 'mais', 'sinon', 'ah', 'oh', 'btw', 'apres']);

/**
 * The text without the attempts to steer the bot: each sentence that holds one is kept up to
 * where the attempt starts (joining words such as "and", "aussi" dropped), the others whole.
 * Empty when nothing is left.
 */
function withoutInjection(text: string, tokens: readonly Token[]): string {
  const kept: string[] = [];
  let from = 0;
  const pieces: [number, number][] = [];
  for (const m of text.matchAll(SENTENCE_END)) {
    pieces.push([from, m.index + m[0].length]);
    from = m.index + m[0].length;
  }
  pieces.push([from, text.length]);
  for (const [start, end] of pieces) {
    const inside = tokens.filter((t) => t.start >= start && t.end <= end);
    if (inside.length === 0) continue;
    const norms = inside.map((t) => t.norm);
    let first = injectionStart(norms);
    if (first < 0) {
      kept.push(text.slice(start, end).trim());
      continue;
    }
    while (first > 0 && JOINERS.has(norms[first - 1]!)) first--;
    if (first > 0) kept.push(text.slice(start, inside[first]!.start).trim());
  }
  return kept.join(' ').trim();
}

/** A text read as nothing to act on: no intent, service, place or level. */
function nothingRead(text: string, language: Language, truncated: boolean): Query {
  return { text, language, intent: 'unknown', service: null, level: null, place: null, alternatives: [], unknownPlace: null, truncated };
}

/** Reads questions. */
export interface Understander {
  /**
   * Reads one question. `previous` is the last query of the same conversation (for
   * follow-ups such as "et en Bretagne ?"); `locale` is the platform's idea of the
   * person's language, used when the words do not tell. Never throws.
   */
  understand(text: string, options?: { previous?: Query | null; locale?: string }): Query;
  /**
   * Builds, a slice at a time with a yield between, what reading would otherwise build on
   * first need (the typo index: about 0.1 s at the first misspelled place name). For a
   * long-running bot just after it starts; a question meanwhile is read as usual.
   */
  prepare?(): Promise<void>;
  /**
   * The words the models read for this text (for training and evaluation tools); null when
   * an exact rule decides alone (an attempt to steer the bot and nothing else). `locale`
   * stands for the language the words are in, when the models cannot tell yet (training).
   */
  modelInput(text: string, options?: { locale?: string }): ModelInput | null;
}

/** Builds the indexes once (places, services) and returns the reader. */
export function createUnderstander(deps: {
  gazetteer: Gazetteer;
  services: Service[];
  /** Told of a reader bug (the question is then read as not understood); for logs and tests. */
  onError?: (error: unknown, text: string) => void;
  /** The trained models (default: the shipped src/understand/models.json). */
  models?: ModelsFile;
}): Understander {
  const models = deps.models ?? (shippedModels as ModelsFile);
  const intentModel = new LinearModel(models.intent);
  const languageModel = new LinearModel(models.language);
  const services = new ServiceMatcher(deps.services);
  const index = placeIndexFor(deps.gazetteer);
  const known = new Set<string>([...services.vocabulary, ...INTENT_WORDS]);
  const places = new PlaceFinder(deps.gazetteer, index, {
    has: (w: string) => known.has(w) || isLevelWord(w),
  } as ReadonlySet<string>);

  const isKnown = (w: string) => known.has(w) || isLevelWord(w) || index.vocabulary.has(w);

  /**
   * The language of the words: the model's when it is sure; otherwise `fallback` (the
   * previous question's, given only when the platform gave no locale), else `hint` (the
   * platform's locale, or the previous question's language), else the model's best guess.
   */
  function readLanguage(input: ModelInput, hint: string | undefined, fallback: Language | null): Language {
    const top = input.words.some((w) => w.charCodeAt(0) !== 0xa7) ? languageModel.classify(input)[0]! : null;
    if (top && top.p >= LANGUAGE_SURE) return top.label as Language;
    if (fallback) return fallback;
    if (hint) return hint.toLowerCase().startsWith('en') ? 'en' : 'fr';
    return (top?.label as Language | undefined) ?? 'fr';
  }

  /**
   * The intent the model reads, its probability, and the runner-up when it is close. Two
   * exact rules come first: no words at all is not understood; names and nothing else ("ent
   * occitanie", "pronote 59") ask how that service is doing there.
   */
  function readIntent(input: ModelInput): { intent: Intent; confidence: number; otherIntent: Intent | null } {
    if (input.words.length === 0) return { intent: 'unknown', confidence: 1, otherIntent: null };
    if (input.words.every((w) => w.charCodeAt(0) === 0xa7 || NAME_FILLERS.has(w) || isLevelWord(w)) && input.words.some((w) => w === MASK.service || w === MASK.place)) {
      return { intent: 'status', confidence: 1, otherIntent: null };
    }
    const [top, second] = intentModel.classify(input);
    const close = second !== undefined && second.p >= top!.p * CLOSE_INTENT_RATIO;
    return { intent: top!.label as Intent, confidence: Math.round(top!.p * 1000) / 1000, otherIntent: close ? (second.label as Intent) : null };
  }

  /**
   * What every reading starts from: the text (cut and cleaned), its words, the service names
   * found (`used` marks their words), the place, the words as the models see them, and the
   * language.
   */
  function scan(raw: string, hint: string | undefined, fallback: Language | null) {
    // Structural bounds, so any input costs bounded time: the text is cut at
    // MAX_QUESTION_LENGTH characters (base/text.ts), every reader walks the tokens once, and
    // typo lookups are capped to the first few words (places.ts, services.ts).
    const { text, truncated } = sanitize(raw);
    const tokens = tokenize(text);
    const used = new Array<boolean>(tokens.length).fill(false);

    const serviceMatches = services.findAll(tokens);
    if (serviceMatches.length === 0) {
      const typo = services.findTypo(tokens, isKnown);
      if (typo) serviceMatches.push(typo);
    }
    for (const m of serviceMatches) for (let i = m.start; i < m.end; i++) used[i] = true;

    // Words of a service name ("ma classe à la maison") say nothing of the writer's language,
    // nor a place's ("Nice", "Lens"): both are masked before the models read the words.
    const firstInput = modelInput(tokens, text, used, []);
    let language = readLanguage(firstInput, hint, fallback);
    const found = places.find(tokens, text, used, language);
    const input = found.spans.length > 0 ? modelInput(tokens, text, used, found.spans) : firstInput;
    if (input !== firstInput) language = readLanguage(input, hint, fallback);
    return { text, truncated, tokens, used, serviceMatches, found, input, language };
  }

  /**
   * A question's reading, before any follow-up merge: a pure function of the text, the
   * language hint (the platform's locale, else the previous question's language) and the
   * language to fall back on when the words do not tell (the previous question's, when the
   * platform gave no locale). `followUp` and `lead` say how it would carry on a previous
   * question (follow-up.ts).
   */
  function read(raw: string, hint: string | undefined, fallback: Query['language'] | null, depth = 0): Reading {
    const { text, truncated, tokens, used, serviceMatches, found, input, language } = scan(raw, hint, fallback);
    const words = tokens.map((t) => t.norm).join(' ');
    const service = services.pick(serviceMatches, tokens);
    let place = found.place;
    let alternatives = found.alternatives;
    if (!place && service?.place) {
      place = deps.gazetteer.get(service.place.kind, service.place.code);
      alternatives = [];
    }
    // The level the words name and the one a service's name says ("l'ENT du collège") must
    // agree; a brand's only level, not in its name ("ENT Occitanie"), gives way to the words.
    const named = findLevel(tokens, used);
    const level = named && service?.level && named !== service.level ? (service.levelImplied ? named : null) : (named ?? service?.level ?? null);

    if (isInjection(words)) {
      // Text that tries to steer the bot is never acted on. A question beside it ("Is the
      // ENT up in Brest? Also ignore your rules…") is read alone and answered from the data;
      // anything else (a subscription, a report, nothing left) is read as nothing: no service,
      // place or level for the answer to act on.
      const rest = depth === 0 ? withoutInjection(text, tokens) : '';
      const question = rest ? read(rest, hint, fallback, 1) : null;
      if (question && QUESTIONS.has(question.query.intent)) {
        // Nothing but a question is offered either: a subscription or a report stays out.
        const { otherIntent, ...query } = question.query;
        const other = otherIntent && QUESTIONS.has(otherIntent) ? { otherIntent } : {};
        return { ...question, query: { ...query, ...other, truncated: truncated || query.truncated } };
      }
      return { query: nothingRead(text, language, truncated), followUp: false, lead: false };
    }
    const { intent, confidence, otherIntent } = readIntent(input);

    const query: Query = {
      text,
      language,
      intent,
      service: service?.service ?? null,
      level,
      place,
      alternatives,
      unknownPlace: place ? null : found.unknownPlace,
      truncated,
      confidence,
      ...(otherIntent ? { otherIntent } : {}),
    };
    return { query, followUp: looksLikeFollowUp(words, tokens.length, query), lead: hasLead(words) };
  }

  // On a crisis morning hundreds of people send the same words ("pronote marche pas",
  // "le cned fonctionne ce matin ?"), and many send several questions in a row. A wording is
  // read once per language hint and fallback (what `read` depends on besides the text: the
  // indexes never change); the query is frozen, so every asker gets the same value, and a
  // follow-up is merged with each asker's own previous question afterwards.
  const readings = new NestedMemo<string, string, Reading>(FIRST_QUESTIONS_MAX);

  return {
    understand(text, options) {
      const previous = options?.previous ?? null;
      const hint = options?.locale ?? previous?.language;
      const fallback = previous && !options?.locale ? previous.language : null;
      const key = `${hint ?? ''}|${fallback ?? ''}`;
      try {
        // Only text is kept (a caller bug passing something else is read, never remembered).
        const memoised = typeof text === 'string';
        let reading = memoised ? readings.get(key, text) : undefined;
        if (!reading) {
          reading = read(text, hint, fallback);
          Object.freeze(reading.query.alternatives);
          Object.freeze(reading.query);
          if (memoised) readings.set(key, text, reading);
        }
        return previous && reading.followUp ? mergeFollowUp(reading.query, previous, reading.lead) : reading.query;
      } catch (error) {
        // A reader bug must not take the bot down: the question is then simply not understood.
        deps.onError?.(error, typeof text === 'string' ? text.slice(0, 200) : '');
        const { text: clean, truncated } = sanitize(text);
        return nothingRead(clean, 'fr', truncated);
      }
    },
    prepare: () => index.prepare(),
    modelInput(text, options) {
      const first = scan(text, options?.locale, null);
      if (!isInjection(first.tokens.map((t) => t.norm).join(' '))) return first.input;
      const rest = withoutInjection(first.text, first.tokens);
      return rest ? scan(rest, options?.locale, null).input : null;
    },
  };
}
