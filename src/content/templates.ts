/**
 * Message templates from content/messages: flat keys, "{placeholder}" slots. Templates are
 * split once; filling one is a join. A missing key falls back to French, then to the key.
 */
import type { Messages } from './schemas.js';
import type { Language } from '../base/types.js';
import { oncePer } from '../base/once-per.js';

/** Values for a template's placeholders. */
export type Vars = Record<string, string | number>;

/** Fills templates of one or both languages. */
export interface Templates {
  /** The filled template; unknown placeholders stay as written. */
  t(lang: Language, key: string, vars?: Vars): string;
  /** True when the language has this key. */
  has(lang: Language, key: string): boolean;
}

const SLOT = /\{([a-zA-Z0-9_]+)\}/g;

/** The placeholder names a template uses, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(SLOT)].map((m) => m[1] ?? ''))];
}

type Compiled = (string | { slot: string })[];

function compile(template: string): Compiled {
  const out: Compiled = [];
  let last = 0;
  for (const m of template.matchAll(SLOT)) {
    if (m.index > last) out.push(template.slice(last, m.index));
    out.push({ slot: m[1] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push(template.slice(last));
  return out;
}

/**
 * Both languages' templates, compiled once per messages object (the content's, read once per
 * process) and shared by every bot built on it: templates are only ever read.
 */
export const createTemplates = oncePer(compileTemplates);

function compileTemplates(messages: Record<Language, Messages>): Templates {
  const compiled: Record<Language, Map<string, Compiled>> = { fr: new Map(), en: new Map() };
  for (const lang of ['fr', 'en'] as const) {
    for (const [key, text] of Object.entries(messages[lang])) compiled[lang].set(key, compile(text));
  }
  return {
    has: (lang, key) => compiled[lang].has(key),
    t(lang, key, vars) {
      const parts = compiled[lang].get(key) ?? compiled.fr.get(key);
      if (!parts) return key;
      let out = '';
      for (const part of parts) {
        if (typeof part === 'string') out += part;
        else {
          const value = vars?.[part.slot];
          out += value === undefined ? `{${part.slot}}` : String(value);
        }
      }
      return out;
    },
  };
}

/** Joins phrases the way a sentence does: "a, b et c". */
export function joinList(templates: Templates, lang: Language, items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  const head = items.slice(0, -1).join(templates.t(lang, 'list.separator'));
  return templates.t(lang, 'list.pair', { a: head, b: items[items.length - 1] ?? '' });
}

/** Upper-cases the first letter ("lycées en Occitanie" → "Lycées en Occitanie"). */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text.charAt(0).toLocaleUpperCase('fr') + text.slice(1);
}

/**
 * Cleans what an empty placeholder leaves behind: double spaces, and a space before
 * punctuation (French keeps its space before ? ! : ;).
 */
export function tidy(lang: Language, text: string): string {
  const spaced = text.replace(/ {2,}/g, ' ');
  return (lang === 'en' ? spaced.replace(/ +([?!:;.,])/g, '$1') : spaced.replace(/ +([.,])/g, '$1')).trim();
}
