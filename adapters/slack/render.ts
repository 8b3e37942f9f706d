/**
 * A Reply as a Slack message: Block Kit (header with the status emoji, one section per part
 * of the answer, a context line with the source and time, buttons) plus a plain `text`
 * fallback for notifications. Every piece of user, admin or content text goes through
 * `mrkdwn` or `plain`, so nothing can ping a channel, a person or a group, disguise a link
 * or pass for Vigie's own formatting; the only links are validated URL fields. Texts are
 * cut on grapheme boundaries (no half emoji) to Block Kit's limits, except lists of
 * subscriptions, which are split over several blocks and never cut.
 */
import { cutText, firstMessage, firstMessageLines, formatShortTime, neutralizeMentions, parseHttpUrl, renderText, type FirstMessage, type Language, type Reply, type ReplySection, type ReplyStatus, type Templates } from '../../src/index.js';
import { slackText } from './templates.js';

/** Slack's Block Kit limits we stay under (text: the notification fallback, 4,000 shown). */
export const LIMITS = { header: 150, section: 3000, buttonText: 75, buttonValue: 2000, blocks: 50, text: 4000 } as const;
/** What the first message adds to the core's lines ("⚠️ " before the demo label, "Source : " before the source, escapes): kept free. */
const SURFACE_RESERVE = 16;

/** Action ids of the buttons Vigie renders. */
export const ACTIONS = {
  share: 'vigie_share',
  subscribe: 'vigie_subscribe',
  report: 'vigie_report',
  more: 'vigie_more',
  suggestion: 'vigie_suggestion',
  choose: 'vigie_choose',
} as const;

/** A JSON Block Kit block (kept loose: Slack validates the shape, tests check what people see). */
export type Block = Record<string, unknown>;

/** What chat.postMessage / respond receive. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

const STATUS_EMOJI: Record<ReplyStatus, string> = {
  unknown: '⚪',
  operational: '🟢',
  under_maintenance: '🔧',
  degraded_performance: '🟡',
  partial_outage: '🟠',
  major_outage: '🔴',
};

const ZWSP = '\u200b';

/**
 * `text` made inert for a mrkdwn field, not cut: mentions defused (`<!channel>`, `@here`,
 * `＠everyone`…), &, < and > escaped (so `<https://…|label>` and `<@U1>` are shown, not
 * read), and Slack's block markup defused: a quote (`>` at a line's start) and code fences.
 */
export function escapeMrkdwn(text: string): string {
  // Most texts hold none of these: answered without a copy (every answer escapes dozens).
  if (!MARKUP.test(text)) return text;
  let out = neutralizeMentions(text).replace(/[&<>]/g, (c) => ENTITIES[c]!);
  if (out.includes('&gt;')) out = out.replace(/^([ \t]*)&gt;/gm, `$1${ZWSP}&gt;`);
  return out.includes('```') ? out.replace(/```/g, `\`${ZWSP}\`${ZWSP}\``) : out;
}

const MARKUP = /[&<>@＠`]/;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Cuts already escaped mrkdwn without leaving half an entity ("&am") or half an emoji. */
function cutEscaped(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  return cutText(escaped, max).replace(/&[a-z]{0,4}…$/, '…');
}

/** Text for a mrkdwn field: inert (see `escapeMrkdwn`), cut to `max` on a grapheme boundary. */
export function mrkdwn(text: string, max: number = LIMITS.section): string {
  return cutEscaped(escapeMrkdwn(text), max);
}

/** Text for a plain_text field (Slack shows it verbatim): mentions defused, cut to `max`. */
export function plain(text: string, max: number): string {
  return cutText(neutralizeMentions(text).trim() || '—', max);
}

/** A link only from a validated web address; otherwise just the escaped name. */
export function link(url: string | undefined, name: string, max = 500): string {
  const safe = url ? parseHttpUrl(url) : null;
  if (!safe) return mrkdwn(name, max);
  return `<${safe.replace(/&/g, '&amp;')}|${mrkdwn(name, max)}>`;
}

const times = new Map<string, string>();

/** "17 mars, 09:00" on the Paris clock (the same few instants recur in every answer: remembered). */
export function formatTime(iso: string, language: Language): string {
  const key = `${language}${iso}`;
  let shown = times.get(key);
  if (shown === undefined) {
    if (times.size >= 1000) times.clear();
    shown = formatShortTime(iso, language);
    times.set(key, shown);
  }
  return shown;
}

/** The headline with its status emoji in front (added when the core did not put it there). */
export function headlineOf(reply: Reply): string {
  const emoji = reply.status ? STATUS_EMOJI[reply.status] : '';
  return emoji && !reply.headline.startsWith(emoji) ? `${emoji} ${reply.headline}` : reply.headline;
}

function button(actionId: string, label: string, value: string, style?: 'primary'): Block {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: plain(label, LIMITS.buttonText), emoji: true },
    // Values are never shown, but they come back as questions: keep them inert too.
    ...(value ? { value: cutText(neutralizeMentions(value), LIMITS.buttonValue) } : {}),
    ...(style ? { style } : {}),
  };
}

/** Options of `renderReply`. */
export interface RenderOptions {
  /** Adds a "post to the channel" button carrying this question (ephemeral answers). */
  share?: string;
  /** The whole answer ("Plus de détails"); by default an answer shows its first message. */
  full?: boolean;
}

/**
 * The Reply as Block Kit blocks and a plain-text fallback, the adapter's own texts from `templates`. An answer to a question shows its
 * first message (at most 5 lines, 500 characters: demo label, status, the asked fact, source
 * and time) with a "Plus de détails" button; `full`, or a reply without a brief (a listing, a
 * notice, an admin preview), shows everything.
 */
export function renderReply(templates: Templates, reply: Reply, options: RenderOptions = {}): SlackMessage {
  const first = options.full ? null : firstMessage(reply, { reserve: SURFACE_RESERVE });
  if (first) return renderFirst(templates, reply, first, options);
  const lang = reply.language;
  const blocks: Block[] = [];
  if (reply.demo) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `⚠️ ${mrkdwn(reply.demo.label, 2900)}` }] });
  blocks.push({ type: 'header', text: { type: 'plain_text', text: plain(headlineOf(reply), LIMITS.header), emoji: true } });
  // Room for demo, header, context and actions.
  blocks.push(...sectionBlocks(reply.sections, LIMITS.blocks - 4));
  const context: string[] = [];
  // The source's time as the core said it for this reader ("hier, 18 h 45"); else with the year when not this one.
  const sourceTime = reply.source ? (reply.source.when ?? formatShortTime(reply.source.at, lang, reply.time)) : '';
  if (reply.source) context.push(`📣 ${slackText(templates, lang, 'slack.source', { source: link(reply.source.url, reply.source.name), time: escapeMrkdwn(sourceTime) })}`);
  context.push(slackText(templates, lang, 'slack.computed', { time: formatTime(reply.time, lang) }));
  blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn', text })) });

  const buttons = buttonsOf(templates, reply, options, false);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: `vigie_actions_${lang}`, elements: buttons });
  return { text: fallbackText(reply), blocks };
}

/** The buttons of a reply: "Plus de détails" first (in a first message), share, then the reply's own. */
function buttonsOf(templates: Templates, reply: Reply, options: RenderOptions, first: boolean): Block[] {
  const buttons: Block[] = [];
  const more = first ? reply.actions.find((a) => a.id === 'more') : undefined;
  if (more) buttons.push(button(ACTIONS.more, more.label, more.value));
  if (options.share) buttons.push(button(ACTIONS.share, slackText(templates, reply.language, 'slack.share'), options.share, 'primary'));
  let suggestion = 0;
  let choice = 0;
  for (const action of reply.actions) {
    if (buttons.length >= 25) break;
    if (action.id === 'more') continue;
    if (action.id === 'suggestion') buttons.push(button(`${ACTIONS.suggestion}_${suggestion++}`, action.label, action.value || action.label));
    // A choice of a clarifying question: numbered like the lines it stands for.
    else if (action.id === 'choose') buttons.push(button(`${ACTIONS.choose}_${choice++}`, `${choice}. ${action.label}`, action.value));
    // The other reading of the question: its token is asked as a question, as a suggestion is.
    else if (action.id === 'other') buttons.push(button(`${ACTIONS.suggestion}_${suggestion++}`, action.label, action.value));
    else buttons.push(button(ACTIONS[action.id], action.label, action.value || action.label));
  }
  return buttons;
}

/** An answer's first message: the demo label (once), the status line, the asked fact, the source line, the buttons. */
function renderFirst(templates: Templates, reply: Reply, first: FirstMessage, options: RenderOptions): SlackMessage {
  const lang = reply.language;
  const blocks: Block[] = [];
  if (first.demo) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `⚠️ ${mrkdwn(first.demo, 2900)}` }] });
  if (first.headline) blocks.push({ type: 'header', text: { type: 'plain_text', text: plain(first.headline, LIMITS.header), emoji: true } });
  if (first.facts.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: mrkdwn(first.facts.join('\n')) } });
  // The source with its link and its time in words ("hier, 18 h 45"); else the time of the latest information.
  const footer = reply.source
    ? `📣 ${slackText(templates, lang, 'slack.source', { source: link(reply.source.url, reply.source.name), time: escapeMrkdwn(reply.source.when ?? formatShortTime(reply.source.at, lang, reply.time)) })}`
    : first.footer ? mrkdwn(first.footer, 500) : null;
  if (footer) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer }] });
  const buttons = buttonsOf(templates, reply, options, true);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: `vigie_actions_${lang}`, elements: buttons });
  return { text: mrkdwn(firstMessageLines(first).join('\n'), LIMITS.text), blocks };
}

/** Sections whose every line must be shown (the core splits them in sections of 10 lines). */
const NEVER_CUT: ReadonlySet<string> = new Set(['subscription_list']);

/** One mrkdwn section block: the title in bold, then the text. */
function section(title: string, body: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: title ? `${title}\n${body}` : body } };
}

/**
 * The reply's sections as section blocks, at most `room` of them. A section is one block,
 * cut to Slack's 3,000 characters, except lists that must be shown whole: those are split
 * at line ends over as many blocks as needed, and other sections give way to them first.
 */
export function sectionBlocks(sections: readonly ReplySection[], room: number): Block[] {
  const parts = sections.map((s) => {
    // A line that names itself ("Non confirmé : …" under "Non confirmé") is not titled twice.
    const title = s.title && !s.text.startsWith(s.title) ? `*${mrkdwn(s.title, 200)}*` : '';
    if (!NEVER_CUT.has(s.key)) return { whole: false, blocks: [section(title, mrkdwn(s.text, LIMITS.section - title.length - 1))] };
    return { whole: true, blocks: splitLines(escapeMrkdwn(s.text), LIMITS.section - title.length - 1).map((chunk, i) => section(i === 0 ? title : '', chunk)) };
  });
  const needed = parts.filter((p) => p.whole).reduce((n, p) => n + p.blocks.length, 0);
  let left = room - needed;
  const out: Block[] = [];
  for (const p of parts) {
    if (p.whole) out.push(...p.blocks);
    else if (left > 0) {
      out.push(...p.blocks);
      left -= p.blocks.length;
    }
  }
  return out.slice(0, room);
}

/** Escaped text in chunks of at most `max` characters, split at line ends (a longer line alone is cut). */
function splitLines(escaped: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of escaped.split('\n')) {
    const piece = cutEscaped(line, max);
    if (current && current.length + 1 + piece.length > max) {
      chunks.push(current);
      current = piece;
    } else current = current ? `${current}\n${piece}` : piece;
  }
  if (current || chunks.length === 0) chunks.push(current || ' ');
  return chunks;
}

/** Slack's own limit for a message's text (longer is truncated by Slack). */
const SLACK_TEXT_MAX = 40_000;

/**
 * The plain notification text: the whole answer as lines, escaped, cut to 4,000 characters
 * (what Slack shows) — except answers holding lists that must be whole, kept to Slack's own
 * limit (a list of 50 subscriptions is far under it).
 */
export function fallbackText(reply: Reply): string {
  const text = renderText({ ...reply, headline: headlineOf(reply) });
  return mrkdwn(text, reply.sections.some((s) => NEVER_CUT.has(s.key)) ? SLACK_TEXT_MAX : LIMITS.text);
}

/** A short message (confirmation, apology) in the same shape. */
export function renderNotice(text: string): SlackMessage {
  return { text: mrkdwn(text, LIMITS.text), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn(text) } }] };
}
