/**
 * `/statut`: a question answered privately (ephemeral, with a button to post it to the
 * channel), or a subscription command: `abonner|subscribe ...`, `abonnements|subscriptions`,
 * `désabonner|unsubscribe ...`. The command is acknowledged before any work, well within 3 s.
 */
import type { App, RespondArguments } from '@slack/bolt';
import type { Inbound } from '../../../src/index.js';
import { answering, slackConversation, type SlackContext } from '../context.js';
import { languageOfLocale } from '../messages.js';
import { renderReply, type SlackMessage } from '../render.js';

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
export function registerStatut(app: App, ctx: SlackContext, command = '/statut'): void {
  app.command(command, async ({ command: cmd, ack, respond, client }) => {
    await ack();
    const locale = await ctx.locales.get(client, cmd.user_id);
    const language = () => languageOfLocale(locale) ?? 'fr';
    const conversation = slackConversation(cmd.team_id, cmd.channel_id, cmd.user_id);
    const text = cmd.text.trim();
    const inbound: Inbound = { conversation, text: text || (language() === 'en' ? 'help' : 'aide'), ...(locale ? { locale } : {}) };
    const send = (message: SlackMessage) =>
      respond({ response_type: 'ephemeral', replace_original: false, ...message } as RespondArguments);
    await answering(ctx, 'command /statut', language, send, async () => {
      switch (statutCommand(text)) {
        case 'subscribe':
          await send(renderReply((await ctx.bot.subscribe(inbound)).reply));
          return;
        case 'unsubscribe':
          await send(renderReply((await ctx.bot.unsubscribe(inbound)).reply));
          return;
        case 'list': {
          const lang = /subscriptions/i.test(text) ? 'en' : language();
          await send(renderReply((await ctx.bot.listSubscriptions(conversation, lang)).reply));
          return;
        }
        case 'question': {
          const { reply } = await ctx.bot.ask(inbound);
          await send(renderReply(reply, text ? { share: text } : {}));
        }
      }
    });
  });
}
