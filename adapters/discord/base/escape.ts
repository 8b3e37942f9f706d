/**
 * The one place where text written by people (a parent's question, an admin's incident or
 * notice, a place typed in a form) is made safe for Discord. Discord renders markdown in embed
 * titles, descriptions and fields: masked links `[ENT](https://evil.example)`, headings, block
 * quotes, `-#` subtext, lists, code, spoilers, timestamps `<t:0>`, mentions and custom emoji.
 * `escapeText` turns all of it into literal text; the only links left are plain https addresses
 * that pass the core's parseHttpUrl, shown as `<https://…>` (the link text IS the address, so it
 * cannot disguise where it goes). Texts Discord shows without markdown (footers, button labels,
 * autocomplete choices, modal values) go through `plainText` instead.
 */
import { cutText, NestedMemo, neutralizeMentions, parseHttpUrl } from '../../../src/index.js';

// Bidirectional overrides and isolates can make "moc.live//:sptth" read as an official address;
// other controls (except newlines and tabs) have no business in a chat message.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
// Candidate addresses: a scheme, then anything up to whitespace or angle brackets.
const URL_CANDIDATE = /https?:\/\/[^\s<>]+/gi;
// Punctuation that ends a sentence rather than an address ("voir https://x.fr).").
const TRAILING = /[.,:;!?'"»)\]}*_~|…]+$/u;
// Characters that open or close inline markdown anywhere in a line: escape, emphasis,
// underline, strike, code, spoiler, masked links, and `<` (mentions, timestamps, emoji, autolinks).
const INLINE = /[\\*_~`|[\]<]/g;
// What starts a block at the beginning of a line: headings, subtext (-#), quotes, lists.
const LINE_START = /^(\s*)(#|-|\+|>|\d+\.)/;

/** Options of escapeText. */
export interface EscapeOptions {
  /** Keep plain https addresses as links (default true); false shows them as text only. */
  links?: boolean;
}

function escapePlain(part: string): string {
  // `\:` after a scheme stops Discord from autolinking an address that did not pass validation.
  return part.replace(INLINE, '\\$&').replace(/:\/\//g, '\\://');
}

function escapeLine(line: string, links: boolean): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    const raw = match[0];
    const trailing = TRAILING.exec(raw)?.[0] ?? '';
    const candidate = raw.slice(0, raw.length - trailing.length);
    const url = links ? parseHttpUrl(candidate) : null;
    if (!url || !url.startsWith('https://')) continue;
    out += escapePlain(line.slice(last, start)) + `<${url}>`;
    last = start + candidate.length;
  }
  out += escapePlain(line.slice(last));
  // A block marker at the start of the line is made literal (`\#`, `\-#`, `\>`, `1\.`).
  return out.replace(LINE_START, (_all, space: string, marker: string) => (/^\d/.test(marker) ? `${space}${marker.slice(0, -1)}\\.` : `${space}\\${marker}`));
}

// What any of the rules below acts on: a control or bidi character, an inline markdown
// character, a mention's `@`, an address's `://`, or a block marker at the start of a line.
// Text without any of them (most of an answer's words) is its own escape.
const NEEDS_ESCAPE = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069\\*_~`|[\]<@＠]|:\/\/|(?:^|\n)\s*(?:[#\-+>]|\d+\.)/;

/** Text with every markdown construct, mention and unvalidated link made literal; idempotent only on its own output's meaning, not its bytes. */
function escapeAll(text: string, links: boolean): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  const clean = text.replace(INVISIBLE, '');
  return neutralizeMentions(
    clean
      .split('\n')
      .map((line) => escapeLine(line, links))
      .join('\n'),
  );
}

/**
 * `text` as literal Discord markdown: everything a person wrote shows as written and nothing
 * becomes a heading, quote, list, link, mention or timestamp, except plain https addresses that
 * pass parseHttpUrl (kept as `<address>` links unless `links: false`). With `max`, the result
 * fits in `max` characters, cut on a grapheme boundary with "…" (escapes never split).
 */
export function escapeText(text: string, max?: number, options: EscapeOptions = {}): string {
  const links = options.links ?? true;
  // On a crisis morning the same sections come back again and again (the answerer memoises
  // them): their escaped form is memoised too, in a bounded memo.
  const key = ((max ?? -1) + 1) * 2 + (links ? 1 : 0);
  const known = memo.get(key, text);
  if (known !== undefined) return known;
  const escaped = escapeUncached(text, max, links);
  memo.set(key, text, escaped);
  return escaped;
}

/**
 * Escaped texts per options, then per text. The options as one number: `max` (a length, or
 * none) and `links`, ((max ?? -1) + 1) * 2 + (links ? 1 : 0).
 */
const memo = new NestedMemo<number, string, string>(5_000);

function escapeUncached(text: string, max: number | undefined, links: boolean): string {
  const full = escapeAll(text, links);
  if (max === undefined || full.length <= max) return full;
  // Escaping lengthens text unevenly: find the longest cut of the raw text whose escaped
  // form fits. cutText keeps graphemes whole and the escape of a cut never ends in a lone "\".
  let low = 0;
  let high = Math.min(text.length, max);
  let best = escapeAll(cutText(text, 1), links);
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const candidate = escapeAll(cutText(text, Math.max(1, mid)), links);
    if (candidate.length <= max) {
      best = candidate;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best.length <= max ? best : cutText(best, max);
}

/**
 * Text for places Discord shows without markdown (embed footers, button labels, autocomplete
 * choices, modal titles and values): controls removed, mentions defused, cut to `max`.
 */
export function plainText(text: string, max: number): string {
  return cutText(neutralizeMentions(text.replace(INVISIBLE, '')), max);
}
