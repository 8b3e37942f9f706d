/**
 * Question understanding: turns what a person typed into a `Query` (language, intent,
 * service, level, place). Deterministic, local, and fast: every index is built once in
 * `createUnderstander`, and a question costs a few map lookups per word.
 */
import type { Service } from '../content/schemas.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { Query } from '../base/types.js';
import { looksLikeFollowUp, mergeFollowUp, hasLead } from './follow-up.js';
import { detectIntent, INTENT_WORDS, isInjection } from './intent.js';
import { detectLanguage, languageIsUnclear } from './language.js';
import { findLevel, isLevelWord } from './levels.js';
import { foldWords, MAX_QUESTION_LENGTH, sanitize, tokenize } from '../base/text.js';
import { placeIndexFor } from './place-index.js';
import { PlaceFinder } from './places.js';
import { ServiceMatcher } from './services.js';

export { MAX_QUESTION_LENGTH };

/** Distinct first questions whose reading is kept (then the memory starts over). */
const FIRST_QUESTIONS_MAX = 10_000;

/** Reads questions. */
export interface Understander {
  /**
   * Reads one question. `previous` is the last query of the same conversation (for
   * follow-ups such as "et en Bretagne ?"); `locale` is the platform's idea of the
   * person's language, used when the words do not tell. Never throws.
   */
  understand(text: string, options?: { previous?: Query | null; locale?: string }): Query;
}

/** Builds the indexes once (places, services) and returns the reader. */
export function createUnderstander(deps: {
  gazetteer: Gazetteer;
  services: Service[];
  /** Told of a reader bug (the question is then read as not understood); for logs and tests. */
  onError?: (error: unknown, text: string) => void;
}): Understander {
  const services = new ServiceMatcher(deps.services);
  const index = placeIndexFor(deps.gazetteer);
  const known = new Set<string>([...services.vocabulary, ...INTENT_WORDS]);
  const places = new PlaceFinder(deps.gazetteer, index, {
    has: (w: string) => known.has(w) || isLevelWord(w),
  } as ReadonlySet<string>);

  const isKnown = (w: string) => known.has(w) || isLevelWord(w) || index.vocabulary.has(w);

  function understand(input: string, options: { previous?: Query | null; locale?: string } = {}): Query {
    // Structural bounds, so any input costs bounded time: the text is cut at
    // MAX_QUESTION_LENGTH characters (base/text.ts), every reader walks the tokens once, and
    // typo lookups are capped to the first few words (places.ts, services.ts).
    const { text, truncated } = sanitize(input);
    const tokens = tokenize(text);
    const words = tokens.map((t) => t.norm).join(' ');
    const used = new Array<boolean>(tokens.length).fill(false);

    const serviceMatches = services.findAll(tokens);
    if (serviceMatches.length === 0) {
      const typo = services.findTypo(tokens, isKnown);
      if (typo) serviceMatches.push(typo);
    }
    for (const m of serviceMatches) for (let i = m.start; i < m.end; i++) used[i] = true;
    const service = services.pick(serviceMatches);

    const previous = options.previous ?? null;
    // Words of a service name ("ma classe à la maison") say nothing of the writer's language.
    let language = detectLanguage(tokens, text, options.locale ?? previous?.language, used);
    if (previous && !options.locale && languageIsUnclear(tokens, text, used)) language = previous.language;

    const found = places.find(tokens, text, used, language);
    if (found.place) {
      // A place's name ("Nice", "Lens") says nothing of the writer's language either.
      const names = new Set(foldWords(found.place.name));
      if (tokens.some((t, i) => !used[i] && names.has(t.norm))) {
        const withPlace = used.map((u, i) => u || names.has(tokens[i]!.norm));
        language = detectLanguage(tokens, text, options.locale ?? previous?.language, withPlace);
        if (previous && !options.locale && languageIsUnclear(tokens, text, withPlace)) language = previous.language;
      }
    }
    let place = found.place;
    let alternatives = found.alternatives;
    if (!place && service?.place) {
      place = deps.gazetteer.get(service.place.kind, service.place.code);
      alternatives = [];
    }
    const level = findLevel(tokens, used) ?? service?.level ?? null;

    const injection = isInjection(words);
    if (injection) {
      // Text that tries to steer the bot is read as nothing: no service, place or level for
      // the answer to act on, so it gets the neutral reply.
      return { text, language, intent: 'unknown', service: null, level: null, place: null, alternatives: [], unknownPlace: null, truncated };
    }
    const intent = detectIntent({
      words,
      asks: text.includes('?'),
      topical: service !== null || place !== null || level !== null || found.unknownPlace !== null,
      count: tokens.length,
    });

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
    };
    if (previous && looksLikeFollowUp(words, tokens.length, query)) {
      return mergeFollowUp(query, previous, hasLead(words));
    }
    return query;
  }

  // On a crisis morning hundreds of people send the same words ("pronote marche pas",
  // "le cned fonctionne ce matin ?"). A question that does not lean on an earlier one is read
  // once per wording and language hint: the reading is a pure function of both (the indexes
  // never change), and the query is frozen, so every asker gets the same value.
  // Kept per language hint, then per text: no key string is made (and kept) per question.
  const firstQuestions = new Map<string, Map<string, Query>>();
  let firstQuestionsSize = 0;

  return {
    understand(text, options) {
      const memoised = !options?.previous && typeof text === 'string';
      const locale = options?.locale ?? '';
      let forLocale = memoised ? firstQuestions.get(locale) : undefined;
      if (forLocale) {
        const known = forLocale.get(text);
        if (known) return known;
      }
      try {
        const query = understand(text, options);
        if (memoised) {
          if (firstQuestionsSize >= FIRST_QUESTIONS_MAX) {
            firstQuestions.clear();
            firstQuestionsSize = 0;
            forLocale = undefined;
          }
          if (!forLocale) {
            forLocale = new Map();
            firstQuestions.set(locale, forLocale);
          }
          Object.freeze(query.alternatives);
          forLocale.set(text, Object.freeze(query));
          firstQuestionsSize++;
        }
        return query;
      } catch (error) {
        // A reader bug must not take the bot down: the question is then simply not understood.
        deps.onError?.(error, typeof text === 'string' ? text.slice(0, 200) : '');
        const { text: clean, truncated } = sanitize(text);
        return { text: clean, language: 'fr', intent: 'unknown', service: null, level: null, place: null, alternatives: [], unknownPlace: null, truncated };
      }
    },
  };
}
