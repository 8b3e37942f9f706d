/**
 * The Discord adapter's own texts (command descriptions live in commands.ts), FR and EN: its
 * keys of the content/messages templates ({fr,en}.yaml, under "discord.*"). The templates are
 * the core's (`Core.templates`, or the ones the platform was built with), passed to every caller.
 */
import type { Language, Templates } from '../../../src/index.js';

/** The keys of the adapter's words in content/messages. */
const KEYS = [
  'discord.button.subscribe',
  'discord.follow.not_allowed',
  'discord.button.report',
  'discord.button.confirm',
  'discord.button.cancel',
  'discord.report.title',
  'discord.report.label',
  'discord.incident.title',
  'discord.incident.title_label',
  'discord.incident.text_fr',
  'discord.incident.text_en',
  'discord.incident.recovery',
  'discord.incident.advice',
  'discord.incident.expired',
  'discord.incident.cancelled',
  'discord.incident.confirm_hint',
  'discord.need_manage_channels',
  'discord.guild_only',
  'discord.footer',
  'discord.footer_source',
  'discord.notice.targets',
  'discord.notice.no_targets',
  'discord.notice.confirm_hint',
  'discord.notice.progress',
  'discord.notice.done',
  'discord.notice.failures',
  'discord.notice.stopped',
  'discord.notice.retry_button',
  'discord.notice.retry_queued',
  'discord.expired',
  'discord.subscriptions.need_permission',
  'discord.subscriptions.bot_cannot_post',
] as const;

export type DiscordTemplateKey = (typeof KEYS)[number];

/** Every key, so a test can check content/messages holds them all. */
export const DISCORD_TEMPLATE_KEYS: readonly string[] = KEYS;

/** The adapter's text for `key` in `lang` from `templates`, with {placeholders} filled. */
export function discordText(templates: Templates, lang: Language, key: DiscordTemplateKey, vars: Record<string, string> = {}): string {
  return templates.t(lang, key, vars);
}
