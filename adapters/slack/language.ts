/**
 * Which language to answer in. The question's own words decide when they can: most people
 * write clearly in French or English, and then no Slack lookup is needed. Only when the
 * words do not tell ("ent 31", an empty command) is the person's Slack locale asked for
 * (users.info, once, cached in SlackUsers).
 */
import type { Core, BotAnswer, Inbound, Language } from '../../src/index.js';
import type { SlackUsers } from './users.js';

/**
 * The language the words of `text` say, or null when they do not: the core's reader is
 * asked with an English hint and, when that could be a tie, a French one; both agreeing
 * means the words decided.
 */
export function languageOfWords(bot: Core, text: string): Language | null {
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
export async function speechFor(bot: Core, users: SlackUsers, user: string | undefined, text: string): Promise<Speech> {
  const own = languageOfWords(bot, text);
  if (own) return { language: own };
  const locale = await users.locale(user);
  return { ...(locale ? { locale } : {}), language: languageOfLocale(locale) ?? 'fr' };
}

/**
 * Asks the core in the right language, looking the person's locale up only when the words
 * do not tell. A locale already known is passed at once. Otherwise the question is asked as
 * it is: an English answer means the words (or the conversation so far) said English; a
 * French one is checked by reading the words with an English hint, and only when that turns
 * them English (a tie) does the locale decide, the question being asked again when the
 * locale says English. Questions whose words say their language never wait for Slack.
 */
export async function askInLanguage(bot: Core, users: SlackUsers, user: string | undefined, inbound: Inbound): Promise<BotAnswer> {
  const known = inbound.locale ?? users.cachedLocale(user);
  if (known) return bot.ask({ ...inbound, locale: known });
  const first = await bot.ask(inbound);
  if (first.query.language === 'en' || first.reply.kind === 'error') return first;
  if (bot.understand(inbound.text, 'en').language !== 'en') return first;
  const locale = await users.locale(user);
  return languageOfLocale(locale) === 'en' ? bot.ask({ ...inbound, locale: locale! }) : first;
}

/** The language of a Slack locale ("fr-FR", "en-US"), or undefined when unknown. */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  if (!locale) return undefined;
  const l = locale.toLowerCase();
  return l.startsWith('en') ? 'en' : l.startsWith('fr') ? 'fr' : undefined;
}
