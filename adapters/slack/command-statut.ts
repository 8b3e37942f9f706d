/**
 * `/statut`: a question answered privately (ephemeral, with a button to post it to the
 * channel), or a subscription command: `abonner|subscribe ...`, `abonnements|subscriptions`,
 * `désabonner|unsubscribe ...`. Listing is open to all; changing a channel's subscriptions
 * is for those who may (permissions.ts), others are refused and the attempt is audited.
 * The command is acknowledged before any work, well within 3 s.
 */
import type { RespondArguments } from '@slack/bolt';
import type { Inbound, Language } from '../../src/index.js';
import { answering, slackActor, slackConversation, type SlackContext } from './context.js';
import { askInLanguage, languageOfLocale, speechFor } from './language.js';
import { slackText } from './templates.js';
import { offerFollow, subscriptionRefusal } from './permissions.js';
import { renderNotice, renderReply, type SlackMessage } from './render.js';
import type { SlackRouter } from './router.js';

/** What the first word of `/statut ...` asks for. */
export type StatutCommand = 'question' | 'subscribe' | 'list' | 'unsubscribe';

const WORDS: Record<string, StatutCommand> = {
  abonner: 'subscribe',
  abonne: 'subscribe',
  subscribe: 'subscribe',
  suivre: 'subscribe',
  follow: 'subscribe',
  abonnements: 'list',
  subscriptions: 'list',
  desabonner: 'unsubscribe',
  desabonne: 'unsubscribe',
  unsubscribe: 'unsubscribe',
  unfollow: 'unsubscribe',
};

/** Reads the first word (accents and case ignored). */
export function statutCommand(text: string): StatutCommand {
  const first = text.trim().split(/\s+/)[0] ?? '';
  const word = first.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return WORDS[word] ?? 'question';
}

/** Registers `/statut`. */
export function registerStatut(router: SlackRouter, ctx: SlackContext, command = '/statut'): void {
  router.command(command, async ({ command: cmd, ack, respond }) => {
    await ack();
    const text = cmd.text.trim();
    const send = (message: SlackMessage) => respond({ response_type: 'ephemeral', replace_original: false, ...message } as RespondArguments);
    let language: Language = 'fr';
    await answering(ctx, 'command /statut', () => language, send, async () => {
      const conversation = slackConversation(cmd.team_id, cmd.channel_id || cmd.user_id, cmd.user_id);
      const kind = statutCommand(text);
      if (kind === 'question' && text) {
        language = languageOfLocale(ctx.users.cachedLocale(cmd.user_id)) ?? 'fr';
        const { reply: answer } = await askInLanguage(ctx.bot, ctx.users, cmd.user_id, { conversation, text });
        const reply = await offerFollow(ctx, cmd.user_id, answer);
        await send(renderReply(ctx.bot.templates, reply, reply.kind === 'subscribe' ? {} : { share: text }));
        return;
      }
      const speech = await speechFor(ctx.bot, ctx.users, cmd.user_id, text);
      language = speech.language;
      const inbound: Inbound = { conversation, text: text || (speech.language === 'en' ? 'help' : 'aide'), ...(speech.locale ? { locale: speech.locale } : {}) };
      if (kind === 'question') {
        await send(renderReply(ctx.bot.templates, (await ctx.bot.ask(inbound)).reply));
        return;
      }
      if (kind === 'list') {
        const lang = /subscriptions/i.test(text) ? 'en' : speech.language;
        await send(renderReply(ctx.bot.templates, (await ctx.bot.listSubscriptions(conversation, lang)).reply));
        return;
      }
      if (!cmd.channel_id || !cmd.user_id) {
        await send(renderNotice(slackText(ctx.bot.templates, speech.language, 'slack.no_channel')));
        return;
      }
      const actor = slackActor(cmd.team_id || undefined, cmd.user_id, cmd.user_name || undefined);
      const refused = await subscriptionRefusal(ctx, conversation, actor, kind, speech.language);
      if (refused) {
        await send(renderReply(ctx.bot.templates, refused));
        return;
      }
      // The lookup made for the permission also told the person's locale.
      const locale = speech.locale ?? ctx.users.cachedLocale(cmd.user_id);
      const change: Inbound = { ...inbound, ...(locale ? { locale } : {}) };
      const outcome = kind === 'subscribe' ? await ctx.bot.subscribe(change) : await ctx.bot.unsubscribe(change);
      await send(renderReply(ctx.bot.templates, outcome.reply));
    });
  });
}
