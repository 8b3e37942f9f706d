/**
 * A Reply as a Slack message: Block Kit (header with the status emoji, one section per part
 * of the answer, a context line with the source and time, buttons) plus a plain `text`
 * fallback for notifications. Every piece of user or content text goes through `mrkdwn` or
 * `plain`, so nothing can ping a channel, a person or a group.
 */
import { formatShortTime, neutralizeMentions, renderText, type Language, type Reply, type Status } from '../../src/index.js';
import { st } from './messages.js';

/** Slack's Block Kit limits we stay under. */
export const LIMITS = { header: 150, section: 3000, buttonText: 75, buttonValue: 2000, blocks: 50, text: 3000 } as const;

/** Action ids of the buttons Vigie renders. */
export const ACTIONS = {
  share: 'vigie_share',
  subscribe: 'vigie_subscribe',
  report: 'vigie_report',
  more: 'vigie_more',
  suggestion: 'vigie_suggestion',
} as const;

/** A JSON Block Kit block (kept loose: Slack validates the shape, tests check what people see). */
export type Block = Record<string, unknown>;

/** What chat.postMessage / respond receive. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

const STATUS_EMOJI: Record<Status, string> = {
  operational: '🟢',
  under_maintenance: '🔧',
  degraded_performance: '🟡',
  partial_outage: '🟠',
  major_outage: '🔴',
};

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Text for a mrkdwn field: &, <, > escaped and mass mentions defused. */
export function mrkdwn(text: string, max: number = LIMITS.section): string {
  const out = neutralizeMentions(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  // A cut must not leave half an entity ("&am") behind.
  return out.length <= max ? out : `${out.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '')}…`;
}

/** Text for a plain_text field (Slack shows it verbatim): mentions defused, length capped. */
export function plain(text: string, max: number): string {
  return cut(neutralizeMentions(text).trim() || '—', max);
}

/** A link only when the URL is plain http(s); otherwise just the escaped name. */
function link(url: string | undefined, name: string): string {
  if (!url || !/^https?:\/\/[^\s<>|]+$/i.test(url)) return mrkdwn(name, 500);
  return `<${url.replace(/&/g, '&amp;')}|${mrkdwn(name, 500)}>`;
}

/** "17 mars, 09:00" on the Paris clock. */
export const formatTime = (iso: string, language: Language): string => formatShortTime(iso, language);

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
    ...(value ? { value: cut(neutralizeMentions(value), LIMITS.buttonValue) } : {}),
    ...(style ? { style } : {}),
  };
}

/** Options of `renderReply`. */
export interface RenderOptions {
  /** Adds a "post to the channel" button carrying this question (ephemeral answers). */
  share?: string;
}

/** The Reply as Block Kit blocks and a plain-text fallback. */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  const lang = reply.language;
  const blocks: Block[] = [];
  if (reply.demo) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `⚠️ ${mrkdwn(reply.demo.label, 2900)}` }] });
  blocks.push({ type: 'header', text: { type: 'plain_text', text: plain(headlineOf(reply), LIMITS.header), emoji: true } });
  // Room for demo, header, context and actions.
  for (const section of reply.sections.slice(0, LIMITS.blocks - 4)) {
    const title = `*${mrkdwn(section.title, 200)}*`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `${title}\n${mrkdwn(section.text, LIMITS.section - title.length - 1)}` } });
  }
  const context: string[] = [];
  if (reply.source) context.push(`📣 ${st(lang, 'slack.source', { source: link(reply.source.url, reply.source.name), time: formatTime(reply.source.at, lang) })}`);
  context.push(st(lang, 'slack.computed', { time: formatTime(reply.time, lang) }));
  blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn', text })) });

  const buttons: Block[] = [];
  if (options.share) buttons.push(button(ACTIONS.share, st(lang, 'slack.share'), options.share, 'primary'));
  let suggestion = 0;
  for (const action of reply.actions) {
    if (buttons.length >= 25) break;
    if (action.id === 'suggestion') buttons.push(button(`${ACTIONS.suggestion}_${suggestion++}`, action.label, action.value || action.label));
    else buttons.push(button(ACTIONS[action.id], action.label, action.value || action.label));
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: `vigie_actions_${lang}`, elements: buttons });
  return { text: fallbackText(reply), blocks };
}

/** The plain notification text: the whole answer as lines, escaped. */
export function fallbackText(reply: Reply): string {
  const text = renderText({ ...reply, headline: headlineOf(reply) });
  return mrkdwn(text, LIMITS.text);
}

/** A short message (confirmation, apology) in the same shape. */
export function renderNotice(text: string): SlackMessage {
  return { text: mrkdwn(text, LIMITS.text), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn(text) } }] };
}
