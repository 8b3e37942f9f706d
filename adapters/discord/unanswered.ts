/**
 * No interaction goes unanswered. discord.js drops some interactions without emitting them
 * (an interaction type, command type or component type it does not know: only a debug line)
 * and cannot build others (a payload without `data`, a button without `message`: its
 * constructor throws, see packet-guard.ts). The person then sees "This interaction failed".
 * This watches the gateway's INTERACTION_CREATE dispatches (client.ws emits each one before
 * discord.js handles it) and, when discord.js did not turn one into an interactionCreate event
 * in the same turn, answers it straight through the callback endpoint: an empty list for an
 * autocomplete, a private "this action has expired" otherwise.
 */
import { Events, GatewayDispatchEvents, InteractionResponseType, InteractionType, MessageFlags, Routes, type Client } from 'discord.js';
import type { Language, Logger, Templates } from '../../src/index.js';
import { safeError } from './base/log-safe.js';
import { discordText } from './base/templates.js';

const SNOWFLAKE = /^\d{15,25}$/;
const TOKEN = /^[A-Za-z0-9_.-]{1,500}$/;

/** The callback that closes an interaction Vigie could not handle. */
export function fallbackCallback(templates: Templates, type: unknown, locale: unknown): Record<string, unknown> {
  if (type === InteractionType.Ping) return { type: InteractionResponseType.Pong };
  if (type === InteractionType.ApplicationCommandAutocomplete) return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } };
  const lang: Language = typeof locale === 'string' && locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { content: discordText(templates, lang, 'discord.expired'), flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
  };
}

/**
 * Answers, through the callback endpoint, every interaction discord.js does not emit. Returns
 * how to say that an interaction is answered elsewhere (fast-status.ts takes some before
 * discord.js sees them).
 */
export function answerUnemitted(client: Client, logger: Logger, templates: Templates): (id: string) => void {
  const emitted = new Set<string>();
  client.on(Events.InteractionCreate, (interaction) => {
    // Ids are removed when their dispatch is checked; this only bounds leftovers from before READY.
    if (emitted.size > 1000) emitted.clear();
    emitted.add(interaction.id);
  });
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: unknown) => {
    const raw = (data ?? {}) as { id?: unknown; token?: unknown; type?: unknown; locale?: unknown };
    const id = typeof raw.id === 'string' ? raw.id : '';
    // Before READY discord.js queues dispatches and handles them later: not ours to answer.
    if (!client.isReady()) return;
    // discord.js handles the dispatch synchronously right after this listener; look once it is done.
    queueMicrotask(() => {
      if (emitted.delete(id)) return;
      const token = typeof raw.token === 'string' ? raw.token : '';
      if (!SNOWFLAKE.test(id) || !TOKEN.test(token)) {
        logger.warn('discord interaction without a usable id or token could not be answered', { type: typeof raw.type === 'number' ? raw.type : 'unknown' });
        return;
      }
      logger.warn('discord interaction not handled by discord.js, answered as expired', { type: typeof raw.type === 'number' ? raw.type : 'unknown' });
      client.rest
        .post(Routes.interactionCallback(id, token), { body: fallbackCallback(templates, raw.type, raw.locale), auth: false })
        .catch((error: unknown) => logger.warn('discord fallback answer failed', { error: safeError(error) }));
    });
  });
  return (id) => {
    if (emitted.size > 1000) emitted.clear();
    emitted.add(id);
  };
}
