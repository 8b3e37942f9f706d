/** The words of notices and their outcomes, from content/messages. */
import type { Templates, Vars } from '../content/templates.js';
import type { Language } from '../base/types.js';

/** Fills a notice text from content/messages ("notice.*" keys). */
export function noticeText(templates: Templates, lang: Language, key: string, vars: Vars = {}): string {
  return templates.t(lang, key, vars);
}
