/**
 * Two readings that keep ordinary words and people's names from becoming places:
 * - `addressesPerson`: a name used to address or mention a person ("Nancy, tu peux…",
 *   "merci Nancy", "demande à Marie", "ask Nancy") is a person, not the town;
 * - `endsPhrase`: a lower-case word after "à"/"in" only reads as a place where the place
 *   complement can end ("ça marche à gap ?"), not in the middle of an idiom ("à aucun
 *   moment", "in this case", "à y accéder").
 * Both look at a few words around a match; the sets are built once at load.
 */
import type { Token } from '../base/text.js';

// Greetings and thanks before a name: "bonjour Marie", "thanks Nancy".
const GREETINGS = new Set([
  'bonjour', 'salut', 'coucou', 'bonsoir', 'hello', 'hi', 'hey', 'merci', 'thanks', 'thx', 'dear', 'cher', 'chere', 'bravo', 'slt', 'bjr',
]);
// Verbs whose object is a person: "ask Nancy", "tell Mary".
const EN_PERSON_VERBS = new Set(['ask', 'asked', 'tell', 'told', 'email', 'emailed', 'call', 'called', 'text', 'texted', 'thank', 'cc', 'ping', 'pinged', 'message']);
// French verbs followed by "à" and a person: "demande à Marie", "j'ai écrit à Nancy".
const FR_PERSON_VERBS = new Set([
  'demande', 'demandes', 'demandez', 'demander', 'demandé', 'dis', 'dit', 'dites', 'dire', 'ecris', 'ecrit', 'ecrivez', 'ecrire',
  'parle', 'parles', 'parlez', 'parler', 'parlé', 'reponds', 'repondez', 'repondu', 'repondre', 'envoie', 'envoyez', 'envoye', 'envoyer',
  'explique', 'expliquez', 'transmets', 'transmettez', 'transmis', 'rappelle', 'rappelez', 'telephone', 'telephonez',
  'merci', 'demandee', 'ecrite', 'envoyee',
].map((w) => w.normalize('NFD').replace(/\p{M}+/gu, '')));
// Words that, right after "Name,", show the name is the person spoken to.
const ADDRESSEE = new Set([
  'tu', 't', 'te', 'toi', 'vous', 'peux', 'pouvez', 'pourrais', 'pourriez', 'sais', 'savez', 'as', 'avez', 'es', 'etes', 'stp', 'svp',
  'you', 'can', 'could', 'would', 'do', 'did', 'are', 'have', 'will', 'please', 'any',
]);
// Words that may follow a place complement: "à Gap ce matin", "in Nice today", "à Sens et…".
const PHRASE_FOLLOWERS = new Set([
  'ce', 'cet', 'cette', 'ces', 'aujourd', 'hier', 'demain', 'depuis', 'maintenant', 'actuellement', 'encore', 'toujours', 'en', 'dans',
  'et', 'ou', 'mais', 'ca', 'est', 'today', 'now', 'since', 'still', 'this', 'and', 'or', 'right', 'tonight', 'yesterday', 'tomorrow', 'is',
]);
const PUNCTUATION = /[,;:!?.()/…]/;

/** The text between token `i - 1` and token `i` (or the text's start/end around them). */
function gap(tokens: readonly Token[], text: string, i: number): string {
  const from = i > 0 ? tokens[i - 1]!.end : 0;
  const to = i < tokens.length ? tokens[i]!.start : text.length;
  return text.slice(from, to);
}

/** The words `start`..`end - 1` name a person addressed or mentioned, not a place. */
export function addressesPerson(tokens: readonly Token[], text: string, words: readonly string[], start: number, end: number): boolean {
  const prev = words[start - 1];
  if (prev !== undefined) {
    if (GREETINGS.has(prev) || EN_PERSON_VERBS.has(prev)) return true;
    // "thank you Nancy"
    if (prev === 'you' && words[start - 2] === 'thank') return true;
    if ((prev === 'a' || tokens[start - 1]!.raw === 'à') && FR_PERSON_VERBS.has(words[start - 2] ?? '')) return true;
  }
  // "Nancy, tu peux…", "Bonjour, Marie, vous avez…": a name opening a clause, then a comma and the person spoken to.
  const opens = start === 0 || PUNCTUATION.test(gap(tokens, text, start));
  if (!opens || !gap(tokens, text, end).includes(',')) return false;
  for (let k = end; k < Math.min(end + 2, words.length); k++) if (ADDRESSEE.has(words[k]!)) return true;
  return false;
}

/** Where a place complement can end after the words up to `end`: the end, punctuation, a follower or another reader's word. */
export function endsPhrase(tokens: readonly Token[], text: string, words: readonly string[], end: number, used: readonly boolean[]): boolean {
  if (end >= tokens.length) return true;
  if (PUNCTUATION.test(gap(tokens, text, end))) return true;
  return PHRASE_FOLLOWERS.has(words[end]!) || used[end] === true || /^\d/.test(words[end]!);
}
