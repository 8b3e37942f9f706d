/**
 * `/subscribe`, `/unsubscribe`, `/subscriptions` and the "follow in this channel" button:
 * subscriptions are kept per guild and channel by the core.
 *
 * Permission policy. Changing what a channel follows needs Manage Channels (or Administrator)
 * in that channel, checked HERE from the permissions Discord computed for the member and sent
 * with the interaction (`member.permissions`). The commands' `default_member_permissions` is
 * only a default that server admins can widen (Server Settings → Integrations), and a forged or
 * widened interaction must not change subscriptions: refusals are audited by the core
 * (bot.refuseSubscriptionChange). Subscribing also checks the bot's own permissions in the
 * channel (`app_permissions`), so a channel is never subscribed to updates Vigie could not post.
 * Listing (`/subscriptions`) is open to every member: what a channel follows is no secret and
 * parents want to know; the list is answered privately so it cannot flood the channel.
 */
import { MessageFlags, PermissionFlagsBits, type ButtonInteraction, type ChatInputCommandInteraction, type RepliableInteraction } from 'discord.js';
import type { Language, Reply, Templates } from '../../../src/index.js';
import { COMMANDS } from '../base/commands.js';
import { discordText } from '../base/templates.js';
import { IDS, renderReplyPages, textMessage, type DiscordMessage } from '../base/render.js';
import { actorOf, conversationOf, languageOf, placeFromValue, type HandlerContext } from './context.js';
import { answer } from './respond.js';

/** True when the member may change the channel's subscriptions: Manage Channels, or Administrator. */
export function canChangeSubscriptions(interaction: RepliableInteraction): boolean {
  // `has` counts Administrator as every permission; memberPermissions is null outside a guild.
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false;
}

/** True when the bot itself can post notices (embeds) in the channel. */
export function botCanPost(interaction: RepliableInteraction): boolean {
  const app = interaction.appPermissions;
  if (!app) return false;
  return app.has(PermissionFlagsBits.ViewChannel) && app.has(PermissionFlagsBits.EmbedLinks) && (app.has(PermissionFlagsBits.SendMessages) || app.has(PermissionFlagsBits.SendMessagesInThreads));
}

const pagesOf = (ctx: HandlerContext, outcome: { reply: Reply }) => renderReplyPages(ctx.bot.templates, outcome.reply, { buttons: false });

/**
 * Checks who acts before any change: outside a guild, without Manage Channels (audited
 * refusal), or, to subscribe, where the bot cannot post. True when the change may go on.
 */
async function mayChange(ctx: HandlerContext, interaction: RepliableInteraction, action: 'subscribe' | 'unsubscribe', lang: Language): Promise<boolean> {
  if (!interaction.inGuild()) {
    await interaction.reply({ ...textMessage(discordText(ctx.bot.templates, lang, 'discord.guild_only')), flags: MessageFlags.Ephemeral });
    return false;
  }
  if (!canChangeSubscriptions(interaction)) {
    await answer(
      ctx,
      interaction,
      async (): Promise<DiscordMessage[]> => {
        const outcome = await ctx.bot.refuseSubscriptionChange(conversationOf(interaction), actorOf(interaction), action, lang);
        const [first, ...rest] = pagesOf(ctx, outcome);
        return [{ ...first!, content: discordText(ctx.bot.templates, lang, 'discord.subscriptions.need_permission') }, ...rest];
      },
      { ephemeral: true },
    );
    return false;
  }
  if (action === 'subscribe' && !botCanPost(interaction)) {
    await interaction.reply({ ...textMessage(discordText(ctx.bot.templates, lang, 'discord.subscriptions.bot_cannot_post')), flags: MessageFlags.Ephemeral });
    return false;
  }
  return true;
}

/** Subscribes, unsubscribes or lists, from the slash command's options. */
export async function handleSubscriptionCommand(ctx: HandlerContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  const conversation = conversationOf(interaction);
  if (interaction.commandName === COMMANDS.subscriptions) {
    if (!interaction.inGuild()) {
      await interaction.reply({ ...textMessage(discordText(ctx.bot.templates, lang, 'discord.guild_only')), flags: MessageFlags.Ephemeral });
      return;
    }
    await answer(ctx, interaction, async () => pagesOf(ctx, await ctx.bot.listSubscriptions(conversation, lang)), { ephemeral: true });
    return;
  }
  const action = interaction.commandName === COMMANDS.subscribe ? 'subscribe' : 'unsubscribe';
  if (!(await mayChange(ctx, interaction, action, lang))) return;
  const service = interaction.options.getString('service');
  const placeValue = interaction.options.getString('place');
  await answer(ctx, interaction, async () => {
    const place = placeValue ? placeFromValue(ctx.bot, placeValue) : null;
    if (action === 'subscribe') {
      return pagesOf(
        ctx,
        place
          ? await ctx.bot.subscribeTo(conversation, [service, `${place.kind}:${place.code}`].filter(Boolean).join(' '), actorOf(interaction), lang)
          : await ctx.bot.subscribe({ conversation, text: [service, placeValue].filter(Boolean).join(' '), locale: interaction.locale }),
      );
    }
    const all = interaction.options.getBoolean('all') === true;
    // The chosen place goes as kind:code, so a homonym (Saint-Denis 93 / 974) is the one picked.
    const words = all ? [lang === 'fr' ? 'tout' : 'all'] : [service, place ? `${place.kind}:${place.code}` : placeValue];
    return pagesOf(ctx, await ctx.bot.unsubscribe({ conversation, text: words.filter(Boolean).join(' '), locale: interaction.locale }));
  });
}

/** The "follow in this channel" button under an answer (the same checks as /subscribe). */
export async function handleSubscribeButton(ctx: HandlerContext, interaction: ButtonInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  if (!(await mayChange(ctx, interaction, 'subscribe', lang))) return;
  const target = interaction.customId.slice(IDS.subscribe.length);
  await answer(ctx, interaction, async () => pagesOf(ctx, await ctx.bot.subscribeTo(conversationOf(interaction), target, actorOf(interaction), lang)));
}

/**
 * A "follow in this channel" answer ("préviens-moi quand le CNED revient") keeps its button
 * only for a member who may change the channel's subscriptions (Manage Channels, known from
 * the interaction or the message's member); others are told who can. The click is checked
 * again by handleSubscribeButton.
 */
export function offerFollow(templates: Templates, reply: Reply, allowed: boolean): Reply {
  if (allowed || reply.kind !== 'subscribe' || !reply.actions.some((a) => a.id === 'subscribe')) return reply;
  return {
    ...reply,
    actions: reply.actions.filter((a) => a.id !== 'subscribe'),
    sections: [...reply.sections, { key: 'note', title: templates.t(reply.language, 'section.note'), text: discordText(templates, reply.language, 'discord.follow.not_allowed') }],
  };
}
