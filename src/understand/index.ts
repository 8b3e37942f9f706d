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

  /**
   * A question's reading, before any follow-up merge: a pure function of the text, the
   * language hint (the platform's locale, else the previous question's language) and the
   * language to fall back on when the words do not tell (the previous question's, when the
   * platform gave no locale). `followUp` and `lead` say how it would carry on a previous
   * question (follow-up.ts).
   */
  function read(input: string, hint: string | undefined, fallback: Query['language'] | null): Reading {
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

    // Words of a service name ("ma classe à la maison") say nothing of the writer's language.
    let language = detectLanguage(tokens, text, hint, used);
    if (fallback && languageIsUnclear(tokens, text, used)) language = fallback;

    const found = places.find(tokens, text, used, language);
    if (found.place) {
      // A place's name ("Nice", "Lens") says nothing of the writer's language either.
      const names = new Set(foldWords(found.place.name));
      if (tokens.some((t, i) => !used[i] && names.has(t.norm))) {
        const withPlace = used.map((u, i) => u || names.has(tokens[i]!.norm));
        language = detectLanguage(tokens, text, hint, withPlace);
        if (fallback && languageIsUnclear(tokens, text, withPlace)) language = fallback;
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
      return { query: { text, language, intent: 'unknown', service: null, level: null, place: null, alternatives: [], unknownPlace: null, truncated }, followUp: false, lead: false };
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
        return { text: clean, language: 'fr', intent: 'unknown', service: null, level: null, place: null, alternatives: [], unknownPlace: null, truncated };
      }
    },
    prepare: () => index.prepare(),
  };
}
