/**
 * Mentions and direct messages: `@Vigie l'ENT marche ?` in a channel is answered in a thread
 * under the question; a direct message is answered in the conversation (or its thread). A
 * mention without a question gets the help.
 */
import type { webApi } from '@slack/bolt';
import type { Inbound, Language } from '../../src/index.js';
import { answering, slackConversation, str, type SlackContext } from './context.js';
import { askInLanguage, languageOfLocale, speechFor } from './language.js';
import { offerFollow } from './permissions.js';
import { renderReply, type SlackMessage } from './render.js';
import type { SlackRouter } from './router.js';

/** The text without the bot's own mention ("<@U123> ent ?" → "ent ?"). */
export function withoutBotMention(text: string, botUserId: string | undefined): string {
  const own = botUserId ? new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g') : /^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>/;
  return text.replace(own, ' ').replace(/\s+/g, ' ').trim();
}

interface Incoming {
  team?: string;
  channel: string;
  user: string;
  text: string;
  /** Where to answer: the thread, or undefined for the conversation itself. */
  thread?: string;
}

async function answer(client: webApi.WebClient, ctx: SlackContext, where: string, incoming: Incoming): Promise<void> {
  const post = (message: SlackMessage) =>
    client.chat.postMessage({
      channel: incoming.channel,
      ...(incoming.thread ? { thread_ts: incoming.thread } : {}),
      text: message.text,
      blocks: message.blocks as never,
      unfurl_links: false,
      unfurl_media: false,
    });
  let language: Language = 'fr';
  await answering(ctx, where, () => language, post, async () => {
    const conversation = slackConversation(incoming.team, incoming.channel, incoming.user, incoming.thread);
    if (incoming.text) {
      language = languageOfLocale(ctx.users.cachedLocale(incoming.user)) ?? 'fr';
      const { reply } = await askInLanguage(ctx.bot, ctx.users, incoming.user, { conversation, text: incoming.text });
      await post(renderReply(ctx.bot.templates, await offerFollow(ctx, incoming.user, reply)));
      return;
    }
    // Only a mention: the help, in the person's language.
    const speech = await speechFor(ctx.bot, ctx.users, incoming.user, '');
    language = speech.language;
    const inbound: Inbound = { conversation, text: language === 'en' ? 'help' : 'aide', ...(speech.locale ? { locale: speech.locale } : {}) };
    await post(renderReply(ctx.bot.templates, (await ctx.bot.ask(inbound)).reply));
  });
}

/** Registers the mention and direct-message listeners. */
export function registerConversations(router: SlackRouter, ctx: SlackContext): void {
  router.event('app_mention', async ({ event, body, context, client }) => {
    if (!event.user || event.bot_id || !event.channel) return;
    await answer(client, ctx, 'mention', {
      ...(body.team_id || event.team ? { team: body.team_id ?? event.team } : {}),
      channel: event.channel,
      user: event.user,
      text: withoutBotMention(str(event.text), context.botUserId),
      thread: event.thread_ts ?? event.ts,
    });
  });

  router.event('message', async ({ event: message, body, context, client }) => {
    // Only people's own messages in the app's DM; channel messages are answered on mention only.
    if (message.channel_type !== 'im' || message.subtype !== undefined || message.bot_id || !message.user || !message.channel) return;
    await answer(client, ctx, 'direct message', {
      ...(body.team_id || message.team ? { team: body.team_id ?? message.team } : {}),
      channel: message.channel,
      user: message.user,
      text: withoutBotMention(str(message.text), context.botUserId),
      ...(message.thread_ts ? { thread: message.thread_ts } : {}),
    });
  });
}
