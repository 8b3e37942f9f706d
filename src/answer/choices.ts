/**
 * Ambiguity said, never hidden (issue 13, item 4):
 * - a town name several communes bear ("Saint-Denis") is answered for each; when the answers
 *   differ, the reply asks which one, with a choice per town; when they agree, the answer
 *   names the town ("Saint-Denis (La Réunion)");
 * - a question with no service, no place and no context ("quand ça revient ?") while several
 *   incidents are in effect lists them, one short line each, and asks which one; a cause word
 *   ("cyberattaque") picks the incidents with that cause.
 * A choice is a `choose` action whose value is a token (`vigie:choose:…`) that the bot reads
 * back as the same question for the chosen service and place (see `decodeChoice`): buttons
 * in Slack and Discord, a number in the console.
 */
import type { Incident } from '../incidents/schema.js';
import type { IncidentMatches, IndexView } from '../incidents/incident-index.js';
import type { Gazetteer } from '../places/gazetteer.js';
import { INTENTS, LEVELS, type Cause, type Intent, type Language, type Level, type PlaceRef, type Query, type ReplyAction } from '../base/types.js';
import type { IncidentSentences } from './incident-sentences.js';
import type { Draft } from './other-replies.js';
import type { PlacePhrases } from './place-phrases.js';
import { oncePer } from '../base/once-per.js';

/** Prefix of a choice token. */
export const CHOICE_PREFIX = 'vigie:choose:';
/** The most choices one reply offers (the rest are counted). */
export const MAX_CHOICES = 8;

/** The parts of a question a choice carries. */
export interface Choice {
  language: Language;
  intent: Intent;
  service: string | null;
  level: Level | null;
  place: { kind: PlaceRef['kind']; code: string } | null;
}

/** The token of a choice: "vigie:choose:fr:eta:ent:*:commune:93066" (under Discord's 100-character custom ids). */
export function encodeChoice(c: Choice): string {
  const place = c.place ? `${c.place.kind}:${c.place.code}` : '*:*';
  return `${CHOICE_PREFIX}${c.language}:${c.intent}:${c.service ?? '*'}:${c.level ?? '*'}:${place}`;
}

/**
 * The query a choice token stands for, or null when `text` is no valid token (an unknown
 * service, place, intent or level is refused: the token may have been typed by hand).
 */
export function decodeChoice(text: string, gazetteer: Gazetteer, serviceIds: { has(id: string): boolean }): Query | null {
  if (!text.startsWith(CHOICE_PREFIX)) return null;
  const parts = text.slice(CHOICE_PREFIX.length).trim().split(':');
  if (parts.length !== 6) return null;
  const [language, intent, service, level, kind, code] = parts as [string, string, string, string, string, string];
  if (language !== 'fr' && language !== 'en') return null;
  if (!(INTENTS as readonly string[]).includes(intent)) return null;
  if (service !== '*' && !serviceIds.has(service)) return null;
  if (level !== '*' && !(LEVELS as readonly string[]).includes(level)) return null;
  let place: PlaceRef | null = null;
  if (kind !== '*') {
    place = gazetteer.get(kind as PlaceRef['kind'], code) ?? null;
    if (!place) return null;
  }
  return {
    text: '',
    language,
    intent: intent as Intent,
    service: service === '*' ? null : service,
    level: level === '*' ? null : (level as Level),
    place,
    alternatives: [],
    unknownPlace: null,
    truncated: false,
  };
}

/** What the chooser decided for a question. */
export type Chosen =
  | { kind: 'ask'; draft: Draft }
  /** Answer as usual, for these matches (a cause word put its incidents first). */
  | { kind: 'matches'; matches: IncidentMatches }
  /** The homonyms agree: answer as usual, naming the place this way. */
  | { kind: 'agree'; named: string; others: string[] }
  | null;

// Words that name a cause, folded: "qui a fait la cyberattaque ?", "c'est une panne de l'hébergeur ?".
const CAUSE_WORDS: [Cause, string[]][] = [
  ['cyberattack', ['cyberattaque', 'cyberattaques', 'cyber', 'attaque', 'attaques', 'attaqué', 'piratage', 'pirate', 'pirates', 'piraté', 'hacké', 'hackers', 'hacker', 'hack', 'hacked', 'cyberattack', 'attack', 'attacked', 'ddos', 'rançongiciel', 'ransomware']],
  ['overload', ['saturation', 'saturé', 'saturés', 'surcharge', 'surchargé', 'affluence', 'overload', 'overloaded', 'traffic']],
  ['provider', ['prestataire', 'hébergeur', 'fournisseur', 'provider', 'hosting', 'host']],
  ['network_operator', ['opérateur', 'operateur', 'fibre', 'operator']],
  ['maintenance', ['maintenance', 'travaux', 'upgrade']],
];
const CAUSE_BY_WORD = new Map<string, Cause>(CAUSE_WORDS.flatMap(([cause, ws]) => ws.map((w) => [fold(w), cause] as [string, Cause])));

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The cause a question names ("cyberattaque" → cyberattack), or null. */
export function causeOf(text: string): Cause | null {
  for (const w of fold(text).split(/[^\p{L}\p{N}]+/u)) {
    const cause = CAUSE_BY_WORD.get(w);
    if (cause) return cause;
  }
  return null;
}

/** Decides whether a question needs a choice, and builds it. */
export class Chooser {
  constructor(
    private readonly gazetteer: Gazetteer,
    private readonly places: PlacePhrases,
  ) {}

  choose(query: Query, index: IndexView, matches: IncidentMatches, sentences: IncidentSentences, limit: number): Chosen {
    if (query.place?.kind === 'commune' && query.alternatives.length > 0) return this.homonyms(query, index, matches, sentences, limit);
    if (query.service === null && query.place === null && matches.active.length > 1) {
      // The answer's own lookup stops at a few incidents: the list of choices wants more.
      const all = matches.activeCount > matches.active.length ? index.find({ service: null, place: null, level: query.level, at: sentences.now }, MAX_CHOICES) : matches;
      return this.which(query, all, sentences);
    }
    return null;
  }

  /** True when several communes bear this commune's name. */
  isShared(place: PlaceRef): boolean {
    return place.kind === 'commune' && sharedCommuneNames(this.gazetteer).has(place.name);
  }

  /** A commune's name that several communes bear: "Saint-Denis (La Réunion)". */
  named(lang: Language, place: PlaceRef): string {
    if (place.kind !== 'commune') return this.places.label(lang, place);
    const dep = this.gazetteer.commune(place.code)?.departement;
    const depName = dep ? this.gazetteer.get('departement', dep)?.name : undefined;
    return depName ? `${place.name} (${depName})` : place.name;
  }

  private homonyms(query: Query, index: IndexView, matches: IncidentMatches, sentences: IncidentSentences, limit: number): Chosen {
    const lang = sentences.lang;
    const candidates = [query.place!, ...query.alternatives].slice(0, MAX_CHOICES);
    const found = candidates.map((place, i) => ({
      place,
      matches: i === 0 ? matches : index.find({ service: query.service, place, level: query.level, at: sentences.now }, limit),
    }));
    const signature = (m: IncidentMatches) => `${m.active.map((x) => x.id).join(',')}|${m.recentlyResolved.map((x) => x.id).join(',')}`;
    const first = signature(matches);
    if (found.every((f) => signature(f.matches) === first)) {
      return { kind: 'agree', named: this.named(lang, query.place!), others: candidates.slice(1).map((p) => this.named(lang, p)) };
    }
    const lines = found.map((f, i) => `${i + 1}. ${this.named(lang, f.place)} — ${this.stateOf(f.matches, sentences)}`);
    const more = query.alternatives.length + 1 - candidates.length;
    if (more > 0) lines.push(sentences.t('choice.more', { count: more }));
    const actions: ReplyAction[] = found.map((f) => ({
      id: 'choose',
      label: this.named(lang, f.place),
      value: encodeChoice({ language: lang, intent: query.intent, service: query.service, level: query.level, place: f.place }),
    }));
    return {
      kind: 'ask',
      draft: {
        kind: 'clarify',
        headline: sentences.t('choice.place.headline', { name: query.place!.name }),
        status: null,
        sections: [sentences.section('choices', lines.join('\n')), sentences.section('note', sentences.t('choice.place.text'))],
        source: null,
        actions,
        incidents: found.flatMap((f) => f.matches.active.slice(0, 1).map((x) => x.id)),
      },
    };
  }

  private which(query: Query, matches: IncidentMatches, sentences: IncidentSentences): Chosen {
    const cause = causeOf(query.text);
    if (cause) {
      const withCause = matches.active.filter((i) => i.cause === cause);
      if (withCause.length > 0) {
        const rest = matches.active.filter((i) => i.cause !== cause);
        return { kind: 'matches', matches: { ...matches, active: [...withCause, ...rest] } };
      }
    }
    const shown = matches.active.slice(0, MAX_CHOICES);
    const lines = shown.map((i, k) => `${k + 1}. ${sentences.headline(i)}`);
    const more = matches.activeCount - shown.length;
    if (more > 0) lines.push(sentences.t('choice.more', { count: more }));
    const lang = sentences.lang;
    const actions: ReplyAction[] = shown.map((i) => ({
      id: 'choose',
      label: this.incidentLabel(lang, i, sentences),
      value: encodeChoice({ language: lang, intent: query.intent, service: i.service, level: query.level, place: i.scope.places[0] ?? null }),
    }));
    return {
      kind: 'ask',
      draft: {
        kind: 'clarify',
        headline: sentences.t('choice.incident.headline', { count: matches.activeCount }),
        status: null,
        sections: [sentences.section('choices', lines.join('\n')), sentences.section('note', sentences.t('choice.incident.text'))],
        source: null,
        actions,
        incidents: shown.map((i) => i.id),
      },
    };
  }

  /** "ENT — Occitanie", "CNED — France": a button's words. */
  private incidentLabel(lang: Language, incident: Incident, sentences: IncidentSentences): string {
    const places = incident.scope.places;
    const first = places[0] ? this.places.label(lang, places[0]) : '';
    const extra = places.length > 1 ? ` +${places.length - 1}` : '';
    return `${sentences.serviceName(incident.service)} — ${first}${extra}`;
  }

  /** One short line of what is in effect for a candidate: its worst incident, or none known. */
  private stateOf(matches: IncidentMatches, sentences: IncidentSentences): string {
    const main = matches.active[0];
    if (main) return sentences.headline(main);
    const restored = matches.recentlyResolved[0];
    if (restored) return sentences.resolvedItem(restored);
    return sentences.t('choice.none');
  }
}

/** The names several communes of `gazetteer` bear, listed at the first call and kept with it. */
const sharedCommuneNames = oncePer((gazetteer: Gazetteer): ReadonlySet<string> => {
  const seen = new Set<string>();
  const names = new Set<string>();
  for (const c of gazetteer.communes) {
    if (seen.has(c.name)) names.add(c.name);
    else seen.add(c.name);
  }
  return names;
});
