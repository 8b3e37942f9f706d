/**
 * Follow-ups: "et en Bretagne ?", "and for lycées?", "et le cned ?" carry on the previous
 * question, so what they leave out (service, level, place, intent) comes from it.
 */
import type { Intent, Query } from '../base/types.js';

const LEADS = new Set(['et', 'and', 'also', 'aussi', 'pareil', 'idem', 'same', 'meme', 'sinon', 'what', 'how', 'ou', 'or']);
const CONTINUING = new Set(['what about', 'how about', 'and what', 'et pour', 'et du', 'et au', 'et en', 'et a', 'et le', 'et la', 'et les', 'et l', 'et dans']);
// What a follow-up may repeat: questions, never an action such as subscribing.
const CARRIED_INTENTS = new Set<Intent>(['status', 'eta', 'cause', 'advice']);
const SHORT = 8;
// Up to this many words, a message naming only a place carries on the previous question.
const PLACE_ONLY = 4;

/** True when `words` (folded, space-joined) reads as the continuation of a previous question. */
export function looksLikeFollowUp(words: string, count: number, current: Query): boolean {
  const first = words.split(' ', 1)[0] ?? '';
  const firstTwo = words.split(' ').slice(0, 2).join(' ');
  if (CONTINUING.has(firstTwo) || (LEADS.has(first) && count <= SHORT)) return true;
  if (count > SHORT || current.service !== null || current.intent === 'unknown' || current.intent === 'help') return false;
  // A short question that leaves out what it is about ("quand ça revient ?", "pourquoi ?"),
  // or only names a place ("in Toulouse?", "31400 ?", "partout ?").
  return current.place === null || count <= PLACE_ONLY;
}

/** Fills what `current` leaves out from `previous`. */
export function mergeFollowUp(current: Query, previous: Query, hasLead: boolean): Query {
  const intent =
    current.intent === 'status' && hasLead && CARRIED_INTENTS.has(previous.intent)
      ? previous.intent
      : current.intent === 'unknown'
        ? CARRIED_INTENTS.has(previous.intent) ? previous.intent : 'status'
        : current.intent;
  const keepsPlace = current.place === null && current.unknownPlace === null;
  return {
    ...current,
    intent,
    service: current.service ?? previous.service,
    level: current.level ?? previous.level,
    place: keepsPlace ? previous.place : current.place,
    alternatives: keepsPlace ? previous.alternatives : current.alternatives,
  };
}

/** True when the follow-up starts with a lead word ("et", "and", "what about"). */
export function hasLead(words: string): boolean {
  const first = words.split(' ', 1)[0] ?? '';
  return LEADS.has(first) || CONTINUING.has(words.split(' ').slice(0, 2).join(' '));
}
