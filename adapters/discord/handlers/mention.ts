/**
 * Answers a message that mentions the bot (VIGIE_DISCORD_MENTIONS=on). The mention is
 * removed from the text; the answer replies to the message without pinging anyone.
 */
import { PermissionFlagsBits, type Message } from 'discord.js';
import { renderReply } from '../base/render.js';
import type { HandlerContext } from './context.js';
import { offerFollow } from './subscriptions.js';

/** True when the message is for the bot: a person's message that mentions it by name. */
export function isForBot(message: Message, botId: string): boolean {
  if (message.author.bot || message.system) return false;
  return message.mentions.users.has(botId) || new RegExp(`<@!?${botId}>`).test(message.content);
}

/** The question without the bot's mention. */
export function questionOf(message: Message, botId: string): string {
  return message.content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

/** Answers one mention; never throws (errors are logged and answered with the apology). */
export async function handleMention(ctx: HandlerContext, message: Message, botId: string): Promise<void> {
  if (!isForBot(message, botId)) return;
  const { reply } = await ctx.bot.ask({
    conversation: {
      platform: 'discord',
      ...(message.guildId ? { workspace: message.guildId } : {}),
      channel: message.channelId,
      user: message.author.id,
    },
    text: questionOf(message, botId),
  });
  await message.reply(renderReply(ctx.bot.templates, offerFollow(ctx.bot.templates, reply, mayManage(message))));
}

/** Whether the author may change this channel's subscriptions (Manage Channels there); unknown means no. */
function mayManage(message: Message): boolean {
  try {
    if (!message.inGuild() || !message.member) return false;
    return message.member.permissionsIn(message.channelId).has(PermissionFlagsBits.ManageChannels);
  } catch {
    return false;
  }
}
