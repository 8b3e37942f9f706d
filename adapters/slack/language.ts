/**
 * Which language to answer in. The question's own words decide when they can: most people
 * write clearly in French or English, and then no Slack lookup is needed. Only when the
 * words do not tell ("ent 31", an empty command) is the person's Slack locale asked for
 * (users.info, once, cached in SlackUsers).
 */
import type { webApi } from '@slack/bolt';
import type { Bot, Language } from '../../src/index.js';
import type { SlackUsers } from './users.js';

/**
 * The language the words of `text` say, or null when they do not: the core's reader is
 * asked with an English hint and, when that could be a tie, a French one; both agreeing
 * means the words decided.
 */
export function languageOfWords(bot: Bot, text: string): Language | null {
  if (text.trim() === '') return null;
  const withEnglishHint = bot.understand(text, 'en').language;
  if (withEnglishHint === 'fr') return 'fr';
  return bot.understand(text, 'fr').language === 'en' ? 'en' : null;
}

/** What to answer `text` from `user` with: the locale for the core (when needed) and the language for our own words. */
export interface Speech {
  /** The Slack locale to hand the core; undefined when the words are enough. */
  locale?: string;
  /** The language of our own words (apologies, help) before the core answers. */
  language: Language;
}

/** Decides the language of an answer to `text`, looking the locale up only when the words do not tell. */
export async function speechFor(bot: Bot, users: SlackUsers, client: webApi.WebClient, user: string | undefined, text: string): Promise<Speech> {
  const own = languageOfWords(bot, text);
  if (own) return { language: own };
  const locale = await users.locale(client, user);
  return { ...(locale ? { locale } : {}), language: languageOfLocale(locale) ?? 'fr' };
}

/** The language of a Slack locale ("fr-FR", "en-US"), or undefined when unknown. */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  if (!locale) return undefined;
  const l = locale.toLowerCase();
  return l.startsWith('en') ? 'en' : l.startsWith('fr') ? 'fr' : undefined;
}
