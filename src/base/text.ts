/**
 * Text helpers every layer shares, with no dependency of their own.
 *
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
const ASCII = /^[\x00-\x7f]*$/;

/** Lower case, accents and ligatures removed: "Côte-d'Or" → "cote-d'or". */
export function fold(text: string): string {
  // Most words are plain ASCII: skip the Unicode decomposition for them.
  if (ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out += ch;
    else if (code <= 0x17f) out += LATIN[code - 0x80]!;
    else out += foldSlow(ch);
  }
  return out.toLowerCase();
}

function foldSlow(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(LIGATURE, (c) => LIGATURES[c] ?? c);
}

// Folded forms of U+0080–U+017F (Latin-1 and Latin Extended-A), computed once.
const LATIN: string[] = Array.from({ length: 0x100 }, (_, i) => foldSlow(String.fromCharCode(0x80 + i)));

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
  const words: string[] = [];
  let word = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let piece: string;
    if (code < 0x80) piece = ALNUM[code]!;
    else if (code <= 0x17f) piece = LATIN_WORD[code - 0x80]!;
    else piece = WORD_CHAR.test(text[i]!) ? foldSlow(text[i]!) : '';
    if (piece === '') {
      if (word) words.push(word);
      word = '';
    } else word += piece;
  }
  if (word) words.push(word);
  return words;
}

const WORD_CHAR = /^[\p{L}\p{N}]+$/u;
// Folded letters of U+0080–U+017F; '' for symbols and punctuation.
const LATIN_WORD: string[] = LATIN.map((f) => (WORD_CHAR.test(f) ? f : ''));
// Lower-cased letters and digits of ASCII; '' for everything else.
const ALNUM: string[] = Array.from({ length: 0x80 }, (_, c) => (/[A-Za-z0-9]/.test(String.fromCharCode(c)) ? String.fromCharCode(c).toLowerCase() : ''));

// Cutting to a platform's limit without breaking a character apart.

const graphemes = new Intl.Segmenter('fr', { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` UTF-16 units (the unit Slack and Discord limits are safe in),
 * on a grapheme boundary, so no emoji, accent or flag is split and no lone surrogate is
 * left; the cut ends with `ellipsis` (counted in `max`). Text that fits is returned as is.
 */
export function cutText(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const room = max - ellipsis.length;
  if (room <= 0) return ellipsis.slice(0, Math.max(0, max));
  let end = 0;
  // Only the start is segmented: boundaries depend on what comes before, and a cluster that
  // runs past the window ends past `room` anyway.
  for (const { index, segment } of graphemes.segment(text.slice(0, room + 64))) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end).trimEnd()}${ellipsis}`;
}

/** True when `text` holds a lone surrogate (half an emoji), which platforms refuse or mangle. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
