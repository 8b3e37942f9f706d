/**
 * Crowd-signal alerts in the Discord alert channel (VIGIE_DISCORD_ALERT_CHANNEL, #15 item 6):
 * the platform's AlertSink. The core's alert desk decides when an alert is posted, edited and
 * ended, and words it; base/alert-render.ts lays the words out (escaped, with the "Ouvrir un
 * incident" button while open); this sends them:
 * - no mention of any kind is allowed (allowed_mentions parses nothing, no reply ping), so
 *   nobody is ever pinged, whatever the texts say;
 * - never posted twice: a post carries nonce + enforce_nonce derived from the alert id, so a
 *   post retried after a timeout (the shared REST client never resends on its own:
 *   `retries: 0`) returns the message that landed instead of making a second one; and every
 *   version of the message carries a hidden marker of the alert in its footer (marker.ts), so
 *   a post retried after an earlier one of this process failed first looks for the alert in
 *   the channel's latest messages (past Discord's nonce window of a few minutes; needs Read
 *   Message History, without which only the nonce protects). A message found either way that
 *   shows an older revision is edited at once;
 * - an edit replaces the message's embed and buttons (none once the alert ended); an edit for
 *   a revision the message already shows is skipped;
 * - everything goes through the platform's one REST client (the transport's, shared with the
 *   gateway client: shared-rest.ts), so the token's rate limits are counted once; rate-limit
 *   waits are queued by @discordjs/rest as for answers to people.
 * Failures are thrown as @discordjs/rest throws them (DiscordAPIError, HTTPError, a timeout's
 * AbortError): the desk decides whether to try again.
 */
import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { Logger } from '../../src/index.js';
import type { AlertSink, SignalAlert } from '../../src/signals/alert-types.js';
import { alertBody, alertNonce, type AlertPrefills } from './base/alert-render.js';
import { hasMarker, withMarker } from './marker.js';

export { AlertPrefills, alertBody, alertNonce, compactAlertId, prefillOfButton } from './base/alert-render.js';

/** Options of the Discord alert sink. */
export interface DiscordAlertSinkOptions {
  /** The platform's REST client (the transport's: one rate-limit state per token). */
  rest: REST;
  /** VIGIE_DISCORD_ALERT_CHANNEL. */
  channel: string;
  /** Where buttons whose prefill does not fit in a custom id keep it (shared with the adapter's handler). */
  prefills: AlertPrefills;
  logger?: Logger;
  /** How many of the channel's latest messages are read to find an alert whose post failed (default 50, Discord's most is 100). */
  historyLimit?: number;
}

/** The key of an alert's hidden marker (never a notice delivery's: those have no "alert:" prefix). */
const markerKey = (alertId: string) => `alert:${alertId}`;

/** A message as Discord returns it (the fields the sink reads). */
interface ReturnedMessage {
  id?: unknown;
  author?: { id?: string };
  embeds?: { title?: string; description?: string; color?: number; footer?: { text?: string } }[];
  components?: { components?: { custom_id?: string }[] }[];
}

/** Whether the message Discord returned shows what `body` says (a nonce hit may return an older revision). */
function shows(message: ReturnedMessage, body: ReturnType<typeof alertBody>): boolean {
  const [mine] = body.embeds;
  const [theirs] = message.embeds ?? [];
  const buttons = (rows: readonly { components?: readonly object[] }[] | undefined) => (rows ?? []).flatMap((r) => (r.components ?? []).map((c) => ('custom_id' in c ? String(c.custom_id) : '')));
  return (
    theirs !== undefined &&
    theirs.title === mine!.title &&
    (theirs.description ?? '') === (mine!.description ?? '') &&
    theirs.color === mine!.color &&
    buttons(message.components).join('\n') === buttons(body.components).join('\n')
  );
}

/** The Discord AlertSink on the platform's REST client. */
export function createDiscordAlertSink(options: DiscordAlertSinkOptions): AlertSink {
  const { rest, channel, prefills } = options;
  const historyLimit = Math.min(100, Math.max(1, options.historyLimit ?? 50));
  /** The revision each message shows, so an edit for a revision already shown is skipped (bounded). */
  const shown = new Map<string, number>();
  const remember = (messageId: string, revision: number) => {
    shown.delete(messageId);
    shown.set(messageId, revision);
    if (shown.size > 1_000) shown.delete(shown.keys().next().value!);
  };
  /** Alerts whose last post failed in this process: it may have landed (bounded). */
  const uncertain = new Set<string>();
  /** The body of every version of an alert's message: the layout, with the alert's marker in the footer. */
  const bodyOf = (alert: SignalAlert) => {
    const body = alertBody(alert, prefills);
    return { ...body, embeds: [withMarker(body.embeds[0]!, markerKey(alert.id))] };
  };
  const edit = async (messageId: string, alert: SignalAlert) => {
    await rest.patch(Routes.channelMessage(channel, messageId), { body: bodyOf(alert) });
    remember(messageId, alert.revision);
  };
  let botId: string | null = null;
  /** The alert's message among the channel's latest, or null (also when the bot may not read the history). */
  const find = async (alertId: string): Promise<ReturnedMessage & { id: string } | null> => {
    try {
      botId ??= ((await rest.get(Routes.user('@me'))) as { id?: string }).id ?? null;
      const listed = await rest.get(Routes.channelMessages(channel), { query: new URLSearchParams({ limit: String(historyLimit) }) });
      const mine = (Array.isArray(listed) ? (listed as ReturnedMessage[]) : []).find((m) => typeof m.id === 'string' && m.author?.id === botId && hasMarker(m, markerKey(alertId)));
      return (mine as ReturnedMessage & { id: string } | undefined) ?? null;
    } catch (error) {
      // Missing Access / Missing Permissions: the history cannot be read; the nonce still protects.
      if (error instanceof DiscordAPIError && (error.code === 50001 || error.code === 50013)) return null;
      throw error;
    }
  };
  /** Brings a message found for the alert up to date; returns its id. */
  const adopt = async (message: ReturnedMessage & { id: string }, alert: SignalAlert, how: string): Promise<{ messageId: string }> => {
    if (!shows(message, alertBody(alert, prefills))) {
      options.logger?.info(`discord alert already posted (${how}), brought up to date`, { alert: alert.id, revision: alert.revision });
      await edit(message.id, alert);
    } else remember(message.id, alert.revision);
    return { messageId: message.id };
  };
  return {
    platform: 'discord',
    async post(alert) {
      if (uncertain.has(alert.id)) {
        const found = await find(alert.id);
        if (found) {
          uncertain.delete(alert.id);
          return adopt(found, alert, 'found in the channel');
        }
      }
      let message: ReturnedMessage | null;
      try {
        message = (await rest.post(Routes.channelMessages(channel), { body: { ...bodyOf(alert), nonce: alertNonce(alert.id), enforce_nonce: true } })) as ReturnedMessage | null;
      } catch (error) {
        uncertain.add(alert.id);
        if (uncertain.size > 1_000) uncertain.delete(uncertain.values().next().value!);
        throw error;
      }
      if (!message || typeof message.id !== 'string') throw new Error('Discord answered a message post without a message id');
      uncertain.delete(alert.id);
      // A retried post within Discord's nonce window returns the message that landed, as it was.
      return adopt(message as ReturnedMessage & { id: string }, alert, 'nonce');
    },
    async edit(messageId, alert) {
      const known = shown.get(messageId);
      if (known !== undefined && known >= alert.revision) return;
      await edit(messageId, alert);
    },
  };
}
