/**
 * Writing XML by hand, safely: every text from users, admins or content goes through `xmlText`
 * (element content) or `xmlAttr` (attribute values). Both drop the characters XML 1.0 forbids
 * (control characters, lone surrogates, U+FFFE/U+FFFF), which no escape can carry and which
 * would make the whole document unreadable to a parser, then escape markup.
 */

// XML 1.0's Char production, negated: C0 controls except tab, LF and CR; lone surrogates; U+FFFE and U+FFFF.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TEXT_SPECIAL = /[&<>]/g;
const ATTR_SPECIAL = /[&<>"'\t\n\r]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** The text without the characters XML 1.0 cannot carry. */
export function xmlChars(text: string): string {
  return text.replace(FORBIDDEN, '');
}

/** Element content: & < > escaped (">" too, so "]]>" can never appear). */
export function xmlText(text: string): string {
  return xmlChars(text).replace(TEXT_SPECIAL, (c) => ENTITY[c] ?? c);
}

/** An attribute value (for either quote): & < > " ' escaped, and whitespace kept as character references. */
export function xmlAttr(text: string): string {
  return xmlChars(text).replace(ATTR_SPECIAL, (c) => ENTITY[c] ?? c);
}

/** `<name attrs>text</name>`, the text escaped; attributes escaped, undefined ones left out. */
export function element(name: string, text: string, attrs: Record<string, string | undefined> = {}): string {
  return `<${name}${attributes(attrs)}>${xmlText(text)}</${name}>`;
}

/** ` a="1" b="2"`, escaped, undefined values left out. */
export function attributes(attrs: Record<string, string | undefined>): string {
  let out = '';
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined) out += ` ${key}="${xmlAttr(value)}"`;
  return out;
}
