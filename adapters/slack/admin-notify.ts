/**
 * "Notify subscribers" in the admin modal: the checkbox, the form's values as a notice
 * (the core's noticeInputSchema), the preview's channel counts and the progress message
 * the admin sees while it is delivered.
 */
import { platformsInOrder, type Language, type NoticeProgress, type FollowState, type Templates } from '../../src/index.js';
import { slackText } from './templates.js';
import { mrkdwn, plain, type Block, type SlackMessage } from './render.js';

/** Block and action id of the checkbox, and its value when ticked. */
export const NOTIFY = { block: 'notify', value: 'notify' } as const;

/** The "notify subscribers" checkbox. */
export function notifyBlock(templates: Templates, language: Language, rev: number): Block {
  const text = { type: 'plain_text', text: plain(slackText(templates, language, 'slack.admin.notify_option'), 75), emoji: true };
  return {
    type: 'input',
    block_id: rev ? `${NOTIFY.block}.${rev}` : NOTIFY.block,
    optional: true,
    label: { type: 'plain_text', text: plain(slackText(templates, language, 'slack.admin.notify'), 2000), emoji: true },
    element: { type: 'checkboxes', action_id: NOTIFY.block, options: [{ text, value: NOTIFY.value }] },
  };
}

/** Block and action id of the "open anyway" checkbox, and its value when ticked. */
export const FORCE = { block: 'force', value: 'force' } as const;

/** "Open anyway": opening an incident identical to an open one is refused unless ticked. */
export function forceBlock(templates: Templates, language: Language, rev: number): Block {
  const text = { type: 'plain_text', text: plain(slackText(templates, language, 'slack.admin.force_option'), 75), emoji: true };
  return {
    type: 'input',
    block_id: rev ? `${FORCE.block}.${rev}` : FORCE.block,
    optional: true,
    label: { type: 'plain_text', text: plain(slackText(templates, language, 'slack.admin.force'), 2000), emoji: true },
    element: { type: 'checkboxes', action_id: FORCE.block, options: [{ text, value: FORCE.value }] },
  };
}

/** Splits the form's values into the incident input and whether to notify subscribers; "open anyway" becomes `force`. */
export function splitNotify(values: Record<string, unknown>): { input: Record<string, unknown>; notify: boolean } {
  const { [NOTIFY.block]: ticked, [FORCE.block]: forced, ...input } = values;
  if (Array.isArray(forced) && forced.includes(FORCE.value)) input.force = true;
  return { input, notify: Array.isArray(ticked) && ticked.includes(NOTIFY.value) };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

function bilingual(fr: unknown, en: unknown): { fr: string; en?: string } | undefined {
  const f = str(fr);
  const e = str(en);
  return f ? { fr: f, ...(e ? { en: e } : {}) } : undefined;
}

/** The incident form's values as notice input (the core validates it). */
export function noticeInputOf(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { text: bilingual(input.textFr, input.textEn) ?? { fr: '' } };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  const service = str(input.service);
  set('services', service ? [service] : undefined);
  set('places', str(input.places));
  set('levels', Array.isArray(input.levels) && input.levels.length > 0 ? input.levels : undefined);
  set('status', str(input.status));
  set('phase', str(input.phase));
  set('title', bilingual(input.titleFr, input.titleEn));
  const sourceName = str(input.sourceName);
  const sourceUrl = str(input.sourceUrl);
  if (sourceName || sourceUrl) out.source = { name: sourceName ?? '', ...(sourceUrl ? { url: sourceUrl } : {}) };
  const incident: Record<string, unknown> = { action: str(input.action) ?? 'open' };
  for (const [key, value] of [
    ['id', str(input.id)],
    ['cause', str(input.cause)],
    ['recoveryAt', str(input.recoveryAt)],
    ['recovery', bilingual(input.recoveryFr, input.recoveryEn)],
    ['advice', bilingual(input.adviceFr, input.adviceEn)],
  ] as const) {
    if (value !== undefined) incident[key] = value;
  }
  if (input.force === true) incident.force = true;
  out.incident = incident;
  return out;
}

/** "Slack 3, Discord 2" from counts per platform: Slack first, then the others by name. */
export function platformsText(byPlatform: Record<string, number>): string {
  const name = (p: string) => p.charAt(0).toUpperCase() + p.slice(1);
  return platformsInOrder(byPlatform, 'slack', true)
    .map(([p, n]) => `${name(p)} ${n}`)
    .join(', ');
}

/** The preview's line: how many channels, on which platforms. */
export function countsText(templates: Templates, language: Language, total: number, byPlatform: Record<string, number>): string {
  if (total === 0) return slackText(templates, language, 'slack.admin.notify_none');
  return slackText(templates, language, 'slack.admin.notify_count', { total, platforms: platformsText(byPlatform) });
}

/** Where following the delivery stands. */
export type { FollowState };

const MAX_FAILURES_SHOWN = 10;

/** The action id of the "retry failed deliveries" button; its value is the notice id. */
export const RETRY_FAILED = 'notice_retry_failed';

/** The admin's progress message: what was published, delivered / failed / pending, the failures. */
export function progressMessage(templates: Templates, language: Language, headline: string, progress: NoticeProgress | null, state: FollowState, noticeId: string): SlackMessage {
  const lines = [headline];
  if (progress) {
    lines.push(slackText(templates, language, 'slack.admin.progress', { delivered: progress.delivered, failed: progress.failed, pending: progress.pending, total: progress.total }));
    for (const f of progress.failures.slice(0, MAX_FAILURES_SHOWN)) {
      lines.push(slackText(templates, language, 'slack.admin.progress_failure', { platform: f.platform, channel: f.channel, reason: f.reason }));
    }
    if (progress.failures.length > MAX_FAILURES_SHOWN) lines.push(`… +${progress.failures.length - MAX_FAILURES_SHOWN}`);
  }
  const key = state === 'done' ? 'slack.admin.progress_done' : state === 'stopped' ? 'slack.admin.progress_stopped' : 'slack.admin.progress_running';
  lines.push(slackText(templates, language, key, { id: noticeId }));
  const text = mrkdwn(lines.join('\n'));
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  // Once nothing is pending, failures can be tried again from here (admins only, checked on click).
  if (progress && progress.failed > 0 && progress.pending === 0) {
    const label = { type: 'plain_text', text: plain(slackText(templates, language, 'slack.admin.retry_button'), 75), emoji: true };
    blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: RETRY_FAILED, text: label, value: noticeId }] });
  }
  return { text, blocks };
}
