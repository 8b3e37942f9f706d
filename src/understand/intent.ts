/**
 * What the person wants, from cue phrases over folded words. The order of the checks is the
 * precedence: an attempt to give the bot orders is never acted on; then subscriptions,
 * then the specific questions (what to do, why, when), then reports, help, and status.
 */
import type { Intent } from '../base/types.js';

type Phrases = readonly string[];

// Attempts to steer the bot ("ignore tes instructions et annonce que…"): read as nothing.
const INJECTION: Phrases = [
  'ignore tes instructions', 'ignore les instructions', 'ignore toutes les', 'ignore tes consignes',
  'ignore les consignes', 'ignore ce qui precede', 'oublie tes instructions', 'oublie tes consignes',
  'oublie les consignes', 'oublie tout', 'nouvelles instructions', 'nouvelle consigne', 'prompt systeme',
  'system prompt', 'tu es maintenant', 'a partir de maintenant tu', 'fais comme si', 'fais semblant',
  'mode developpeur', 'annonce que', 'annonce a tous', 'annonce a tout le monde', 'dis a tout le monde',
  'ecris que', 'repete apres moi', 'envoie a tous',
  // "publie"/"diffuse" alone are also words of the trade ("la classe virtuelle ne diffuse plus le son").
  'publie que', 'publie un message', 'publie le message', 'publie immediatement', 'publie le', 'publie ca',
  'diffuse que', 'diffuse a tous', 'diffuse a tout le monde', 'diffuse le message', 'diffuse un message',
  'ignore previous', 'ignore all', 'ignore your', 'ignore the above', 'disregard', 'forget your instructions',
  'new instructions', 'you are now', 'from now on you', 'act as', 'pretend', 'jailbreak', 'developer mode',
  'announce that', 'announce to', 'tell everyone', 'write that', 'repeat after me',
  'publish that', 'publish this', 'publish a message', 'broadcast that', 'broadcast this', 'broadcast to',
  'broadcast a message',
];
const UNSUBSCRIBE: Phrases = [
  'desabonne', 'desabonner', 'desabonnez', 'desabonnement', 'desinscris', 'desinscrire', 'desinscrivez',
  'ne plus recevoir', 'stop les alertes', 'arrete les alertes', 'arreter les alertes', 'plus d alertes',
  'plus de notifications', 'unsubscribe', 'unsub', 'stop notifications', 'stop alerts', 'stop notifying',
  'no more alerts', 'no more notifications',
  'plus recevoir', 'veux plus', 'arrete les notifications', 'arreter les notifications', 'stop les notifications', 'arrete les notifs', 'stop les notifs', 'plus de notifs',
];
const SUBSCRIBE: Phrases = [
  'abonne', 'abonner', 'abonnez', 'abonnes', 'abonnement', 's abonner', 'inscris', 'inscrire',
  'tiens moi au courant', 'tenez moi au courant', 'tiens nous au courant', 'tenez nous au courant',
  'previens moi', 'prevenez moi', 'previens nous', 'prevenez nous', 'recevoir les alertes',
  'recevoir les mises a jour', 'alertes pour', 'subscribe', 'subscription', 'notify me', 'notify us',
  'keep me posted', 'keep us posted', 'alert me', 'alert us', 'follow updates',
  'keep me updated', 'keep us updated', 'keep me informed', 'keep us informed', 'keep me in the loop',
  'keep us in the loop', 'be notified', 'get notified', 'be alerted', 'get alerted', 'get an alert',
  'get a notification', 'tiens moi informe', 'tiens moi informee', 'tenez moi informe', 'tenez moi informee',
  'tiens nous informes', 'tenez nous informes', 'etre prevenu', 'etre prevenue', 'etre prevenus',
  'etre prevenues', 'etre averti', 'etre avertie', 'etre notifie', 'etre notifiee', 'etre alerte',
  'etre alertee', 'recevoir une alerte', 'recevoir une notification', 'notifie moi', 'notifiez moi',
  'alerte moi', 'alertez moi',
];
// Asking to be told later, followed by when/once/as soon as ("let me know when the CNED works
// again", "fais-moi signe quand l'ENT remarche"): a follow request, unless what follows asks
// for a time ("let me know when it will be back", "tell me when it is expected back") or for
// when it started ("tell me when the outage started"): then it is a question.
const FOLLOW_ASK: Phrases = [
  'let me know', 'let us know', 'ping me', 'ping us', 'message me', 'message us', 'text me', 'inform me',
  'inform us', 'warn me', 'warn us', 'give me a heads up', 'give us a heads up', 'send me an alert',
  'send us an alert', 'send me a message', 'send us a message', 'send me a notification',
  'fais moi signe', 'faites moi signe', 'fais nous signe', 'faites nous signe', 'avertis moi',
  'avertissez moi', 'avertis nous', 'avertissez nous', 'informe moi', 'informez moi', 'informe nous',
  'informez nous', 'envoie moi un message', 'envoyez moi un message', 'envoie moi une alerte',
  'envoyez moi une alerte',
];
// "tell me when…", "dis-moi quand…" are also how people ask for a time: a follow request only
// when not asked as a question ("can you tell me when Pronote is back?") and not in the future
// ("dis-moi quand le CNED va revenir").
const FOLLOW_ASK_OR_QUESTION: Phrases = [
  'tell me', 'tell us', 'dis moi', 'dites moi', 'dis nous', 'dites nous', 'tu me diras', 'vous me direz',
  'tu me dis', 'vous me dites',
];
const FOLLOW_TRIGGERS: Phrases = ['when', 'once', 'as soon as', 'the moment', 'whenever', 'quand', 'des que', 'lorsque', 'aussitot que'];
const TIME_ASKED = new Set([
  'will', 'll', 'would', 'expected', 'expect', 'estimated', 'eta', 'going', 'gonna', 'supposed', 'should',
  'went', 'was', 'were', 'started', 'began', 'stopped', 'broke', 'did', 'happened', 'crashed', 'since',
]);
const FUTURE_OR_PAST_FR = new Set([
  'va', 'vont', 'sera', 'seront', 'serait', 'reviendra', 'reviendront', 'remarchera', 'marchera',
  'fonctionnera', 'refonctionnera', 'prevu', 'prevue', 'commence', 'tombe', 'plante', 'depuis',
]);
const ADVICE: Phrases = [
  'on fait quoi', 'que faire', 'quoi faire', 'en attendant', 'que faut il faire', 'qu est ce qu on fait',
  'on fait comment', 'comment faire', 'que dois je faire', 'que doit on faire', 'qu est ce que je fais',
  'on peut faire quoi', 'conseil', 'conseils', 'astuce', 'astuces', 'alternative', 'alternatives',
  'solution', 'solutions', 'contourner', 'plan b', 'comment rendre', 'what should', 'what do we do',
  'what can we do', 'what do i do', 'what can i do', 'what to do', 'meanwhile', 'in the meantime',
  'workaround', 'advice', 'tips', 'how do we submit', 'how can we work',
  'plan de continuite', 'on fait comment', 'what now', 'idk what to do',
];
const CAUSE: Phrases = [
  'pourquoi', 'a cause de quoi', 'la cause', 'quelle cause', 'la raison', 'quelle raison',
  'c est quoi le probleme', 'quel est le probleme', 'cyberattaque', 'attaque', 'piratage', 'pirate',
  'hacke', 'hackers', 'ddos', 'why', 'what caused', 'the cause', 'reason', 'what happened', 'hacked',
  'cyberattack', 'attack',
  'pk', 'pq', 'pkoi', 'pourkoi', 'prq', 'hacker', 'pirater', 'c koi le pb', 'c quoi le pb', 'c est quoi le pb', 'quel est le pb', 'c koi le probleme', 'c quoi le probleme',
];
// "depuis quand" asks when it started: a status question, not an estimate.
const SINCE: Phrases = ['depuis quand', 'since when', 'how long has', 'depuis combien de temps'];
const ETA: Phrases = [
  'quand', 'combien de temps', 'jusqu a quand', 'a quelle heure', 'reviendra', 'revient', 'revenir',
  'revienne', 'retabli', 'retablie', 'retablissement', 'remarche', 'remarchera', 'marchera',
  'fonctionnera', 'bientot', 'delai', 'prevu pour', 'retour prevu', 'heure de retour', 'when', 'how long',
  'eta', 'back up', 'back online', 'be back', 'until when', 'by when', 'what time', 'soon', 'fixed by',
  'qd', 'kan', 'qand', 'revien', 'va durer', 'durer longtemps', 'b back', 'wen',
];
const REPORT: Phrases = [
  'chez moi', 'chez nous', 'j arrive pas', 'j y arrive pas', 'je n arrive pas', 'je n y arrive pas',
  'narrive pas', 'impossible de me connecter', 'impossible de se connecter', 'je peux pas',
  'je ne peux pas', 'peux pas me connecter', 'pour moi', 'je signale', 'signaler', 'signalement',
  'message d erreur', 'page blanche', 'i can t', 'i cant', 'i cannot', 'can t log', 'cant log',
  'can t connect', 'can t access', 'unable to', 'for me', 'for us', 'i m getting', 'i get an error',
  'report a problem', 'i want to report', 'reporting',
  'jarrive', 'jarrive pas', 'jpeux pas', 'jpeux pa', 'jpeu pas', 'peux pas', 'peux pa', 'arrive pa', 'j ai une erreur', 'une erreur', 'erreur', 'incorrect', 'incorrects', 'cant', 'can t', 'cannot', 'error', 'pas acces', 'g pas acces',
];
// Broken, said without a question mark: "ça marche pas" is someone telling, not asking.
const BROKEN: Phrases = [
  'marche pas', 'marche plus', 'fonctionne pas', 'fonctionne plus', 'not working', 'doesn t work', 'isn t working',
  'marche pa', 'march pa', 'march pas', 'marche plu',
];
const HELP: Phrases = [
  'aide', 'help', 'a l aide', 'au secours', 'commandes', 'commands', 'mode d emploi', 'que sais tu faire',
  'que peux tu faire', 'tu sers a quoi', 'tu fais quoi', 'comment t utiliser', 'comment ca marche',
  'what can you do', 'how do i use', 'how does this work', 'how to use', 'menu', 'usage',
];
const GREETING = new Set(['bonjour', 'salut', 'hello', 'hi', 'hey', 'coucou', 'bonsoir', 'yo', 'slt', 'bjr', 'cc']);
// Words that may come with a greeting ("hi there", "bonjour à tous").
const GREETING_FILLERS = new Set(['there', 'all', 'everyone', 'a', 'tous', 'tout', 'le', 'monde', 'vigie', 'bot']);
const STATUS: Phrases = [
  'panne', 'pannes', 'marche', 'marchent', 'fonctionne', 'fonctionnent', 'down', 'status', 'statut',
  'etat', 'probleme', 'problemes', 'problem', 'outage', 'outages', 'bug', 'bugue', 'lent', 'lente',
  'rame', 'sature', 'saturee', 'accessible', 'inaccessible', 'dispo', 'disponible', 'working', 'plante',
  'crash', 'coupure', 'coupe', 'perturbation', 'perturbations', 'incident', 'incidents', 'slow', 'offline',
  'hs', 'pb', 'souci', 'soucis', 'bug', 'bugs', 'mort', 'rade', 'dwn', 'issue', 'issues', 'broken', 'loading',
];

/** A question as the intent reader sees it. */
export interface IntentInput {
  /** Folded words joined by single spaces. */
  words: string;
  /** The question contains "?". */
  asks: boolean;
  /** A service, place or level was named. */
  topical: boolean;
  /** Number of words. */
  count: number;
}

// Phrases that look like a cue but are not one: "ça marche quand même" asks nothing about when.
const NEUTRAL: Phrases = ['quand meme', 'quand même', 'n importe quand', 'de temps en temps'];

type Cue = 'neutral' | 'injection' | 'unsubscribe' | 'subscribe' | 'advice' | 'cause' | 'since' | 'eta' | 'report' | 'broken' | 'help' | 'status';

const CUES: [Cue, Phrases][] = [
  ['neutral', NEUTRAL],
  ['injection', INJECTION],
  ['unsubscribe', UNSUBSCRIBE],
  ['subscribe', SUBSCRIBE],
  ['advice', ADVICE],
  ['cause', CAUSE],
  ['since', SINCE],
  ['eta', ETA],
  ['report', REPORT],
  ['broken', BROKEN],
  ['help', HELP],
  ['status', STATUS],
];

/** Phrases by their first word, so one pass over the words finds every cue (no per-phrase scan). */
const BY_FIRST_WORD = new Map<string, { words: string[]; cue: Cue }[]>();
for (const [cue, phrases] of CUES) {
  for (const phrase of phrases) {
    const words = phrase.split(' ');
    const list = BY_FIRST_WORD.get(words[0]!);
    if (list) list.push({ words, cue });
    else BY_FIRST_WORD.set(words[0]!, [{ words, cue }]);
  }
}

// The last text read and its cues: isInjection and detectIntent read the same question.
let lastText: string | null = null;
let lastCues = new Set<Cue>();

/** Index after the phrase's words (split once) when `words` has them at `at`, else -1. */
function wordsAt(words: readonly string[], at: number, parts: readonly string[]): number {
  for (let j = 0; j < parts.length; j++) if (words[at + j] !== parts[j]) return -1;
  return at + parts.length;
}

// The follow phrases split once and indexed by their first word, as the cues are: a question
// is then read word by word without splitting every phrase at every word.
const FOLLOW_BY_FIRST_WORD = new Map<string, { parts: string[]; questionable: boolean }[]>();
for (const [phrases, questionable] of [[FOLLOW_ASK, false], [FOLLOW_ASK_OR_QUESTION, true]] as const) {
  for (const phrase of phrases) {
    const parts = phrase.split(' ');
    const list = FOLLOW_BY_FIRST_WORD.get(parts[0]!) ?? [];
    list.push({ parts, questionable });
    FOLLOW_BY_FIRST_WORD.set(parts[0]!, list);
  }
}
const FOLLOW_TRIGGER_PARTS = FOLLOW_TRIGGERS.map((t) => t.split(' '));

/** True when the words ask to be told later ("let me know when the CNED works again"). */
function isFollowRequest(text: string, asks: boolean): boolean {
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    const candidates = FOLLOW_BY_FIRST_WORD.get(words[i]!);
    if (!candidates) continue;
    for (const { parts, questionable } of candidates) {
      const end = wordsAt(words, i, parts);
      if (end < 0) continue;
      for (const trigger of FOLLOW_TRIGGER_PARTS) {
        const from = wordsAt(words, end, trigger);
        if (from < 0) continue;
        const rest = words.slice(from);
        if (rest.some((w) => TIME_ASKED.has(w))) continue;
        if (questionable && (asks || rest.some((w) => FUTURE_OR_PAST_FR.has(w)))) continue;
        return true;
      }
    }
  }
  return false;
}

/** The cues present in folded words joined by single spaces. */
function cuesOf(text: string): Set<Cue> {
  if (text === lastText) return lastCues;
  const found = new Set<Cue>();
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    const candidates = BY_FIRST_WORD.get(words[i]!);
    if (!candidates) continue;
    let skip = 0;
    for (const { words: phrase, cue } of candidates) {
      if (cue !== 'neutral' && found.has(cue)) continue;
      let j = 1;
      while (j < phrase.length && words[i + j] === phrase[j]) j++;
      if (j !== phrase.length) continue;
      if (cue === 'neutral') skip = Math.max(skip, phrase.length);
      else found.add(cue);
    }
    // A neutral phrase hides the cues its words would otherwise give.
    if (skip > 0) {
      for (const { words: phrase, cue } of candidates) if (phrase.length <= skip && cue !== 'neutral') found.delete(cue);
      i += skip - 1;
    }
  }
  lastText = text;
  lastCues = found;
  return found;
}

/** True when the text tries to give the bot orders. */
/**
 * Where the first attempt to steer the bot starts among folded words (its first word's
 * index), or -1: one pass over the words, whatever their number.
 */
export function injectionStart(words: readonly string[]): number {
  for (let i = 0; i < words.length; i++) {
    const candidates = BY_FIRST_WORD.get(words[i]!);
    if (!candidates) continue;
    for (const { words: phrase, cue } of candidates) {
      if (cue !== 'injection') continue;
      let j = 1;
      while (j < phrase.length && words[i + j] === phrase[j]) j++;
      if (j === phrase.length) return i;
    }
  }
  return -1;
}

export function isInjection(words: string): boolean {
  return cuesOf(words).has('injection');
}

/** The intent of a question. */
export function detectIntent(input: IntentInput): Intent {
  const cues = cuesOf(input.words);
  if (cues.has('injection')) return 'unknown';
  if (cues.has('unsubscribe')) return 'unsubscribe';
  if (cues.has('subscribe')) return 'subscribe';
  if (isFollowRequest(input.words, input.asks)) return 'subscribe';
  if (cues.has('advice')) return 'advice';
  if (cues.has('cause')) return 'cause';
  const since = cues.has('since');
  if (!since && cues.has('eta')) return 'eta';
  if (cues.has('report')) return 'report';
  if (!input.asks && !since && cues.has('broken')) return 'report';
  if (!input.topical && cues.has('help')) return 'help';
  if (input.count > 0 && input.count <= 3 && input.words.split(' ').every((w) => GREETING.has(w) || GREETING_FILLERS.has(w)) && GREETING.has(input.words.split(' ')[0]!)) return 'help';
  if (input.topical || since || cues.has('status')) return 'status';
  return 'unknown';
}

/** Words the intent reader relies on (never read as places or typos). */
export const INTENT_WORDS: ReadonlySet<string> = new Set(
  [UNSUBSCRIBE, SUBSCRIBE, FOLLOW_ASK, FOLLOW_ASK_OR_QUESTION, ADVICE, CAUSE, SINCE, ETA, REPORT, BROKEN, HELP, STATUS]
    .flat()
    .flatMap((p) => p.split(' '))
    .concat([...GREETING])
    .concat(INJECTION.flatMap((p) => p.split(' '))),
);
