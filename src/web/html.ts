/**
 * HTML built one way only: the `html` tag escapes every value it is given (text from
 * incidents, content, places, the search box), unless the value is itself `html` (already
 * built, hence already escaped). `escapeHtml` is the one escaping function.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/g;

/** The text with &, <, >, " and ' escaped: safe in element content and in quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(SPECIAL, (c) => ESCAPES[c]!);
}

/** Markup already built (and escaped). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What may stand in an `html` slot: text (escaped), markup, numbers, lists of those; null/undefined/false render nothing. */
export type Slot = string | number | Html | null | undefined | false | readonly Slot[];

function render(value: Slot): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: literal parts are markup, every value is escaped (markup values are kept). */
export function html(strings: TemplateStringsArray, ...values: Slot[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup from a trusted constant (never from data). */
export function trusted(markup: string): Html {
  return new Html(markup);
}
