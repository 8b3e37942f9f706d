/**
 * Input hygiene and folding. Everything the understander compares goes through `fold`, so
 * "Île-de-France", "ile de france" and "ILE-DE-FRANCE" meet on the same tokens.
 */

/** Questions longer than this are cut (and the query says so). */
export const MAX_QUESTION_LENGTH = 2000;

// C0/C1 controls (tab, newline and carriage return become spaces instead), zero-width and
// bidirectional marks, soft hyphen, BOM: invisible characters that only hide words.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPACES = /[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g;

/** A cleaned question: cut, without invisible characters, whitespace collapsed. */
export interface CleanText {
  text: string;
  truncated: boolean;
}

/** Cleans any value into a question text; never throws. */
export function sanitize(input: unknown): CleanText {
  let text = typeof input === 'string' ? input : input == null ? '' : safeString(input);
  text = text.replace(LONE_SURROGATE, '\uFFFD').replace(INVISIBLE, '').replace(SPACES, ' ').trim();
  let truncated = false;
  if (text.length > MAX_QUESTION_LENGTH) {
    truncated = true;
    let end = MAX_QUESTION_LENGTH;
    // Do not split a surrogate pair in two.
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    text = text.slice(0, end).trimEnd();
  }
  return { text, truncated };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}

const MARKS = /\p{M}+/gu;
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd' };
const LIGATURE = /[œæßøłđ]/g;

/** Lower case, accents and ligatures removed: "Côte-d'Or" → "côte-d'or" → "cote-d'or". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(LIGATURE, (c) => LIGATURES[c] ?? c);
}

/** A word of the question: as typed, folded, and where it sits. */
export interface Token {
  /** As typed. */
  raw: string;
  /** Folded (lower case, no accents). */
  norm: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Splits a text into words; hyphens, apostrophes and punctuation separate words. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    tokens.push({ raw: m[0], norm: fold(m[0]), start, end: start + m[0].length });
  }
  return tokens;
}

/** Folds a name into its words, the way `tokenize` would: "Saint-Étienne" → ["saint", "etienne"]. */
export function foldWords(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}
