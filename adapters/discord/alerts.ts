/**
 * Crowd-signal alerts in the Discord alert channel (VIGIE_DISCORD_ALERT_CHANNEL, #15 item 6):
 * the platform's AlertSink. The core's alert desk decides when an alert is posted, edited and
 * ended, and words it; base/alert-render.ts lays the words out (escaped, with the "Ouvrir un
 * incident" button while open); this sends them:
 * - no mention of any kind is allowed (allowed_mentions parses nothing, no reply ping), so
 *   nobody is ever pinged, whatever the texts say;
 * - a post carries nonce + enforce_nonce derived from the alert id, so a post retried after a
 *   timeout (the shared REST client never resends on its own: `retries: 0`) returns the
 *   message that landed instead of making a second one; if that message shows an older
 *   revision, it is edited at once;
 * - an edit replaces the message's embed and buttons (none once the alert ended); an edit for
 *   a revision the message already shows is skipped;
 * - everything goes through the platform's one REST client (the transport's, shared with the
 *   gateway client: shared-rest.ts), so the token's rate limits are counted once; rate-limit
 *   waits are queued by @discordjs/rest as for answers to people.
 * Failures are thrown as @discordjs/rest throws them (DiscordAPIError, HTTPError, a timeout's
 * AbortError): the desk decides whether to try again.
 */
import { Routes, type REST } from 'discord.js';
import type { Logger } from '../../src/index.js';
import type { AlertSink, SignalAlert } from '../../src/signals/alert-types.js';
import { alertBody, alertNonce, type AlertPrefills } from './base/alert-render.js';

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
}

/** A message as Discord returns it (the fields the sink reads). */
interface ReturnedMessage {
  id?: unknown;
  embeds?: { title?: string; description?: string; color?: number }[];
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
  /** The revision each message shows, so an edit for a revision already shown is skipped (bounded). */
  const shown = new Map<string, number>();
  const remember = (messageId: string, revision: number) => {
    shown.delete(messageId);
    shown.set(messageId, revision);
    if (shown.size > 1_000) shown.delete(shown.keys().next().value!);
  };
  const edit = async (messageId: string, alert: SignalAlert) => {
    await rest.patch(Routes.channelMessage(channel, messageId), { body: alertBody(alert, prefills) });
    remember(messageId, alert.revision);
  };
  return {
    platform: 'discord',
    async post(alert) {
      const body = alertBody(alert, prefills);
      const message = (await rest.post(Routes.channelMessages(channel), { body: { ...body, nonce: alertNonce(alert.id), enforce_nonce: true } })) as ReturnedMessage | null;
      if (!message || typeof message.id !== 'string') throw new Error('Discord answered a message post without a message id');
      // A retried post within Discord's nonce window returns the message that landed, as it was.
      if (!shows(message, body)) {
        options.logger?.info('discord alert already posted (nonce), brought up to date', { alert: alert.id, revision: alert.revision });
        await edit(message.id, alert);
      } else remember(message.id, alert.revision);
      return { messageId: message.id };
    },
    async edit(messageId, alert) {
      const known = shown.get(messageId);
      if (known !== undefined && known >= alert.revision) return;
      await edit(messageId, alert);
    },
  };
}
