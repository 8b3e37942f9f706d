/**
 * Times as people read them, on the schools' clock (Europe/Paris): "8 h 15" / "8:15 am",
 * with the date only when it is not the day of the question.
 */
import type { Language } from '../types.js';
import type { Templates } from './messages.js';

/** The zone every time is shown in. */
export const DISPLAY_TIMEZONE = 'Europe/Paris';

const MEMO_LIMIT = 20_000;

/** Phrases for instants, relative to the moment of the question. */
export interface TimeWords {
  /** "8 h 15" / "8:15 am". */
  time(lang: Language, iso: string): string;
  /** "à 8 h 15", or "le 16 mars à 8 h 15" when not on the day of `now`. */
  at(lang: Language, iso: string, now: Date): string;
  /** "Depuis 8 h 15." or "Depuis le 16 mars à 8 h 15." */
  since(lang: Language, iso: string, now: Date): string;
  /** The Paris calendar day of an instant, "2020-03-17": phrases change only when it does. */
  day(now: Date): string;
}

/** Builds the formatters once per language (Intl formatters are costly to create). */
export function createTimeWords(templates: Templates): TimeWords {
  const clock = new Map<Language, Intl.DateTimeFormat>();
  const day = new Map<Language, Intl.DateTimeFormat>();
  const dayWithYear = new Map<Language, Intl.DateTimeFormat>();
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: DISPLAY_TIMEZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  for (const lang of ['fr', 'en'] as const) {
    const locale = templates.t(lang, 'time.locale');
    const hourCycle = templates.t(lang, 'time.hour_cycle') === 'h12' ? 'h12' : 'h23';
    clock.set(lang, new Intl.DateTimeFormat(locale, { timeZone: DISPLAY_TIMEZONE, hour: 'numeric', minute: '2-digit', hourCycle }));
    day.set(lang, new Intl.DateTimeFormat(locale, { timeZone: DISPLAY_TIMEZONE, day: 'numeric', month: 'long' }));
    dayWithYear.set(lang, new Intl.DateTimeFormat(locale, { timeZone: DISPLAY_TIMEZONE, day: 'numeric', month: 'long', year: 'numeric' }));
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
  const dateOf = (lang: Language, iso: string, now: Date): string | null => {
    const when = new Date(iso);
    const a = dayOf(when.getTime());
    const b = dayOf(now.getTime());
    if (a === b) return null;
    const formatter = a.slice(0, 4) === b.slice(0, 4) ? day : dayWithYear;
    return (formatter.get(lang) as Intl.DateTimeFormat).format(when);
  };

  return {
    time,
    day: (now) => dayOf(now.getTime()),
    at(lang, iso, now) {
      const date = dateOf(lang, iso, now);
      const t = time(lang, iso);
      return date === null ? templates.t(lang, 'time.at_today', { time: t }) : templates.t(lang, 'time.at_other_day', { date, time: t });
    },
    since(lang, iso, now) {
      const date = dateOf(lang, iso, now);
      const t = time(lang, iso);
      return date === null ? templates.t(lang, 'since.today', { time: t }) : templates.t(lang, 'since.other_day', { date, time: t });
    },
  };
}
