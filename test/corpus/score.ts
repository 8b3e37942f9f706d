/**
 * Scores an understander on the labelled corpus: accuracy per field and every miss. Shared
 * by `npm run eval` (scripts/eval.ts) and test/understand/corpus.test.ts, so both fail below
 * the same thresholds.
 */
import type { Understander } from '../../src/understand/index.js';
import type { Intent, Query } from '../../src/base/types.js';
import type { Corpus, CorpusItem } from './load.js';

/** The fields scored. */
export const FIELDS = ['service', 'place', 'level', 'intent', 'language'] as const;
export type Field = (typeof FIELDS)[number];

/** Minimum accuracy per field (issue 3). */
export const THRESHOLDS: Record<Field, number> = {
  service: 0.97,
  place: 0.97,
  level: 0.97,
  intent: 0.95,
  language: 0.99,
};

/** One wrong field of one question. */
export interface Miss {
  q: string;
  where: string;
  /** The first question, for a follow-up. */
  after?: string;
  field: Field;
  expected: string;
  got: string;
}

/** The result of a run. */
export interface Score {
  total: number;
  correct: Record<Field, number>;
  accuracy: Record<Field, number>;
  misses: Miss[];
  /** Fields under their threshold. */
  failing: Field[];
}

const placeText = (p: { kind: string; code: string } | null) => (p ? `${p.kind}:${p.code}` : 'none');

function check(item: CorpusItem, got: Query, after?: string): Miss[] {
  const expected: Record<Field, [boolean, string, string]> = {
    service: [got.service === item.service, String(item.service), String(got.service)],
    place: [
      item.places.length === 0
        ? got.place === null
        : got.place !== null && item.places.some((p) => p.kind === got.place!.kind && p.code === got.place!.code),
      item.places.length === 0 ? 'none' : item.places.map(placeText).join(' | '),
      got.place ? `${placeText(got.place)} (${got.place.name})` : 'none',
    ],
    level: [got.level === item.level, String(item.level), String(got.level)],
    intent: [item.intents.includes(got.intent), item.intents.join(' | '), got.intent],
    language: [got.language === item.lang, item.lang, got.language],
  };
  const misses: Miss[] = [];
  for (const field of FIELDS) {
    const [ok, exp, g] = expected[field];
    if (!ok) misses.push({ q: item.q, where: item.where, ...(after !== undefined ? { after } : {}), field, expected: exp, got: g });
  }
  return misses;
}

/**
 * Reads every question. A follow-up is read with the understander's own reading of the
 * first question as `previous`, as the bot does in a conversation.
 */
export function scoreCorpus(understander: Understander, corpus: Corpus, thresholds: Record<Field, number> = THRESHOLDS): Score {
  const misses: Miss[] = [];
  let total = 0;
  const read = (item: CorpusItem, previous: Query | null) =>
    understander.understand(item.q, { previous, ...(item.locale !== undefined ? { locale: item.locale } : {}) });
  for (const item of corpus.questions) {
    total++;
    misses.push(...check(item, read(item, null)));
  }
  for (const { first, then } of corpus.followUps) {
    total += 2;
    const previous = read(first, null);
    misses.push(...check(first, previous));
    misses.push(...check(then, read(then, previous), first.q));
  }
  const correct = {} as Record<Field, number>;
  const accuracy = {} as Record<Field, number>;
  for (const field of FIELDS) {
    correct[field] = total - misses.filter((m) => m.field === field).length;
    accuracy[field] = total === 0 ? 0 : correct[field] / total;
  }
  const failing = FIELDS.filter((f) => accuracy[f] < thresholds[f]);
  return { total, correct, accuracy, misses, failing };
}

/** Corpus composition, for the report. */
export function describeCorpus(corpus: Corpus): { items: number; fr: number; en: number; traps: number; followUps: number } {
  const all = [...corpus.questions, ...corpus.followUps.flatMap((p) => [p.first, p.then])];
  return {
    items: all.length,
    fr: all.filter((i) => i.lang === 'fr').length,
    en: all.filter((i) => i.lang === 'en').length,
    traps: all.filter((i) => i.tags.includes('trap')).length,
    followUps: corpus.followUps.length,
  };
}

/** The bars on the held-out test split (issue #14). */
export const SPLIT_BARS = {
  fields: { service: 0.98, place: 0.98, level: 0.99, intent: 0.95, language: 0.995 } as Record<Field, number>,
  /** Every intent's recall. */
  recall: 0.9,
  /** Precision of `report`: what the crowd signals will count. */
  reportPrecision: 0.9,
};

/** Per-intent precision and recall, and the confusion matrix (expected → read → count). */
export interface IntentReport {
  total: number;
  correct: number;
  perIntent: { intent: string; support: number; predicted: number; precision: number; recall: number }[];
  confusion: Map<string, Map<string, number>>;
}

/**
 * Reads each question alone and compares intents. A question labelled with several
 * acceptable intents counts as its reading when the reading is one of them, else as its first.
 */
export function intentReport(understander: Understander, items: readonly CorpusItem[]): IntentReport {
  return intentReportOf(items, (item) => understander.understand(item.q, item.locale !== undefined ? { locale: item.locale } : {}).intent);
}

/** The same report for any reader of intents (scripts/compare-intent.ts compares several). */
export function intentReportOf(items: readonly CorpusItem[], readIntent: (item: CorpusItem) => string): IntentReport {
  const confusion = new Map<string, Map<string, number>>();
  let correct = 0;
  for (const item of items) {
    const got = readIntent(item) as Intent;
    const expected = item.intents.includes(got) ? got : item.intents[0]!;
    if (expected === got) correct++;
    const row = confusion.get(expected) ?? new Map<string, number>();
    row.set(got, (row.get(got) ?? 0) + 1);
    confusion.set(expected, row);
  }
  const intents = [...new Set([...confusion.keys(), ...[...confusion.values()].flatMap((r) => [...r.keys()])])];
  const perIntent = intents.map((intent) => {
    const support = [...(confusion.get(intent)?.values() ?? [])].reduce((a, b) => a + b, 0);
    const predicted = [...confusion.values()].reduce((a, r) => a + (r.get(intent) ?? 0), 0);
    const hits = confusion.get(intent)?.get(intent) ?? 0;
    return { intent, support, predicted, precision: predicted === 0 ? 1 : hits / predicted, recall: support === 0 ? 1 : hits / support };
  });
  return { total: items.length, correct, perIntent, confusion };
}

/** What misses the per-intent bars (every recall, report precision), as sentences; empty when they hold. */
export function intentBarFailures(report: IntentReport): string[] {
  const failures: string[] = [];
  for (const r of report.perIntent) {
    if (r.recall < SPLIT_BARS.recall) failures.push(`recall of ${r.intent} ${(r.recall * 100).toFixed(1)}% < ${SPLIT_BARS.recall * 100}%`);
  }
  const reports = report.perIntent.find((r) => r.intent === 'report');
  if (reports && reports.precision < SPLIT_BARS.reportPrecision) failures.push(`report precision ${(reports.precision * 100).toFixed(1)}% < ${SPLIT_BARS.reportPrecision * 100}%`);
  return failures;
}

/** The report as text lines: per intent, then the confusion matrix. */
export function describeIntents(report: IntentReport, order: readonly string[]): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
  const lines = [`  intent ${pct(report.correct / Math.max(1, report.total))} (${report.correct}/${report.total})`];
  lines.push(`  ${'intent'.padEnd(12)} ${'support'.padStart(7)} ${'precision'.padStart(9)} ${'recall'.padStart(7)}`);
  for (const intent of order) {
    const r = report.perIntent.find((p) => p.intent === intent);
    if (!r) continue;
    lines.push(`  ${intent.padEnd(12)} ${String(r.support).padStart(7)} ${pct(r.precision).padStart(9)} ${pct(r.recall).padStart(7)}`);
  }
  const shown = order.filter((i) => report.perIntent.some((p) => p.intent === i));
  lines.push(`  confusion (rows: labelled, columns: read)`);
  lines.push(`  ${''.padEnd(12)}${shown.map((i) => i.slice(0, 6).padStart(7)).join('')}`);
  for (const expected of shown) {
    const row = report.confusion.get(expected);
    lines.push(`  ${expected.padEnd(12)}${shown.map((i) => String(row?.get(i) ?? '·').padStart(7)).join('')}`);
  }
  return lines;
}
