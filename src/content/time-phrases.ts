/**
 * Times as people read them, on the schools' clock (Europe/Paris), relative to the reader's
 * now: "à 8 h 15" today, "hier à 18 h 30", "demain à 8 h", "le 16 mars à 8 h 15", and the
 * year when it is not the reader's ("le 17 mars 2020 à 9 h").
 */
import type { Language, TimePrecision } from '../base/types.js';
import type { Templates } from './templates.js';
import { SCHOOL_TIMEZONE } from '../base/zoned-time.js';
import { oncePer } from '../base/once-per.js';

const MEMO_LIMIT = 20_000;

/**
 * Phrases for instants, relative to the moment of the question. With a precision, the phrase
 * says the span the source gave, never the instant's minutes: "ce matin", "hier soir",
 * "demain matin", "le 17 mars 2020 au matin", "vers 9 h", "aujourd'hui".
 */
export interface TimePhrases {
  /** "8 h 15" / "8:15 am". */
  time(lang: Language, iso: string): string;
  /** "à 8 h 15", "hier à 8 h 15", "demain à 8 h", "le 16 mars à 8 h 15", "le 16 mars 2020 à 8 h 15"; "ce matin". */
  at(lang: Language, iso: string, now: Date, precision?: TimePrecision): string;
  /** The same without the leading "à" for today: "8 h 15", "hier à 8 h 15", "le 16 mars à 8 h 15"; "ce matin". */
  when(lang: Language, iso: string, now: Date, precision?: TimePrecision): string;
  /** "Depuis 8 h 15.", "Depuis hier à 8 h 15." or "Depuis le 16 mars à 8 h 15."; "Depuis ce matin." */
  since(lang: Language, iso: string, now: Date, precision?: TimePrecision): string;
  /** A source's time in one short phrase: "9 h", "hier, 18 h 45", "17 mars 2020, 9 h"; "ce matin". */
  short(lang: Language, iso: string, now: Date, precision?: TimePrecision): string;
  /** The Paris calendar day of an instant, "2020-03-17": phrases change only when it does. */
  day(now: Date): string;
}

/**
 * The time phrases of `templates`, built once per templates object (Intl formatters are
 * costly to create: about 3 ms for the six of them), then shared by every answerer, notice,
 * feed and alert desk that speaks with those templates. They hold no state but memos of
 * what they formatted.
 */
export const createTimePhrases = oncePer(buildTimePhrases);

function buildTimePhrases(templates: Templates): TimePhrases {
  const clock = new Map<Language, Intl.DateTimeFormat>();
  const day = new Map<Language, Intl.DateTimeFormat>();
  const dayWithYear = new Map<Language, Intl.DateTimeFormat>();
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: SCHOOL_TIMEZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  for (const lang of ['fr', 'en'] as const) {
    const locale = templates.t(lang, 'time.locale');
    const hourCycle = templates.t(lang, 'time.hour_cycle') === 'h12' ? 'h12' : 'h23';
    clock.set(lang, new Intl.DateTimeFormat(locale, { timeZone: SCHOOL_TIMEZONE, hour: 'numeric', minute: '2-digit', hourCycle }));
    day.set(lang, new Intl.DateTimeFormat(locale, { timeZone: SCHOOL_TIMEZONE, day: 'numeric', month: 'long' }));
    dayWithYear.set(lang, new Intl.DateTimeFormat(locale, { timeZone: SCHOOL_TIMEZONE, day: 'numeric', month: 'long', year: 'numeric' }));
  }

  // Incidents share few distinct timestamps; memoizing avoids an Intl call per sentence.
  const timeMemo = new Map<string, string>();
  const dayMemo = new Map<number, string>();
  const memo = <K, V>(map: Map<K, V>, key: K, make: () => V): V => {
    let value = map.get(key);
    if (value === undefined) {
      if (map.size > MEMO_LIMIT) map.clear();
      value = make();
      map.set(key, value);
    }
    return value;
  };
  // The Paris day of an instant; keyed by the minute (no zone changes mid-minute).
  const dayOf = (ms: number): string => memo(dayMemo, Math.floor(ms / 60_000), () => ymd.format(new Date(ms)));

  const time = (lang: Language, iso: string): string => memo(timeMemo, `${lang}|${iso}`, () => formatTime(lang, iso));
  const formatTime = (lang: Language, iso: string): string => {
    let hour = '';
    let minute = '';
    let ampm = '';
    for (const part of (clock.get(lang) as Intl.DateTimeFormat).formatToParts(new Date(iso))) {
      if (part.type === 'hour') hour = String(Number(part.value));
      else if (part.type === 'minute') minute = part.value;
      else if (part.type === 'dayPeriod') ampm = part.value.toLowerCase();
    }
    return templates.t(lang, minute === '00' ? 'time.o_clock' : 'time.hm', { hour, minute, ampm }).trim();
  };
  const DAY_MS = 86_400_000;
  /** Days from `now`'s Paris day to the instant's: 0 today, -1 yesterday, 1 tomorrow. */
  const dayOffset = (a: string, b: string): number => Math.round((Date.parse(`${a}T12:00:00Z`) - Date.parse(`${b}T12:00:00Z`)) / DAY_MS);
  type Relative = { kind: 'today' | 'yesterday' | 'tomorrow' } | { kind: 'other_day'; date: string };
  const relative = (lang: Language, iso: string, now: Date): Relative => {
    const when = new Date(iso);
    const a = dayOf(when.getTime());
    const b = dayOf(now.getTime());
    const offset = dayOffset(a, b);
    if (offset === 0) return { kind: 'today' };
    if (offset === -1) return { kind: 'yesterday' };
    if (offset === 1) return { kind: 'tomorrow' };
    const formatter = a.slice(0, 4) === b.slice(0, 4) ? day : dayWithYear;
    return { kind: 'other_day', date: (formatter.get(lang) as Intl.DateTimeFormat).format(when) };
  };
  // A phrase depends on the instant and on the reader's Paris day only: made once per pair.
  const phraseMemo = new Map<string, string>();
  // An approximate time's phrase is keyed by its precision: "time.at.morning.today" ("ce matin").
  const phrase = (lang: Language, prefix: string, iso: string, now: Date, precision?: TimePrecision): string =>
    memo(phraseMemo, `${lang}|${prefix}|${precision ?? ''}|${iso}|${dayOf(now.getTime())}`, () => {
      const r = relative(lang, iso, now);
      const key = precision ? `${prefix}.${precision}.${r.kind}` : `${prefix}.${r.kind}`;
      return templates.t(lang, key, { time: time(lang, iso), ...(r.kind === 'other_day' ? { date: r.date } : {}) });
    });

  return {
    time,
    day: (now) => dayOf(now.getTime()),
    at: (lang, iso, now, precision) => phrase(lang, 'time.at', iso, now, precision),
    when: (lang, iso, now, precision) => phrase(lang, 'time.when', iso, now, precision),
    since: (lang, iso, now, precision) => phrase(lang, 'since', iso, now, precision),
    short: (lang, iso, now, precision) => phrase(lang, 'time.short', iso, now, precision),
  };
}
