/**
 * Question understanding: turns what a person typed into a `Query` (language, intent,
 * service, level, place). Deterministic, local, and fast: every index is built once in
 * `createUnderstander`, and a question costs a few map lookups per word.
 */
import type { Service } from '../content/schemas.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { Query } from '../types.js';
import { looksLikeFollowUp, mergeFollowUp, hasLead } from './follow-up.js';
import { detectIntent, INTENT_WORDS, isInjection } from './intent.js';
import { detectLanguage, languageIsUnclear } from './language.js';
import { findLevel, isLevelWord } from './levels.js';
import { MAX_QUESTION_LENGTH, sanitize, tokenize } from './normalize.js';
import { PlaceIndex } from './place-index.js';
import { PlaceFinder } from './places.js';
import { ServiceMatcher } from './services.js';

export { MAX_QUESTION_LENGTH };

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
export function createUnderstander(deps: { gazetteer: Gazetteer; services: Service[] }): Understander {
  const services = new ServiceMatcher(deps.services);
  const index = new PlaceIndex(deps.gazetteer);
  const known = new Set<string>([...services.vocabulary, ...INTENT_WORDS]);
  const places = new PlaceFinder(deps.gazetteer, index, {
    has: (w: string) => known.has(w) || isLevelWord(w),
  } as ReadonlySet<string>);

  function understand(input: string, options: { previous?: Query | null; locale?: string } = {}): Query {
    const { text, truncated } = sanitize(input);
    const tokens = tokenize(text);
    const words = tokens.map((t) => t.norm).join(' ');
    const used = new Array<boolean>(tokens.length).fill(false);

    const serviceMatches = services.findAll(tokens);
    for (const m of serviceMatches) for (let i = m.start; i < m.end; i++) used[i] = true;
    const service = services.pick(serviceMatches);

    const found = places.find(tokens, text, used);
    let place = found.place;
    let alternatives = found.alternatives;
    if (!place && service?.place) {
      place = deps.gazetteer.get(service.place.kind, service.place.code);
      alternatives = [];
    }
    const level = findLevel(tokens) ?? service?.level ?? null;
    const previous = options.previous ?? null;
    let language = detectLanguage(tokens, text, options.locale ?? previous?.language);
    if (previous && !options.locale && languageIsUnclear(tokens, text)) language = previous.language;

    const injection = isInjection(words);
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
    if (previous && !injection && looksLikeFollowUp(words, tokens.length, query)) {
      return mergeFollowUp(query, previous, hasLead(words));
    }
    return query;
  }

  return {
    understand(text, options) {
      try {
        return understand(text, options);
      } catch {
        // A reader bug must not take the bot down: the question is then simply not understood.
        const { text: clean, truncated } = sanitize(text);
        return { text: clean, language: 'fr', intent: 'unknown', service: null, level: null, place: null, alternatives: [], unknownPlace: null, truncated };
      }
    },
  };
}
