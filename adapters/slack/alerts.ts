/**
 * Crowd-signal alerts in Slack (#15 item 6): the AlertSink posting and editing one message per
 * alert in VIGIE_SLACK_ALERT_CHANNEL (chat.postMessage / chat.update, Block Kit), and the
 * "Ouvrir un incident" button under it, which opens the admin incident form pre-filled from
 * the alert (for VIGIE_SLACK_ADMINS only; anyone else gets the usual refusal, audited).
 *
 * Every text is escaped: titles and lines through `mrkdwn`/`plain` (render.ts), and sample
 * texts (people's own words) also lose their links (a bare address is cut with an invisible
 * space, so Slack does not link it). Each message carries metadata `{ event_type:
 * 'vigie_alert', event_payload: { alert, revision } }`; before posting, the channel's recent
 * history is looked through for it, so a post whose outcome was unknown (a timeout, a crash
 * before the message id was kept) is found and edited instead of posted twice.
 */
import { LogLevel, webApi } from '@slack/bolt';
import { CAUSES, silentLogger, STATUSES, type Language, type Logger, type Templates } from '../../src/index.js';
import type { AlertPrefill, AlertSink, SignalAlert } from '../../src/signals/alert-types.js';
import { adminForm, type FormMetadata } from './admin-form.js';
import { answering, slackActor, str, type SlackContext } from './context.js';
import { languageOfLocale } from './language.js';
import { boltLogger, redactingLogger } from './logging.js';
import { mayOpenIncidents } from './permissions.js';
import { LIMITS, mrkdwn, plain, renderReply, type Block, type SlackMessage } from './render.js';
import type { SlackRouter } from './router.js';

/** The metadata event type of alert messages. */
export const ALERT_EVENT_TYPE = 'vigie_alert';
/** Action id of the "Ouvrir un incident" button. */
export const OPEN_INCIDENT = 'vigie_alert_open';

const ZWSP = '\u200b';

/** Options of the Slack alert sink. */
export interface SlackAlertSinkOptions {
  config: { botToken: string; apiUrl?: string };
  /** The alert channel's id (VIGIE_SLACK_ALERT_CHANNEL). */
  channel: string;
  /** The words around the alert's own (the samples' label). */
  templates: Templates;
  logger?: Logger;
  /** Per-request timeout (default 10 000 ms). */
  timeoutMs?: number;
  /** Messages of the channel looked through before posting (default 200). */
  historyLimit?: number;
}

/** A sample text with nothing Slack would link: "https://x.fr" shows as such but is not a link. */
export function unlinked(text: string): string {
  return text.replace(/:\/\//g, `:${ZWSP}//`).replace(/([\p{L}\p{N}_-])\.(?=[\p{L}\p{N}])/gu, `$1.${ZWSP}`);
}

/** The alert as a Slack message: header, facts, samples, caveat, and the button while open. */
export function renderAlert(templates: Templates, alert: SignalAlert): SlackMessage {
  const w = alert.wording;
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: plain(w.title, LIMITS.header), emoji: true } }];
  if (w.lines.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: mrkdwn(w.lines.map((l) => `• ${l}`).join('\n')) } });
  if (w.samples.length > 0) {
    const label = templates.t(w.language, 'alert.samples');
    const samples = w.samples.map((s) => `“${mrkdwn(unlinked(s).replace(/\s+/g, ' '), 280)}”`).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${mrkdwn(label, 100)}*\n${samples}` } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(w.caveat, 2000) }] });
  if (alert.state === 'open' && w.openIncidentLabel) {
    blocks.push({
      type: 'actions',
      block_id: `vigie_alert:${w.language}`,
      elements: [{ type: 'button', action_id: OPEN_INCIDENT, style: 'primary', text: { type: 'plain_text', text: plain(w.openIncidentLabel, LIMITS.buttonText), emoji: true }, value: prefillValue(alert.prefill) }],
    });
  }
  const text = plain(`${w.title} — ${w.caveat}`, LIMITS.text);
  return { text, blocks };
}

/** The prefill as the button's value (service ids, place codes and enum values only: nothing people wrote). */
function prefillValue(prefill: AlertPrefill): string {
  const places = [...prefill.places];
  let value = JSON.stringify({ ...prefill, places });
  while (value.length > LIMITS.buttonValue && places.length > 1) {
    places.pop();
    value = JSON.stringify({ ...prefill, places });
  }
  return value;
}

/** The prefill a button's value holds, checked (it came back from Slack); null when unreadable. */
export function readPrefill(value: string): AlertPrefill | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  const p = parsed as Partial<Record<keyof AlertPrefill, unknown>> | null;
  if (!p || typeof p.service !== 'string' || !Array.isArray(p.places)) return null;
  const status = STATUSES.find((s) => s === p.status);
  const cause = CAUSES.find((c) => c === p.cause);
  if (!status || !cause) return null;
  const places = p.places.filter((x): x is string => typeof x === 'string' && /^[a-z]+:[\w-]{1,12}$/i.test(x)).slice(0, 20);
  return { service: p.service.slice(0, 60), places, status, cause };
}

interface Found {
  ts?: unknown;
  metadata?: { event_type?: unknown; event_payload?: { alert?: unknown } };
}

/** The Slack AlertSink; its own Web API client, no retries (the desk tries again at its next step). */
export function createSlackAlertSink(options: SlackAlertSinkOptions): AlertSink {
  const { config, channel, templates } = options;
  const logger = redactingLogger(options.logger ?? silentLogger, [config.botToken]);
  const client = new webApi.WebClient(config.botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logger: boltLogger(logger, LogLevel.WARN),
  });
  const body = (alert: SignalAlert) => {
    const { text, blocks } = renderAlert(templates, alert);
    return { channel, text, blocks, metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { alert: alert.id, revision: alert.revision } }, link_names: false };
  };

  /** The message already showing this alert in the channel's recent history, if any. */
  async function find(alertId: string): Promise<string | null> {
    try {
      const listed = (await client.apiCall('conversations.history', { channel, include_all_metadata: true, limit: options.historyLimit ?? 200 })) as { messages?: Found[] };
      const found = (listed.messages ?? []).find((m) => m.metadata?.event_type === ALERT_EVENT_TYPE && m.metadata.event_payload?.alert === alertId);
      return found && typeof found.ts === 'string' ? found.ts : null;
    } catch (error) {
      // Not knowing is no reason to stay silent: the alert is posted (at worst twice after a lost answer).
      logger.warn('slack: alert channel history not read before posting', { channel, alert: alertId, error });
      return null;
    }
  }

  return {
    platform: 'slack',
    async post(alert) {
      const existing = await find(alert.id);
      if (existing) {
        await client.apiCall('chat.update', { ...body(alert), ts: existing });
        logger.info('slack: alert found in the channel; edited instead of posted again', { channel, alert: alert.id });
        return { messageId: existing };
      }
      const sent = (await client.apiCall('chat.postMessage', { ...body(alert), unfurl_links: false, unfurl_media: false })) as { ts?: unknown };
      if (typeof sent.ts !== 'string') throw new Error('chat.postMessage answered without a ts');
      return { messageId: sent.ts };
    },
    async edit(messageId, alert) {
      await client.apiCall('chat.update', { ...body(alert), ts: messageId });
    },
  };
}

/** Registers the "Ouvrir un incident" button: the admin form, pre-filled, for those who may open incidents. */
export function registerAlertButton(router: SlackRouter, ctx: SlackContext): void {
  router.action(OPEN_INCIDENT, async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id ?? body.container?.channel_id;
    let language: Language = 'fr';
    const tell = async (m: SlackMessage) => {
      const base = { text: m.text, blocks: m.blocks as never };
      if (channel) await client.chat.postEphemeral({ channel: String(channel), user, ...base });
      else await client.chat.postMessage({ channel: user, ...base });
    };
    await answering(ctx, 'alert open-incident button', () => language, tell, async () => {
      language = languageOfLocale(await ctx.users.locale(user || undefined)) ?? 'fr';
      const actor = slackActor(body.team?.id ?? undefined, user || 'unknown', body.user.name || undefined);
      if (!mayOpenIncidents(ctx, user)) {
        await tell(renderReply(ctx.bot.templates, await ctx.bot.refuse(actor, 'incident.admin', language)));
        return;
      }
      const prefill = readPrefill(str((action as { value?: unknown }).value));
      const meta: FormMetadata = { ...(channel ? { channel: String(channel) } : {}), language, revision: 0 };
      await client.views.open({ trigger_id: body.trigger_id, view: adminForm(ctx.bot, meta, undefined, prefill ?? undefined) as never });
    });
  });
}
