/**
 * Short first, details on request. The first message of an answer fits a phone screen: at
 * most 5 lines and 500 characters on every platform: the status line, the asked fact (when →
 * the expected recovery; why → the cause; what to do → the advice; is it down → since when and
 * who is affected), then the source and its time in one line. Everything else stays in the
 * reply's sections, one action away ("Plus de détails", `/plus`, `--full`).
 */
import type { Intent, Language, Reply, ReplyBrief, ReplySection } from '../base/types.js';

/** The first message's limits, on every platform. */
export const FIRST_MESSAGE_MAX_LINES = 5;
export const FIRST_MESSAGE_MAX_CHARS = 500;
/** Facts a first message gives at most (the status line and the source line frame them). */
const MAX_FACTS = 2;

/** Replies that show no incident data: their first message carries no demo label. */
const NO_DATA = new Set<Reply['kind']>(['unknown', 'help', 'subscribe', 'error']);

/** Which section answers which intent, for replies about incidents. */
const FACT_OF: Partial<Record<Intent, string>> = { eta: 'recovery', cause: 'cause', advice: 'advice' };

/** What the answerer knows beside the draft when it makes the brief. */
export interface BriefContext {
  lang: Language;
  intent: Intent;
  /** "ENT en Occitanie", naming the main incident for a follow-up line. */
  subject?: string;
  /** The emoji of the main incident's status, for a follow-up line. */
  emoji?: string;
  /** "+ 3 autres incidents en cours ici." when more incidents are in effect than the main one. */
  others?: string;
}

/** "Titre : texte" with the language's colon. */
function titled(lang: Language, section: ReplySection): string {
  return `${section.title}${lang === 'fr' ? ' : ' : ': '}${section.text}`;
}

/** The first sentence of a text ("Collèges et lycées en Occitanie. Service concerné : …" → its first sentence). */
function firstSentence(text: string): string {
  const end = text.search(/\.\s/);
  return end < 0 ? text : text.slice(0, end + 1);
}

/**
 * The brief of a composed reply: the facts its kind and the question's intent ask for, taken
 * from its own sections (so they say exactly what the details say).
 */
export function briefOf(reply: Pick<Reply, 'kind' | 'sections'>, ctx: BriefContext): ReplyBrief {
  const section = (key: string) => reply.sections.find((s) => s.key === key);
  const text = (key: string) => section(key)?.text;
  switch (reply.kind) {
    case 'incidents': {
      const key = FACT_OF[ctx.intent];
      const asked = key ? section(key) : undefined;
      let fact: string;
      if (asked) fact = titled(ctx.lang, asked);
      else {
        // "Is it down?": since when, and who is affected.
        const since = text('since');
        const scope = text('scope');
        fact = [since, scope ? firstSentence(scope) : undefined].filter((x): x is string => !!x).join(' ');
      }
      const second = text('alternatives') ?? text('same_answer') ?? ctx.others;
      const facts = second ? [fact, second] : [fact];
      const followUp = ctx.subject ? `${ctx.emoji ? `${ctx.emoji} ` : ''}${ctx.subject} — ${fact}` : undefined;
      return followUp ? { facts, followUp } : { facts };
    }
    case 'no_information': {
      const facts = [text('no_information'), firstLine(text('recently_resolved'))].filter((x): x is string => !!x);
      const footer = text('data');
      return footer ? { facts, footer } : { facts };
    }
    case 'report':
      return { facts: [text('match'), text('report')].filter((x): x is string => !!x) };
    case 'clarify': {
      const choices = text('choices');
      // Every choice; the first message shows them one a line when they fit, else in one line.
      if (choices) return { facts: choices.split('\n') };
      return { facts: [text('note')].filter((x): x is string => !!x) };
    }
    case 'help':
      // The examples (suggestions) follow; how to ask is in the details.
      return { facts: [] };
    case 'unknown':
      return { facts: [] };
    default:
      return { facts: reply.sections.slice(0, 1).map((s) => s.text) };
  }
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split('\n')[0];
}

/** The parts of a first message, within the limits. */
export interface FirstMessage {
  /** The full demo label (once per conversation), or null. */
  demo: string | null;
  /** The status line (with the demo tag in front once the label was shown); null for a follow-up. */
  headline: string | null;
  facts: string[];
  /** "📣 Ministère de l'Éducation nationale · 9 h", or the time of the latest information. */
  footer: string | null;
  /** Lines a text surface adds (suggested questions in one line), already within the limits. */
  extra: string[];
  /** True when the reply has more than its first message (details one action away). */
  more: boolean;
}

/** Options of a first message. */
export interface FirstMessageOptions {
  /** How to get the details on this surface ("/plus pour les détails"), added to the source line. */
  hint?: string;
  /** Text surfaces show suggested questions and choices as a line; buttons do it elsewhere. */
  suggestions?: boolean;
  /** How to take the other reading on this surface ("tapez 0"), after its line. */
  otherHint?: string;
  /**
   * Characters the surface adds around the lines (Slack's "⚠️ " and "Source : ", Discord's
   * escapes), kept free so the message as shown still fits the 500.
   */
  reserve?: number;
}

/**
 * The first message of an answer, cut to fit 5 lines and 500 characters: facts beyond the
 * lines left are dropped, and the longest fact is cut at a word ("…") until the characters
 * fit; the rest is in the details. A reply without a brief (a listing, a notice, an admin
 * preview) has no first message: null.
 */
export function firstMessage(reply: Reply, options: FirstMessageOptions = {}): FirstMessage | null {
  const brief = reply.brief;
  if (!brief) return null;
  let more = reply.actions.some((a) => a.id === 'more');
  // Thanks, greetings, help: no incident data, no demo label (one or two lines).
  const data = !NO_DATA.has(reply.kind);
  const demo = data && reply.demo && !reply.demo.short ? `[${reply.demo.label}]` : null;
  const tag = data && reply.demo?.short && reply.demo.tag ? `[${reply.demo.tag}] ` : '';
  const followUp = reply.followUp === true && brief.followUp !== undefined;
  const headline = followUp ? null : `${tag}${reply.headline}`;
  // A subscription answer is short and whole: its sections, with any note an adapter added ("ask who may").
  let facts = followUp ? [`${tag}${brief.followUp}`] : reply.kind === 'subscribe' ? reply.sections.map((s) => s.text) : [...brief.facts];
  const source = reply.source ? `📣 ${reply.source.name} · ${reply.source.when ?? ''}`.trim() : (brief.footer ?? null);
  const extra: string[] = [];
  if (options.suggestions) {
    const quote = (s: string) => (reply.language === 'en' ? `“${s}”` : `« ${s} »`);
    // Examples of questions: two are enough to show the way; all of them are in the details.
    const asked = reply.actions.filter((a) => a.id === 'suggestion').slice(0, reply.kind === 'clarify' ? 3 : 2).map((a) => quote(a.value));
    if (asked.length > 0) extra.push(`→ ${asked.join(' · ')}`);
    const other = reply.actions.find((a) => a.id === 'other');
    if (other) extra.push(`↪ ${other.label}${options.otherHint ? ` ${options.otherHint}` : ''}`);
  }

  // Lines: the facts take what the demo label, the status line, the source line and the
  // suggestions leave (a hint needs a line of its own only when there is nothing to end).
  const choices = reply.actions.filter((a) => a.id === 'choose');
  const hintLine = !source && extra.length === 0 && options.hint ? 1 : 0;
  const fixed = (demo ? 1 : 0) + (headline ? 1 : 0) + (source ? 1 : 0) + extra.length + hintLine;
  const room = Math.max(1, FIRST_MESSAGE_MAX_LINES - fixed);
  const allowed = choices.length > 0 ? room : Math.min(room, MAX_FACTS);
  if (facts.length > allowed) {
    // Choices that do not fit one a line are numbered in one line (their states are in the details).
    const rest = facts[facts.length - 1]?.startsWith('…') ? ` ${facts[facts.length - 1]}` : '';
    more = true;
    facts =
      choices.length > 0
        ? [`${choices.map((c, i) => `${i + 1}. ${emojiOf(facts[i])}${c.label}`).join(' · ')}${rest}`]
        : [...facts.slice(0, allowed - 1), `${facts[allowed - 1]} …`];
  }
  // The hint ("/plus pour les détails") ends the source line, or the last line when there is none.
  const hint = more && options.hint ? options.hint : '';
  let footer = source ? (hint ? `${source} · ${hint}` : source) : null;
  if (!footer && hint) {
    if (extra.length > 0) extra[extra.length - 1] += ` · ${hint}`;
    else footer = hint;
  }
  facts = facts.map((f) => f.replace(/\s*\n\s*/g, ' '));

  const size = () => [demo, headline, ...facts, footer, ...extra].filter((x): x is string => x !== null).reduce((n, l) => n + l.length + 1, -1 + (options.reserve ?? 0));
  // Characters: the longest fact gives way first (cut at a word, "…"), then the demo label's words.
  let guard = 0;
  while (size() > FIRST_MESSAGE_MAX_CHARS && guard++ < 20) {
    const over = size() - FIRST_MESSAGE_MAX_CHARS;
    const longest = facts.reduce((best, f, i) => (f.length > (facts[best]?.length ?? -1) ? i : best), 0);
    const fact = facts[longest];
    if (fact !== undefined && fact.length > 40) facts[longest] = cutAtWord(fact, Math.max(30, fact.length - over - 1));
    else if (extra.length > 0) extra.pop();
    else break;
  }
  return { demo, headline, facts, footer, extra, more };
}

/** The status emoji a choice's line shows ("2. Saint-Denis (93) — 🔴 ENT : …" → "🔴 "), or nothing. */
function emojiOf(line: string | undefined): string {
  const emoji = line ? /\p{Extended_Pictographic}\uFE0F?/u.exec(line)?.[0] : undefined;
  return emoji ? `${emoji} ` : '';
}

/** The first message as text lines (console, CLI, notifications). */
export function firstMessageLines(message: FirstMessage): string[] {
  return [message.demo, message.headline, ...message.facts, message.footer, ...message.extra].filter((x): x is string => x !== null && x !== '');
}

/** `text` cut to at most `max` characters at a word boundary, with "…". */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(1, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.(«“-]+$/u, '')}…`;
}
