/**
 * Plain-text rendering of a Reply, for the console and the CLI: headline, one
 * "Title: text" block per section, the source line, then the actions as hints.
 */
import type { Reply, TimePrecision } from '../base/types.js';
import { firstMessage, firstMessageLines } from './brief.js';
import { SCHOOL_TIMEZONE } from '../base/zoned-time.js';

const clock = new Map<string, Intl.DateTimeFormat>();
// Every answer shows a time, and the same few come back (the latest update's, this minute's):
// formatting with Intl costs more than the lookup.
const formatted = new Map<string, string>();
const FORMATTED_MAX = 1_000;

/**
 * "17 mars, 09:00" / "17 Mar, 09:00" on the Paris clock: the time of a source or an answer;
 * with the year ("17 mars 2020, 09:00") when it is not the year of `now` (the reader's).
 */
export function formatShortTime(iso: string, language: string, now?: string | Date): string {
  const withYear = now !== undefined && parisYear(iso) !== parisYear(now);
  const key = `${language}|${iso}|${withYear}`;
  const known = formatted.get(key);
  if (known !== undefined) return known;
  const text = formatUncached(iso, language, withYear);
  if (formatted.size >= FORMATTED_MAX) formatted.clear();
  formatted.set(key, text);
  return text;
}

function formatUncached(iso: string, language: string, withYear: boolean): string {
  const key = `${language}|${withYear}`;
  let f = clock.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', {
      timeZone: SCHOOL_TIMEZONE,
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clock.set(key, f);
  }
  return f.format(new Date(iso));
}

const days = new Map<string, Intl.DateTimeFormat>();
const SPAN_WORD: Record<string, Record<'morning' | 'evening', string>> = {
  fr: { morning: 'matin', evening: 'soir' },
  en: { morning: 'morning', evening: 'evening' },
};

/**
 * A time its source gave as a span, in the style of formatShortTime: "17 mars, matin",
 * "17 mars 2020, soir", "17 mars" (the day), "17 mars, vers 09:00"; never the minutes of a
 * point the source did not give. Without a precision, formatShortTime.
 */
export function formatApproxTime(iso: string, language: string, now: string | Date | undefined, precision: TimePrecision | undefined): string {
  if (precision === undefined) return formatShortTime(iso, language, now);
  if (precision === 'about') return formatShortTime(iso, language, now).replace(/(\d\d:\d\d)$/, language === 'en' ? 'about $1' : 'vers $1');
  const withYear = now !== undefined && parisYear(iso) !== parisYear(now);
  const key = `${language}|${withYear}`;
  let f = days.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', { timeZone: SCHOOL_TIMEZONE, day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}) });
    days.set(key, f);
  }
  const day = f.format(new Date(iso));
  return precision === 'day' ? day : `${day}, ${(SPAN_WORD[language] ?? SPAN_WORD.fr!)[precision]}`;
}

const yearOf = new Intl.DateTimeFormat('en-CA', { timeZone: SCHOOL_TIMEZONE, year: 'numeric' });
// Paris is a whole number of hours from UTC, so its year changes on a UTC hour: one Intl call per hour.
const yearsByHour = new Map<number, string>();
/** The Paris year of an instant (1 January 00:30 Paris is still the new year). */
function parisYear(at: string | Date): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  const hour = Math.floor(date.getTime() / 3_600_000);
  let year = yearsByHour.get(hour);
  if (year === undefined) {
    year = yearOf.format(date);
    if (yearsByHour.size >= 1_000) yearsByHour.clear();
    yearsByHour.set(hour, year);
  }
  return year;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** "mardi 17 mars 2020 à 10:00" / "Tuesday 17 March 2020 at 10:00": an instant in full, on the Paris clock. */
export function formatParisClock(at: Date, language: string): string {
  let f = clocks.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', {
      timeZone: SCHOOL_TIMEZONE,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(language, f);
  }
  return f.format(at);
}

/** The reply as plain text lines (no markup), ready to print. */
export function renderText(reply: Reply): string {
  const lines: string[] = [];
  if (reply.demo) lines.push(`[${reply.demo.label}]`);
  lines.push(reply.headline);
  for (const section of reply.sections) {
    const [first = '', ...rest] = section.text.split('\n');
    const colon = colonOf(reply);
    // A line that names itself ("Non confirmé : …" under "Non confirmé") is not titled twice.
    if (rest.length === 0) lines.push(section.title && first.startsWith(section.title) ? first : `${section.title}${colon}${first}`);
    else lines.push(`${section.title}${colon.trimEnd()}`, ...[first, ...rest].map((l) => `  ${l}`));
  }
  if (reply.source) {
    const url = reply.source.url ? ` <${reply.source.url}>` : '';
    lines.push(`📣 ${reply.source.name}${url} · ${reply.source.when ?? formatShortTime(reply.source.at, reply.language, reply.time)}`);
  }
  const quote = (text: string) => (reply.language === 'en' ? `“${text}”` : `« ${text} »`);
  for (const action of reply.actions) {
    // Suggestions are questions to send as is; the subscribe value is for the facade, not people.
    // Choices are the numbered lines of their section: the person types the number.
    // The details are what is shown here already.
    if (action.id === 'choose' || action.id === 'more') continue;
    if (action.id === 'other') lines.push(`↪ ${action.label}`);
    else if (action.id === 'suggestion') lines.push(`→ ${quote(action.value)}`);
    else if (action.id === 'report' && action.value) lines.push(`→ ${action.label}${colonOf(reply)}${quote(action.value)}`);
    else lines.push(`→ ${action.label}`);
  }
  return lines.join('\n');
}

function colonOf(reply: Reply): string {
  return reply.language === 'fr' ? ' : ' : ': ';
}

/**
 * The first message of an answer as plain text: at most 5 lines and 500 characters (the demo
 * label once per conversation, the status line, the asked fact, the source and time, and
 * `hint` when there are details); a reply without a brief (a listing, a notice) is shown whole.
 */
export function renderFirstMessage(reply: Reply, options: { hint?: string; otherHint?: string } = {}): string {
  const message = firstMessage(reply, { ...options, suggestions: true });
  return message ? firstMessageLines(message).join('\n') : renderText(reply);
}

/** The reply on one line (for `--batch`, one answer per line): the lines of its first message (or, `full`, of renderText) joined by " · ". */
export function renderLine(reply: Reply, full = false): string {
  return (full ? renderText(reply) : renderFirstMessage(reply))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(' · ');
}
