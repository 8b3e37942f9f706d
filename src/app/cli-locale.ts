/** The language of the CLI's own words, from the terminal's locale. */
import type { Language } from '../base/types.js';

/** French unless the terminal's locale (LC_ALL, LC_MESSAGES, LANG) is English. */
export function localeLanguage(env: NodeJS.ProcessEnv): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^en([_.-]|$)/i.test(locale) ? 'en' : 'fr';
}
