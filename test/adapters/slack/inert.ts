/**
 * What "inert" means for a Slack message, and the texts people use to try to break it:
 * mass and targeted mentions in Slack's and Discord's markup and in plain text, disguised
 * links, markdown of both platforms, code fences. Used by the injection tests.
 */
import assert from 'node:assert/strict';

/** Every injection string the issue lists. */
export const INJECTIONS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123>',
  '<#C123>',
  '<!subteam^S1>',
  '<https://evil.example|ENT officiel>',
  '@everyone',
  '@here',
  '<@&123>',
  '<@123>',
  '[ENT](https://evil.example)',
  '@\u200beveryone',
  '＠everyone',
  '# titre',
  '> cite',
  '-# petit',
  '```\ncode\n```',
] as const;

/** A string holding every injection, one per line, the way a person could paste them. */
export const ALL_INJECTIONS = INJECTIONS.join('\n');

interface Found {
  kind: 'mrkdwn' | 'plain' | 'value';
  text: string;
  path: string;
}

/** Every text of a Block Kit payload (views and messages), with how Slack reads it. */
export function textsOf(value: unknown, path = '$', out: Found[] = []): Found[] {
  if (Array.isArray(value)) value.forEach((v, i) => textsOf(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push({ kind: o.type === 'mrkdwn' ? 'mrkdwn' : 'plain', text: o.text, path });
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'string' && ['value', 'initial_value', 'private_metadata'].includes(k)) out.push({ kind: 'value', text: v, path: `${path}.${k}` });
      else if (k === 'text' && typeof v === 'string' && path === '$') out.push({ kind: 'mrkdwn', text: v, path: '$.text' });
      else if (k === 'errors' && v && typeof v === 'object') for (const [b, e] of Object.entries(v)) out.push({ kind: 'plain', text: String(e), path: `${path}.errors.${b}` });
      else textsOf(v, `${path}.${k}`, out);
    }
  }
  return out;
}

const MASS = /[@＠](everyone|here|channel)/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Asserts nothing in `payload` can ping, link elsewhere than `links`, quote or fence:
 * - mrkdwn: no `<` but Vigie's own links to `links`, no mass mention, no quote at a line's
 *   start, no code fence;
 * - plain text and values (shown or sent back verbatim): no mention markup, no mass mention;
 * - nowhere half an emoji.
 */
export function assertInert(payload: unknown, links: readonly string[] = [], where = ''): void {
  const texts = textsOf(payload);
  assert.ok(texts.length > 0, `${where}: no text found`);
  for (const t of texts) {
    const at = `${where} ${t.path}: ${JSON.stringify(t.text.slice(0, 200))}`;
    assert.doesNotMatch(t.text, MASS, at);
    assert.doesNotMatch(t.text, LONE_SURROGATE, at);
    if (t.kind === 'mrkdwn') {
      let rest = t.text;
      for (const url of links) rest = rest.split(`<${url.replace(/&/g, '&amp;')}|`).join('');
      assert.doesNotMatch(rest, /</, at);
      assert.doesNotMatch(t.text, /^[ \t]*(>|&gt;)/m, at);
      assert.doesNotMatch(t.text, /```/, at);
    } else {
      assert.doesNotMatch(t.text, /<[!@#]/, at);
    }
  }
}

/** Asserts the words of the injections are still shown (escaped, not dropped). */
export function assertShown(payload: unknown, where = ''): void {
  const all = textsOf(payload)
    .map((t) => t.text)
    .join('\n');
  for (const word of ['evil.example', 'ENT officiel', 'titre', 'cite', 'petit', 'code', 'subteam']) assert.ok(all.includes(word), `${where}: "${word}" is not shown`);
}
