/**
 * `/subscribe`, `/unsubscribe`, `/subscriptions` and the "follow in this channel" button:
 * subscriptions are kept per guild and channel by the core.
 */
import { MessageFlags, PermissionFlagsBits, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { say } from '../messages.js';
import { IDS, NO_PINGS, renderReply } from '../render.js';
import { actorOf, conversationOf, languageOf, placeFromValue, type HandlerContext } from './context.js';

/** Subscribes, unsubscribes or lists, from the slash command's options. */
export async function handleSubscriptionCommand(ctx: HandlerContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  if (!interaction.inGuild()) {
    await interaction.reply({ content: say(lang, 'discord.guild_only'), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    return;
  }
  await interaction.deferReply();
  const conversation = conversationOf(interaction);
  const service = interaction.options.getString('service');
  const placeValue = interaction.options.getString('place');
  let outcome;
  if (interaction.commandName === 'subscriptions') {
    outcome = await ctx.bot.listSubscriptions(conversation, lang);
  } else if (interaction.commandName === 'subscribe') {
    const place = placeValue ? placeFromValue(ctx.bot, placeValue) : null;
    outcome = place
      ? await ctx.bot.subscribeTo(conversation, [service, `${place.kind}:${place.code}`].filter(Boolean).join(' '), actorOf(interaction), lang)
      : await ctx.bot.subscribe({ conversation, text: [service, placeValue].filter(Boolean).join(' '), locale: interaction.locale });
  } else {
    const all = interaction.options.getBoolean('all') === true;
    const place = placeValue ? placeFromValue(ctx.bot, placeValue) : null;
    // The chosen place goes as kind:code, so a homonym (Saint-Denis 93 / 974) is the one picked.
    const words = all ? [lang === 'fr' ? 'tout' : 'all'] : [service, place ? `${place.kind}:${place.code}` : placeValue];
    outcome = await ctx.bot.unsubscribe({ conversation, text: words.filter(Boolean).join(' '), locale: interaction.locale });
  }
  await interaction.editReply(renderReply(outcome.reply, { buttons: false }));
}

/** The "follow in this channel" button under an answer (needs Manage Channels, like /subscribe). */
export async function handleSubscribeButton(ctx: HandlerContext, interaction: ButtonInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels)) {
    await interaction.reply({ content: say(lang, interaction.inGuild() ? 'discord.need_manage_channels' : 'discord.guild_only'), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    return;
  }
  await interaction.deferReply();
  const target = interaction.customId.slice(IDS.subscribe.length);
  const outcome = await ctx.bot.subscribeTo(conversationOf(interaction), target, actorOf(interaction), lang);
  await interaction.editReply(renderReply(outcome.reply, { buttons: false }));
}
