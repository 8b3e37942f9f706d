/**
 * `npm run bench:signals`: the figures of issue 15, on the default store (a SQLite file, WAL),
 * through the real code: reports recorded by the ReportDesk (HMAC, masking, the rate limit's
 * query and insert in one transaction, the reply's count) into store.reports, a SignalsService
 * pulling them from the store and stepping, and bot.ask answering at the same time.
 *
 *   1. Sustained: reports recorded as fast as 8 concurrent writers go for --seconds (default 20),
 *      while one asker asks questions one after the other and the signals service steps every
 *      second (its clock following the wall clock); the asker's latencies compared with the
 *      same asker alone just before; answers read the signals (Bot.useSignals). Also the signal
 *      lookup an answer makes (SignalsService.view) for each question's service and place,
 *      timed on its own.
 *   2. The flood: 100,000 reports in 10 virtual minutes from 20,000 reporters, one of whom sends
 *      10,000, in 8 Occitanie départements, recorded through the desk, the service stepping each
 *      virtual minute; heap after a full GC before and after, peak heap and RSS; what the
 *      detector counts for Occitanie, and how many alert groups opened (one alert each). The
 *      flood goes through the desk's write (key, masking, the rate limit's query and insert)
 *      but not its reply count: that count (distinct people in the place over 30 minutes, one
 *      SQL query per report) grows with the people in the place, so a flood through the whole
 *      desk takes minutes; the count's own time after the flood is printed instead.
 *
 * Prints a table; asserts nothing.
 *
 *   node scripts/bench.mjs bench/signals.ts [--seconds 20]
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
import { ReportDesk, REPORT_RATE_LIMIT, REPORT_RATE_WINDOW_MS, maskReportText, reporterKey } from '../src/signals/reports.js';
import { SignalsService } from '../src/signals/service.js';
import { createUnderstander } from '../src/understand/index.js';
import { makeQuestions } from './questions.js';
import { freshStore } from './store-seed.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const { values } = parseArgs({ options: { seconds: { type: 'string' } } });
const SECONDS = Number(values.seconds ?? 20);
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

async function sustained(): Promise<void> {
  await withStore(async (runtime, clock, signals) => {
    const questions = makeQuestions(gazetteer, 2_000, rng(7));
    const queries = questions.map((q) => understander.understand(q));
    const desk = new ReportDesk(runtime.store.reports, { secret: 'bench-secret', logger: silentLogger });
    const random = rng(11);
    const departements = gazetteer.departements.map((d) => d.code);
    const reportServices = ['ent', 'pronote', 'cned', 'educonnect'];

    // Warm-up: the JIT and the store's statements.
    const warm = performance.now();
    await ask(runtime, questions, () => performance.now() - warm > 2_000);

    // The asker alone.
    const aloneStart = performance.now();
    const alone = await ask(runtime, questions, () => performance.now() - aloneStart > (SECONDS * 1000) / 2);

    // Writers, the asker and the stepper together.
    const start = performance.now();
    const wallStart = clock.now().getTime();
    const elapsed = () => performance.now() - start;
    const done = () => elapsed() > SECONDS * 1000;
    let recorded = 0;
    let stored = 0;
    let person = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (!done()) {
        const i = person++;
        const outcome = await desk.record({
          at: clock.now(),
          who: { platform: i % 2 === 0 ? 'slack' : 'discord', workspace: `W${i % 50}`, user: `U${i}` },
          text: `l'ENT ne marche pas ici, écrivez-moi à parent${i}@example.fr`,
          service: reportServices[Math.floor(random() * reportServices.length)]!,
          place: { kind: 'departement', code: departements[Math.floor(random() * departements.length)]! },
          level: null,
        });
        recorded++;
        if (outcome.stored) stored++;
      }
    });
    const steps: number[] = [];
    const stepper = (async () => {
      while (!done()) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        clock.set(new Date(wallStart + elapsed()));
        const t = performance.now();
        await signals.tick();
        steps.push(performance.now() - t);
      }
    })();
    const together = await ask(runtime, questions, done);
    await Promise.all([...writers, stepper]);
    const seconds = elapsed() / 1000;
    process.stderr.write(`  (sustained: ${recorded} recorded)\n`);
    clock.set(new Date(wallStart + elapsed()));
    await signals.tick();

    const views: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const q of queries) {
        const t = performance.now();
        signals.view(q.service, q.place ? { kind: q.place.kind, code: q.place.code } : null, clock.now());
        views.push(performance.now() - t);
      }
    }
    views.sort((a, b) => a - b);
    steps.sort((a, b) => a - b);
    const open = signals.snapshot(clock.now()).episodes.length;

    row('reports recorded (8 writers, SQLite file)', `${n(recorded)} in ${seconds.toFixed(1)} s = ${n(recorded / seconds)} reports/s (${n(stored)} stored; goal ≥ 2,000/s)`);
    row('bot.ask alone (1 asker)', `${n(alone.length)} questions, p50 ${ms(pct(alone, 50))}, p99 ${ms(pct(alone, 99))}`);
    row('bot.ask while recording (1 asker)', `${n(together.length)} questions, p50 ${ms(pct(together, 50))}, p99 ${ms(pct(together, 99))}, max ${ms(together.at(-1)!)}`);
    row('signals step (pull from the store + step), each second', `${steps.length} steps, p50 ${ms(pct(steps, 50))}, max ${ms(steps.at(-1) ?? NaN)}; ${open} episodes open at the end`);
    row(`signal lookup an answer makes (view), ${n(views.length)} questions`, `p50 ${ms(pct(views, 50))}, p99 ${ms(pct(views, 99))}`);
  });
}

async function flood(): Promise<void> {
  await withStore(async (runtime, clock, signals) => {
    const departements = ['34', '30', '31', '11', '66', '48', '09', '12'];
    gc();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let stored = 0;
    let groupsOpened = 0;
    let episodesOpened = 0;
    const start = performance.now();
    const TOTAL = 100_000;
    const PER_MINUTE = TOTAL / 10;
    for (let minute = 0; minute < 10; minute++) {
      const batch: Promise<void>[] = [];
      // 8 at a time, as the writers of the sustained run.
      let next = minute * PER_MINUTE;
      const end = next + PER_MINUTE;
      for (let w = 0; w < 8; w++) {
        batch.push(
          (async () => {
            while (next < end) {
              const i = next++;
              const loud = i % 10 === 0;
              const user = loud ? 'loud' : `r${i % 19_999}`;
              // The desk's write (key, masking, the rate limit's query and insert in one
              // transaction), without its reply count: see the module comment.
              const at = new Date(T0.getTime() + Math.floor((i * 10 * MIN) / TOTAL));
              const ok = await runtime.store.reports.addUnlessLimited(
                {
                  at,
                  service: 'ent',
                  place: { kind: 'departement', code: departements[(loud ? 0 : i % 19_999) % departements.length]! },
                  level: null,
                  platform: 'discord',
                  reporter: reporterKey('bench-secret', { platform: 'discord', workspace: 'G1', user }),
                  text: maskReportText("l'ENT ne répond plus, appelez le 06 12 34 56 78"),
                },
                REPORT_RATE_LIMIT,
                new Date(at.getTime() - REPORT_RATE_WINDOW_MS),
              );
              if (ok) stored++;
            }
          })(),
        );
      }
      await Promise.all(batch);
      clock.set(new Date(T0.getTime() + (minute + 1) * MIN));
      const step = await signals.tick();
      episodesOpened += step.episodeEvents.filter((e) => e.type === 'opened').length;
      groupsOpened += step.groupEvents.filter((e) => e.type === 'opened').length;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      process.stderr.write(`  (flood: virtual minute ${minute + 1}/10 recorded, ${((performance.now() - start) / 1000).toFixed(1)} s)\n`);
    }
    const seconds = (performance.now() - start) / 1000;
    const snapshot = signals.snapshot(clock.now());
    const occitanie = signals.view('ent', { kind: 'region', code: '76' }, clock.now());
    const episode = snapshot.episodes.find((e) => e.service === 'ent');
    const voices = await runtime.store.reports.reporters({ service: 'ent', place: { kind: 'region', code: '76' } }, new Date(T0.getTime() - 1), clock.now());
    // The count the desk's reply makes for each report (distinct people, 30 minutes, the place):
    // timed here, after the flood, for Occitanie and for one département.
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
    row('flood: 100,000 reports, 10 virtual minutes, 20,000 reporters (one sends 10,000)', `written in ${seconds.toFixed(1)} s (${n(TOTAL / seconds)}/s, the desk's write without its reply count), ${n(stored)} stored (the loud one: 10, the rate limit), no crash`);
    row('flood: the detector counts (Occitanie, ENT)', `${n(episode?.reporters ?? 0)} reporters in the episode "${episode?.place.name ?? '-'}" (${episode?.strength ?? '-'}); view(ENT, Occitanie): ${n(occitanie?.episode?.reporters ?? 0)} in "${occitanie?.episode?.place.name ?? "-"}"; the store's count: ${n(voices)}`);
    row("flood: the reply's count query after it (store.reports.reporters, 30 min)", `Occitanie ${ms(median(countTimes.region!))}, Hérault ${ms(median(countTimes.departement!))} (median of 20): the desk makes one per report`);
    row('flood: episodes and alert groups opened', `${episodesOpened} episode(s), ${groupsOpened} alert group(s) (one alert message each)`);
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
