/**
 * A model of how Discord reads markdown in embed titles, descriptions, fields and message
 * content, for tests: backslash escapes, then block markers at the start of a line (headings,
 * `-#` subtext, quotes, lists) and inline constructs (code, spoilers, emphasis, masked links,
 * `<…>` autolinks, mentions, timestamps, custom emoji, bare http(s) addresses, @everyone and
 * @here). It errs on the side of finding too much: a construct Discord might read is reported.
 */
import assert from 'node:assert/strict';
import { parseHttpUrl } from '../../../src/index.js';


/** Something Discord would render rather than show as typed. */
export interface Finding {
  kind: 'masked_link' | 'link' | 'heading' | 'subtext' | 'quote' | 'list' | 'mention' | 'mass_mention' | 'timestamp' | 'emoji' | 'code' | 'spoiler' | 'format';
  at: string;
  url?: string;
}

interface Char {
  c: string;
  escaped: boolean;
}

const ZWSP = '\u200b';

function unescape(text: string): Char[] {
  const out: Char[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    // Discord (simple-markdown) escapes any character that is not a letter, digit or space.
    if (c === '\\' && next !== undefined && !/[0-9A-Za-z\s]/.test(next)) {
      out.push({ c: next, escaped: true });
      i++;
    } else out.push({ c, escaped: false });
  }
  return out;
}

function lineFindings(line: Char[], findings: Finding[]): void {
  const shown = line.map((x) => x.c).join('');
  let i = 0;
  while (i < line.length && line[i]!.c === ' ') i++;
  const free = (k: number) => line[k] !== undefined && !line[k]!.escaped;
  const at = (k: number) => line[k]?.c ?? '';
  if (free(i) && at(i) === '#') findings.push({ kind: 'heading', at: shown });
  if (free(i) && at(i) === '-' && free(i + 1) && at(i + 1) === '#') findings.push({ kind: 'subtext', at: shown });
  if (free(i) && at(i) === '>') findings.push({ kind: 'quote', at: shown });
  if (free(i) && '-*+'.includes(at(i)) && at(i + 1) === ' ') findings.push({ kind: 'list', at: shown });
  let d = i;
  while (/\d/.test(at(d))) d++;
  if (d > i && free(d) && at(d) === '.' && at(d + 1) === ' ') findings.push({ kind: 'list', at: shown });

  for (let k = 0; k < line.length; k++) {
    const ch = line[k]!;
    const rest = line.slice(k).map((x) => x.c).join('');
    // Mass mentions ping whatever the escapes (allowed_mentions aside): only a zero-width space stops them.
    if (/^[@＠](everyone|here)/.test(rest)) findings.push({ kind: 'mass_mention', at: shown });
    if (ch.escaped) continue;
    if (ch.c === '`') findings.push({ kind: 'code', at: shown });
    if (ch.c === '|' && free(k + 1) && at(k + 1) === '|') findings.push({ kind: 'spoiler', at: shown });
    if ('*_~'.includes(ch.c)) findings.push({ kind: 'format', at: shown });
    if (ch.c === '[') {
      for (let j = k + 1; j < line.length - 1; j++) {
        if (free(j) && at(j) === ']' && free(j + 1) && at(j + 1) === '(') {
          findings.push({ kind: 'masked_link', at: shown });
          break;
        }
      }
    }
    if (ch.c === '<') {
      const close = rest.indexOf('>');
      const inner = close > 0 ? rest.slice(1, close) : '';
      if (inner.startsWith(ZWSP)) continue;
      if (/^https?:\/\/[^\s>]+$/i.test(inner)) {
        findings.push({ kind: 'link', at: shown, url: inner });
        k += close;
      } else if (/^t:/.test(inner)) findings.push({ kind: 'timestamp', at: shown });
      else if (/^a?:\w+:\d+$/.test(inner)) findings.push({ kind: 'emoji', at: shown });
      else if (/^[@#!/]|^id:/.test(inner)) findings.push({ kind: 'mention', at: shown });
      continue;
    }
    // A bare address: the scheme and "://" all unescaped, not inside a word.
    const bare = /^https?:\/\/[^\s<]+/i.exec(rest);
    if (bare && !/\w/.test(line[k - 1]?.c ?? '')) {
      const colon = k + bare[0].indexOf(':');
      if (free(colon)) {
        findings.push({ kind: 'link', at: shown, url: bare[0] });
        k += bare[0].length - 1;
      }
    }
  }
}

/** Everything Discord would render as markdown, a link, a mention or a timestamp in `text`. */
export function inspectMarkdown(text: string): Finding[] {
  const findings: Finding[] = [];
  const chars = unescape(text);
  let line: Char[] = [];
  for (const ch of chars) {
    if (ch.c === '\n' && !ch.escaped) {
      lineFindings(line, findings);
      line = [];
    } else line.push(ch);
  }
  lineFindings(line, findings);
  return findings;
}

/** The texts of a message Discord renders as markdown: content, embed titles, descriptions, field names and values. */
export function markdownTexts(message: { content?: unknown; embeds?: unknown }): string[] {
  const texts: string[] = [];
  if (typeof message.content === 'string') texts.push(message.content);
  for (const e of (Array.isArray(message.embeds) ? message.embeds : []) as { title?: string; description?: string; fields?: { name: string; value: string }[] }[]) {
    if (e.title) texts.push(e.title);
    if (e.description) texts.push(e.description);
    for (const f of e.fields ?? []) texts.push(f.name, f.value);
  }
  return texts;
}

/** Findings that are not a plain, validated https address shown as itself. */
export function unsafe(findings: Finding[], options: { format?: boolean } = {}): Finding[] {
  return findings.filter((f) => {
    if (f.kind === 'link') return !(f.url && f.url.startsWith('https://') && parseHttpUrl(f.url) === f.url);
    if (f.kind === 'format') return options.format !== false;
    return true;
  });
}

/** Asserts a rendered message has nothing live in its markdown texts and pings nobody. */
export function assertInert(message: { content?: unknown; embeds?: unknown; allowed_mentions?: unknown; allowedMentions?: unknown }, label: string): void {
  const embeds = (Array.isArray(message.embeds) ? message.embeds : []) as { description?: string; footer?: { text: string } }[];
  for (const text of markdownTexts(message)) {
    // Descriptions carry Vigie's own bold section titles: emphasis is checked everywhere else.
    const isDescription = embeds.some((e) => e.description === text);
    assert.deepEqual(unsafe(inspectMarkdown(text), { format: !isDescription }), [], `${label}: ${JSON.stringify(text).slice(0, 300)}`);
  }
  for (const e of embeds) if (e.footer) assert.doesNotMatch(e.footer.text, /<[@#!]|[@＠](everyone|here)/, `${label} footer`);
  const mentions = (message.allowed_mentions ?? message.allowedMentions) as { parse?: unknown[] } | undefined;
  if (mentions) assert.deepEqual(mentions.parse, [], `${label}: allowed_mentions`);
}
