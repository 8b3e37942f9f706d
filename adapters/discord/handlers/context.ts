/**
 * What every handler shares: the bot, the configuration, the logger, pending admin forms,
 * and small readers of an interaction (language, conversation, actor, admin rights).
 */
import { randomUUID } from 'node:crypto';
import { GuildMember, MessageFlags, type APIInteractionGuildMember, type BaseInteraction, type RepliableInteraction } from 'discord.js';
import { errorReply, PLACE_KINDS, type Actor, type Core, type ConversationRef, type Language, type Logger, type PlaceKind } from '../../../src/index.js';
import type { DiscordConfig } from '../base/config.js';
import { safeError } from '../base/log-safe.js';
import { renderReply, type DiscordMessage } from '../base/render.js';
import type { AlertPrefills } from '../base/alert-render.js';
import type { PendingForms } from './pending.js';
import type { ProgressWatchers } from './progress.js';
import type { AnswerContext } from './respond.js';

/** Shared by the handlers. */
export interface HandlerContext extends AnswerContext {
  bot: Core;
  config: Pick<DiscordConfig, 'adminRoles' | 'adminUsers' | 'mentions'>;
  logger: Logger;
  pending: PendingForms;
  /** Notice progress messages being updated (stopped with the adapter). */
  watchers: ProgressWatchers;
  /** Prefills of alert buttons too long for a custom id (the platform's alert sink keeps them). */
  alertPrefills: AlertPrefills;
}

/** French for a French Discord client, English otherwise. */
export function languageOf(locale: string | null | undefined): Language {
  return locale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** Where the interaction happens: guild and channel, and who asked (for follow-ups per person). */
export function conversationOf(interaction: BaseInteraction): ConversationRef {
  return {
    platform: 'discord',
    ...(interaction.guildId ? { workspace: interaction.guildId } : {}),
    channel: interaction.channelId ?? 'unknown',
    user: interaction.user.id,
  };
}

/** The person acting, for audits. */
export function actorOf(interaction: BaseInteraction): Actor {
  return {
    platform: 'discord',
    ...(interaction.guildId ? { workspace: interaction.guildId } : {}),
    user: interaction.user.id,
    name: interaction.user.globalName ?? interaction.user.username,
  };
}

function roleIds(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (!member) return [];
  if (member instanceof GuildMember) return [...member.roles.cache.keys()];
  return member.roles;
}

/** True when the user is listed in VIGIE_DISCORD_ADMINS or has a role of VIGIE_DISCORD_ADMIN_ROLES. */
export function isAdmin(ctx: HandlerContext, interaction: BaseInteraction): boolean {
  if (!interaction.inGuild()) return false;
  if (ctx.config.adminUsers.includes(interaction.user.id)) return true;
  const member = interaction.member as GuildMember | APIInteractionGuildMember | null;
  return roleIds(member).some((id) => ctx.config.adminRoles.includes(id));
}

/** The place a "kind:code" option value (from autocomplete) stands for, or null for free text. */
export function placeFromValue(bot: Core, value: string): { kind: PlaceKind; code: string; name: string } | null {
  const typed = /^([a-z]+):(\S+)$/.exec(value.trim());
  if (!typed || !(PLACE_KINDS as readonly string[]).includes(typed[1]!)) return null;
  return bot.place(typed[1] as PlaceKind, typed[2]!);
}

/**
 * Answers a failed interaction with the apology and a reference id, whatever state the
 * interaction is in; never throws.
 */
export async function apologize(ctx: HandlerContext, interaction: BaseInteraction, error: unknown): Promise<void> {
  const ref = randomUUID().slice(0, 8);
  ctx.logger.error('discord interaction failed', { ref, type: interaction.type, error: safeError(error) });
  if (!interaction.isRepliable()) return;
  const lang = languageOf(interaction.locale);
  const message = renderReply(ctx.bot.templates, errorReply(ctx.bot.templates, lang, ref, ctx.bot.now()), { buttons: false });
  try {
    await sendEphemeral(interaction, message);
  } catch (second) {
    ctx.logger.warn('discord apology not delivered', { ref, error: safeError(second) });
  }
}

/** Replies, edits the deferred reply or follows up, depending on what was already sent. */
export async function sendEphemeral(interaction: RepliableInteraction, message: DiscordMessage): Promise<void> {
  if (interaction.deferred && !interaction.replied) await interaction.editReply(message);
  else if (interaction.replied) await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}
