/**
 * `npm run bench:signals`: the figures of issue 15, on the default store (a SQLite file, WAL),
 * through the real code: reports recorded by the ReportDesk (HMAC, masking, the rate limit and
 * the reply's count in memory, writes grouped in transactions with the store's own limit
 * check) into store.reports, a SignalsService pulling them from the store and stepping, and
 * bot.ask answering at the same time (Bot.useSignals: answers read the signals).
 *
 *   1. Sustained, each phase for --seconds (default 15) on a fresh store, one asker asking
 *      questions one after the other and the signals service stepping every second (its clock
 *      following the wall clock):
 *      - the asker alone (half the time);
 *      - the desk as it was before (one transaction per report for the limit's query and the
 *        insert, then the reply's SQL count of distinct reporters), 8 writers: the baseline the
 *        ratios compare with, in the same run;
 *      - the desk, 8 writers one report after the other;
 *      - the desk, reports arriving at 2,000/s whatever the replies (as chat events come),
 *        with the time each reply took;
 *      - the desk, 256 writers (what it sustains at most).
 *      Also the signal lookup an answer makes (SignalsService.view), timed on its own.
 *   2. The flood: 100,000 reports in 10 virtual minutes from 20,000 reporters, one of whom sends
 *      10,000, in 8 Occitanie départements, recorded through the whole desk (count included),
 *      64 at a time, the service stepping each virtual minute; heap after a full GC before and
 *      after, peak heap and RSS; what the detector and the desk count for Occitanie, how many
 *      alert groups opened (one alert each), and what the SQL count the desk used to make per
 *      report costs after it. The alert desk (src/signals/alerts.ts) follows each step into a
 *      counting sink: messages posted, edits, and its update's time per step.
 *
 * Prints a table; asserts nothing.
 *
 *   node scripts/bench.mjs bench/signals.ts [--seconds 15]
 */
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FixedClock } from '../src/base/clock.js';
import { silentLogger } from '../src/base/logger.js';
import { loadSignalsConfig } from '../src/content/signals-schema.js';
import { createRuntime, loadReferenceData, type Runtime } from '../src/runtime.js';
import { ReportDesk, REPORT_COUNT_WINDOW_MS, REPORT_RATE_LIMIT, REPORT_RATE_WINDOW_MS, maskReportText, reporterKey, type ReportInput } from '../src/signals/reports.js';
import { SignalsService } from '../src/signals/service.js';
import { AlertDesk } from '../src/signals/alerts.js';
import type { AlertSink } from '../src/signals/alert-types.js';
import { createAlertStore } from '../src/store/alerts.js';
import { createUnderstander } from '../src/understand/index.js';
import { makeQuestions } from './questions.js';
import { freshStore } from './store-seed.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const { values } = parseArgs({ options: { seconds: { type: 'string' } } });
const SECONDS = Number(values.seconds ?? 15);
const reference = loadReferenceData();
const { gazetteer, content } = reference;
const config = loadSignalsConfig(content.dir);
const services = content.services.map((s) => s.id);
const understander = createUnderstander({ gazetteer, services: content.services });
/** A Tuesday at 08:00 in Paris (the windows start on the quarter-hour). */
const T0 = new Date('2026-12-08T08:00:00+01:00');
const MIN = 60_000;

const rows: [string, string][] = [];
const row = (figure: string, measured: string) => {
  rows.push([figure, measured]);
  process.stdout.write(`  ${figure}: ${measured}\n`);
};
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : v >= 1 ? `${v.toFixed(2)} ms` : `${(v * 1000).toFixed(0)} µs`);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const n = (v: number) => Math.round(v).toLocaleString('en');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function withStore<T>(fn: (runtime: Runtime, clock: FixedClock, signals: SignalsService) => Promise<T>): Promise<T> {
  const fresh = await freshStore('sqlite');
  const clock = new FixedClock(T0);
  const runtime = await createRuntime({ storeUrl: fresh.url, clock, reference, reportSecret: 'bench-secret' });
  const signals = new SignalsService({ places: gazetteer, config, source: runtime.store.reports, clock, logger: silentLogger, services });
  // Stepped by hand (tick), not on a timer: the bench moves the clock.
  await signals.tick();
  runtime.bot.useSignals(signals);
  try {
    return await fn(runtime, clock, signals);
  } finally {
    await runtime.close();
    await fresh.cleanup();
  }
}

/** One asker asking one question after the other until `until()`; latencies sorted. */
async function ask(runtime: Runtime, questions: string[], until: () => boolean): Promise<number[]> {
  const conversation = { platform: 'slack', workspace: 'T1', channel: 'C-bench', user: 'U-bench' };
  const latencies: number[] = [];
  let i = 0;
  while (!until()) {
    const t = performance.now();
    await runtime.bot.ask({ conversation, text: questions[i++ % questions.length]! });
    latencies.push(performance.now() - t);
    // Yield to the writers between questions, as a platform's next event would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return latencies.sort((a, b) => a - b);
}

/** What the desk did before grouping and counting in memory: per report, the limit's query and the insert in one transaction, then the SQL count. */
function deskBefore(runtime: Runtime): (input: ReportInput) => Promise<{ stored: boolean; count: number }> {
  return async (input) => {
    const reporter = reporterKey('bench-secret', input.who);
    const place = input.place ? { kind: input.place.kind, code: input.place.code } : null;
    const stored = await runtime.store.reports.addUnlessLimited(
      { at: input.at, service: input.service, place, level: input.level, platform: input.who.platform, reporter, text: maskReportText(input.text) },
      REPORT_RATE_LIMIT,
      new Date(input.at.getTime() - REPORT_RATE_WINDOW_MS),
    );
    const count = await runtime.store.reports.reporters({ service: input.service, place }, new Date(input.at.getTime() - REPORT_COUNT_WINDOW_MS), input.at);
    return { stored, count: Math.max(count, 1) };
  };
}

interface Phase {
  recorded: number;
  stored: number;
  seconds: number;
  asks: number[];
  /** Each report's time from its arrival to its reply (paced phase). */
  replies: number[];
  steps: number[];
  failed: number;
}

/**
 * One phase on a fresh store: `writers` writers recording one report after the other (or, with
 * `perSecond`, reports arriving at that rate whatever the replies), the asker, and the stepper.
 */
async function phase(mode: 'before' | 'desk', options: { writers?: number; perSecond?: number }): Promise<Phase> {
  return withStore(async (runtime, clock, signals) => {
    const questions = makeQuestions(gazetteer, 2_000, rng(7));
    const desk = new ReportDesk(runtime.store.reports, { secret: 'bench-secret', logger: silentLogger, places: gazetteer });
    const record = mode === 'desk' ? (input: ReportInput) => desk.record(input) : deskBefore(runtime);
    const random = rng(11);
    const departements = gazetteer.departements.map((d) => d.code);
    const reportServices = ['ent', 'pronote', 'cned', 'educonnect'];
    // Warm-up: the JIT and the store's statements.
    const warm = performance.now();
    await ask(runtime, questions, () => performance.now() - warm > 1_000);

    const start = performance.now();
    const wallStart = clock.now().getTime();
    const elapsed = () => performance.now() - start;
    const done = () => elapsed() > SECONDS * 1000;
    const out: Phase = { recorded: 0, stored: 0, seconds: 0, asks: [], replies: [], steps: [], failed: 0 };
    let person = 0;
    const one = async (): Promise<void> => {
      const i = person++;
      try {
        const outcome = await record({
          at: clock.now(),
          who: { platform: i % 2 === 0 ? 'slack' : 'discord', workspace: `W${i % 50}`, user: `U${i}` },
          text: `l'ENT ne marche pas ici, écrivez-moi à parent${i}@example.fr`,
          service: reportServices[Math.floor(random() * reportServices.length)]!,
          place: { kind: 'departement', code: departements[Math.floor(random() * departements.length)]! },
          level: null,
        });
        out.recorded++;
        if (outcome.stored) out.stored++;
      } catch {
        out.failed++;
      }
    };
    let writers: Promise<void>[];
    if (options.perSecond) {
      const perSecond = options.perSecond;
      const inFlight = new Set<Promise<void>>();
      writers = [
        (async () => {
          let launched = 0;
          while (!done()) {
            // Every 5 ms, the reports due by now (late timers catch up).
            await new Promise((resolve) => setTimeout(resolve, 5));
            const due = Math.floor((elapsed() / 1000) * perSecond);
            for (; launched < due && !done(); launched++) {
              const t = performance.now();
              const p = one().then(() => {
                out.replies.push(performance.now() - t);
                inFlight.delete(p);
              });
              inFlight.add(p);
            }
          }
          await Promise.all(inFlight);
        })(),
      ];
    } else {
      writers = Array.from({ length: options.writers ?? 8 }, async () => {
        while (!done()) await one();
      });
    }
    const stepper = (async () => {
      while (!done()) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        clock.set(new Date(wallStart + elapsed()));
        const t = performance.now();
        await signals.tick();
        out.steps.push(performance.now() - t);
      }
    })();
    out.asks = await ask(runtime, questions, done);
    await Promise.all([...writers, stepper]);
    out.seconds = elapsed() / 1000;
    await desk.close();
    out.replies.sort((a, b) => a - b);
    out.steps.sort((a, b) => a - b);
    process.stderr.write(`  (${mode} ${options.perSecond ? `${options.perSecond}/s` : `${options.writers} writers`}: ${out.recorded} recorded in ${out.seconds.toFixed(1)} s)\n`);
    return out;
  });
}

async function sustained(): Promise<void> {
  const alone = await withStore(async (runtime) => {
    const questions = makeQuestions(gazetteer, 2_000, rng(7));
    const warm = performance.now();
    await ask(runtime, questions, () => performance.now() - warm > 1_000);
    const start = performance.now();
    return ask(runtime, questions, () => performance.now() - start > (SECONDS * 1000) / 2);
  });
  const before = await phase('before', { writers: 8 });
  const eight = await phase('desk', { writers: 8 });
  const paced = await phase('desk', { perSecond: 2_000 });
  const most = await phase('desk', { writers: 256 });

  // The lookup an answer makes, after a phase's reports (episodes open).
  const { views, open } = await withStore(async (runtime, clock, signals) => {
    const desk = new ReportDesk(runtime.store.reports, { secret: 'bench-secret', logger: silentLogger, places: gazetteer });
    const random = rng(5);
    await Promise.all(
      Array.from({ length: 2_000 }, (_, i) =>
        desk.record({ at: clock.now(), who: { platform: 'slack', workspace: 'W', user: `V${i}` }, text: 'ENT HS', service: 'ent', place: { kind: 'departement', code: ['34', '30', '59', '75'][Math.floor(random() * 4)]! }, level: null }),
      ),
    );
    await desk.close();
    clock.set(new Date(clock.now().getTime() + MIN));
    await signals.tick();
    const queries = makeQuestions(gazetteer, 2_000, rng(7)).map((q) => understander.understand(q));
    const views: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const q of queries) {
        const t = performance.now();
        signals.view(q.service, q.place ? { kind: q.place.kind, code: q.place.code } : null, clock.now());
        views.push(performance.now() - t);
      }
    }
    return { views: views.sort((a, b) => a - b), open: signals.snapshot(clock.now()).episodes.length };
  });

  const rate = (p: Phase) => p.recorded / p.seconds;
  const line = (p: Phase) => `${n(p.recorded)} in ${p.seconds.toFixed(1)} s = ${n(rate(p))} reports/s (${n(p.stored)} stored${p.failed ? `, ${n(p.failed)} failed` : ''})`;
  const askLine = (p: Phase) => `${n(p.asks.length)} questions, p50 ${ms(pct(p.asks, 50))}, p99 ${ms(pct(p.asks, 99))}, max ${ms(p.asks.at(-1)!)}`;
  row('bot.ask alone (1 asker)', `${n(alone.length)} questions, p50 ${ms(pct(alone, 50))}, p99 ${ms(pct(alone, 99))}`);
  row('before: one transaction + SQL count per report, 8 writers', line(before));
  row('before: bot.ask meanwhile', askLine(before));
  row('desk, 8 writers', `${line(eight)}; ${(rate(eight) / rate(before)).toFixed(1)}× before`);
  row('desk, 8 writers: bot.ask meanwhile', `${askLine(eight)}; p99 ${(pct(eight.asks, 99) / pct(before.asks, 99)).toFixed(1)}× before's (at ${(rate(eight) / rate(before)).toFixed(1)}× its reports/s)`);
  row('desk, reports arriving at 2,000/s', `${line(paced)}; reply p50 ${ms(pct(paced.replies, 50))}, p99 ${ms(pct(paced.replies, 99))}`);
  row('desk, 2,000/s: bot.ask meanwhile', `${askLine(paced)} (goal p99 ≤ 1 ms)`);
  row('desk, 256 writers (the most it sustains)', `${line(most)}; ${(rate(most) / rate(before)).toFixed(1)}× before (goal ≥ 2,000/s)`);
  row('desk, 256 writers: bot.ask meanwhile', askLine(most));
  const steps = [...before.steps, ...eight.steps, ...paced.steps, ...most.steps].sort((a, b) => a - b);
  row('signals step (pull from the store + step), each second', `${steps.length} steps, p50 ${ms(pct(steps, 50))}, max ${ms(steps.at(-1) ?? NaN)}`);
  row(`signal lookup an answer makes (view), ${n(views.length)} questions`, `p50 ${ms(pct(views, 50))}, p99 ${ms(pct(views, 99))} (${open} episodes open)`);
}

async function flood(): Promise<void> {
  await withStore(async (runtime, clock, signals) => {
    const departements = ['34', '30', '31', '11', '66', '48', '09', '12'];
    const desk = new ReportDesk(runtime.store.reports, { secret: 'bench-secret', logger: silentLogger, places: gazetteer });
    gc();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let stored = 0;
    let groupsOpened = 0;
    let episodesOpened = 0;
    // The alert desk after each step, into a sink that counts what a channel would get.
    const sink = { platform: 'bench', posts: 0, edits: 0 };
    const counting: AlertSink = {
      platform: 'bench',
      post: async () => ({ messageId: `m${++sink.posts}` }),
      edit: async () => void sink.edits++,
    };
    const alertStore = createAlertStore(runtime.store.db, silentLogger);
    const alerts = new AlertDesk({ sinks: [counting], store: alertStore, samples: alertStore, templates: runtime.bot.templates, clock, logger: silentLogger });
    const alertTimes: number[] = [];
    const start = performance.now();
    const TOTAL = 100_000;
    const PER_MINUTE = TOTAL / 10;
    for (let minute = 0; minute < 10; minute++) {
      const batch: Promise<void>[] = [];
      let next = minute * PER_MINUTE;
      const end = next + PER_MINUTE;
      for (let w = 0; w < 64; w++) {
        batch.push(
          (async () => {
            while (next < end) {
              const i = next++;
              const loud = i % 10 === 0;
              const user = loud ? 'loud' : `r${i % 19_999}`;
              const outcome = await desk.record({
                at: new Date(T0.getTime() + Math.floor((i * 10 * MIN) / TOTAL)),
                who: { platform: 'discord', workspace: 'G1', user },
                text: "l'ENT ne répond plus, appelez le 06 12 34 56 78",
                service: 'ent',
                place: { kind: 'departement', code: departements[(loud ? 0 : i % 19_999) % departements.length]! },
                level: null,
              });
              if (outcome.stored) stored++;
            }
          })(),
        );
      }
      await Promise.all(batch);
      clock.set(new Date(T0.getTime() + (minute + 1) * MIN));
      const step = await signals.tick();
      const alertStart = performance.now();
      await alerts.update(step);
      alertTimes.push(performance.now() - alertStart);
      episodesOpened += step.episodeEvents.filter((e) => e.type === 'opened').length;
      groupsOpened += step.groupEvents.filter((e) => e.type === 'opened').length;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      process.stderr.write(`  (flood: virtual minute ${minute + 1}/10 recorded, ${((performance.now() - start) / 1000).toFixed(1)} s)\n`);
    }
    const seconds = (performance.now() - start) / 1000;
    const held = desk.size();
    const deskCount = (await desk.record({ at: clock.now(), who: { platform: 'discord', workspace: 'G1', user: 'r1' }, text: 'ENT', service: 'ent', place: { kind: 'region', code: '76' }, level: null })).count;
    await desk.close();
    const snapshot = signals.snapshot(clock.now());
    const occitanie = signals.view('ent', { kind: 'region', code: '76' }, clock.now());
    const episode = snapshot.episodes.find((e) => e.service === 'ent');
    const voices = await runtime.store.reports.reporters({ service: 'ent', place: { kind: 'region', code: '76' } }, new Date(T0.getTime() - 1), clock.now());
    // The SQL count the desk used to make for each report (distinct people, 30 minutes, the place).
    const countTimes: Record<string, number[]> = { region: [], departement: [] };
    for (let k = 0; k < 20; k++) {
      for (const [kind, code] of [['region', '76'], ['departement', '34']] as const) {
        const t = performance.now();
        await runtime.store.reports.reporters({ service: 'ent', place: { kind, code } }, new Date(clock.now().getTime() - 30 * MIN), clock.now());
        countTimes[kind]!.push(performance.now() - t);
      }
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    gc();
    const after = process.memoryUsage();
    row('flood: 100,000 reports, 10 virtual minutes, 20,000 reporters (one sends 10,000), through the whole desk', `recorded in ${seconds.toFixed(1)} s (${n(TOTAL / seconds)}/s, 64 at a time), ${n(stored)} stored (the loud one: 10, the rate limit), no crash`);
    row('flood: what is counted (Occitanie, ENT)', `the desk's reply to one more report naming Occitanie: ${n(deskCount)}; the detector: ${n(episode?.reporters ?? 0)} in the episode "${episode?.place.name ?? '-'}" (${episode?.strength ?? '-'}); view: ${n(occitanie?.episode?.reporters ?? 0)}; the store's SQL count: ${n(voices)}`);
    row('flood: the desk holds in memory', `${n(held.keys)} keys, ${n(held.voices)} voices, ${n(held.reporters)} reporters in the rate window`);
    row("flood: the SQL count the desk used to make per report, after it", `Occitanie ${ms(median(countTimes.region!))}, Hérault ${ms(median(countTimes.departement!))} (median of 20)`);
    row('flood: episodes and alert groups opened', `${episodesOpened} episode(s), ${groupsOpened} alert group(s) (one alert message each)`);
    row('flood: the alert channel (alert desk after each step)', `${n(sink.posts)} message(s) posted, ${n(sink.edits)} edit(s) in the 10 minutes (at most one a minute); desk update per step median ${ms(median(alertTimes))}, max ${ms(Math.max(...alertTimes))}`);
    row('flood: heap after a full GC, before → after', `${mb(before.heapUsed)} → ${mb(after.heapUsed)} (peak sampled ${mb(peakHeap)}; RSS ${mb(before.rss)} → ${mb(after.rss)}, max RSS ${mb(process.resourceUsage().maxRSS * 1024)})`);
  });
}

const load = loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`Vigie bench — signals (#15), node ${process.version}, ${cpus().length} cores, load average ${load}, ${new Date().toISOString()}`);
await sustained();
await flood();
console.log(`load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const width = Math.max(...rows.map(([k]) => k.length));
console.log('\n| figure | measured |\n|---|---|');
for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
