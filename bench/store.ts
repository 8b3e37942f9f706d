/**
 * `npm run bench:store`: the store's figures (issue 11), on a SQLite file and on PostgreSQL
 * (skipped, with the reason, when it does not answer):
 *   - bot.ask with the store ÷ with a memory store, at 1, 10 and 100 concurrent askers; p99 at 100
 *   - importing 100,000 subscriptions (JSON Lines, the `vigie subscriptions import` path)
 *   - publishing (outbox written) to 10,000 and 50,000 channels; preview at 50,000
 *   - the longest event-loop stall while a 50,000-channel notice is delivered through the real
 *     dispatcher to in-process fake platforms (perf_hooks.monitorEventLoopDelay)
 *   - an idle dispatcher poll with 1,000,000 delivered deliveries in history
 *   - answers with 100,000 incidents in history (1,000 open): p99, and the longest stall while
 *     incidents keep changing (another process writing, this one catching up)
 * Each line shows the goal and whether it is met. Asserts nothing.
 *
 *   npm run bench:store [-- --only sqlite|postgres] [--skip ask,import,publish,poll,incidents]
 *
 * The import seeds the publication's subscriptions: with `publish` skipped and `import` not,
 * the import (and the first targeting after it) runs alone.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { FixedClock } from '../src/base/clock.js';
import { createRuntime, loadCheckedScenario, loadReferenceData, placeLocator, type Runtime } from '../src/runtime.js';
import { openStore } from '../src/store/index.js';
import { replayScenario, scenarioTime, type Incident } from '../src/incidents/index.js';
import { Dispatcher, type DeliveryTransport } from '../src/delivery/index.js';
import { realTimer, type Timer } from '../src/base/timer.js';
import { importSubscriptions } from '../src/subscriptions/transfer.js';
import { CAUSES, LEVELS, PHASES, STATUSES, type PlaceRef } from '../src/base/types.js';
import { makeQuestions } from './questions.js';
import { shareInstances } from '../src/instances.js';
import { silentLogger } from '../src/base/logger.js';
import { freshStore, pgUnavailable, seedDeliveredHistory, seedIncidentHistory } from './store-seed.js';

const { values } = parseArgs({ options: { only: { type: 'string' }, skip: { type: 'string' } } });
const kinds = (values.only ? [values.only] : ['sqlite', 'postgres']) as ('sqlite' | 'postgres')[];
const skip = new Set((values.skip ?? '').split(',').filter(Boolean));
const reference = loadReferenceData();
const { gazetteer, content } = reference;
const scenario = loadCheckedScenario('2020-03-17', content, gazetteer);
const NOW = scenarioTime(scenario, '10:00');
const admin = { platform: 'cli', user: 'bench' } as const;

type Row = { figure: string; measured: string; goal: string; ok: boolean | null };
const rows: Row[] = [];
const report = (figure: string, measured: string, goal = '', ok: boolean | null = null) => {
  rows.push({ figure, measured, goal, ok });
  process.stdout.write(`  ${ok === null ? ' ' : ok ? '✓' : '✗'} ${figure}: ${measured}${goal ? ` (goal ${goal})` : ''}\n`);
};
const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function withRuntime<T>(kind: 'sqlite' | 'postgres' | 'memory', fn: (runtime: Runtime, clock: FixedClock, url: string) => Promise<T>): Promise<T> {
  const fresh = kind === 'memory' ? { url: 'memory://', cleanup: async () => undefined } : await freshStore(kind);
  const clock = new FixedClock(NOW);
  const runtime = await createRuntime({ storeUrl: fresh.url, clock, reference });
  try {
    return await fn(runtime, clock, fresh.url);
  } finally {
    await runtime.close();
    await fresh.cleanup();
  }
}

/** `total` questions from `concurrency` askers (each its own conversation); q/s and latencies. */
async function askMany(runtime: Runtime, questions: string[], concurrency: number, total: number): Promise<{ qps: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const conversation = { platform: 'slack', workspace: 'T1', channel: `C${w}`, user: `U${w}` };
      while (next < total) {
        const text = questions[next++ % questions.length]!;
        const t = performance.now();
        await runtime.bot.ask({ conversation, text });
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { qps: (total / (performance.now() - started)) * 1000, latencies: latencies.sort((a, b) => a - b) };
}

async function benchAsk(kind: 'sqlite' | 'postgres'): Promise<void> {
  const questions = makeQuestions(gazetteer, 2_000, rng(7));
  const incidents = replayScenario(scenario, NOW);
  await withRuntime(kind, (stored) =>
    withRuntime('memory', async (memory) => {
      for (const incident of incidents) {
        await stored.store.incidents.put(incident);
        await memory.store.incidents.put(incident);
      }
      for (const r of [stored, memory]) await askMany(r, questions, 10, 1_000);
      for (const concurrency of [1, 10, 100]) {
        // Ten pairs of rounds, the two sides one after the other in each pair: the machine's
        // other load (CI neighbours) drifts over seconds, and a pair's two rounds share it. The
        // figure is the median of the ten pairs' ratios.
        const qps = { stored: [] as number[], memory: [] as number[] };
        const latencies = { stored: [] as number[], memory: [] as number[] };
        const ratios: number[] = [];
        for (let round = 0; round < 10; round++) {
          const order = round % 2 === 0 ? (['stored', 'memory'] as const) : (['memory', 'stored'] as const);
          for (const side of order) {
            const r = await askMany(side === 'stored' ? stored : memory, questions, concurrency, 2_000);
            qps[side].push(r.qps);
            latencies[side].push(...r.latencies);
          }
          ratios.push(qps.stored.at(-1)! / qps.memory.at(-1)!);
        }
        const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
        const ratio = median(ratios);
        report(
          `bot.ask at ${concurrency} concurrent: ${kind} ÷ memory`,
          `${ratio.toFixed(2)} (median of 10 paired rounds; medians ${median(qps.stored).toFixed(0)} vs ${median(qps.memory).toFixed(0)} q/s)`,
          '≥ 0.8',
          ratio >= 0.8,
        );
        if (concurrency === 100) {
          const p99 = pct(latencies.stored.sort((a, b) => a - b), 99);
          const memoryP99 = pct(latencies.memory.sort((a, b) => a - b), 99);
          // With 100 askers on one core, a question also waits for the 99 others (Little's law:
          // mean latency = 100 ÷ throughput), and any pause of the process (a GC, a core taken
          // by another process) is felt by the 100 questions in flight at once: the memory
          // store, measured in the same rounds, shows what is not the store's.
          const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
          report(
            `bot.ask p99 at 100 concurrent (${kind})`,
            `${ms(p99)}, mean ${ms(mean(latencies.stored))} (memory store: p99 ${ms(memoryP99)}, mean ${ms(mean(latencies.memory))})`,
            '≤ 5 ms',
            p99 <= 5,
          );
        }
      }
    }),
  );
}

/** Lines for `count` channels: 10,000 follow the ENT in Occitanie, 40,000 the ENT elsewhere, the rest Pronote. */
function subscriptionLines(count: number): string[] {
  const elsewhere = ['11', '84', '32', '44'];
  const departements = gazetteer.departements.map((d) => d.code);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const slack = i % 2 === 0;
    const ws = `${Math.floor(i / 2) % 100}`;
    const place = i < 10_000 ? 'region:76' : i < 50_000 ? `region:${elsewhere[i % 4]}` : `departement:${departements[i % departements.length]}`;
    lines.push(
      JSON.stringify({
        platform: slack ? 'slack' : 'discord',
        workspace: slack ? `T${ws}` : `9${ws.padStart(17, '0')}`,
        channel: slack ? `C${i}` : `8${String(i).padStart(17, '0')}`,
        service: i < 50_000 ? 'ent' : 'pronote',
        place,
      }),
    );
  }
  return lines;
}

/** A platform in this process that accepts every message at once (after yielding, as I/O would). */
function instantTransport(platform: 'slack' | 'discord'): DeliveryTransport & { sent: number } {
  let n = 0;
  const ok = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    n++;
    return { ok: true as const, ref: `m${n}` };
  };
  return {
    platform,
    get sent() {
      return n;
    },
    post: ok,
    edit: ok,
    reply: ok,
    reconcile: async () => ({ found: false as const }),
  };
}

/**
 * `vigie subscriptions import`'s function on 100,000 lines, then the first targeting after it;
 * how long the import spent in its write transaction (the rest: reading and checking lines).
 */
async function benchImport(kind: 'sqlite' | 'postgres', runtime: Runtime, clock: FixedClock): Promise<void> {
  const lines = subscriptionLines(100_000);
  const store = Object.create(runtime.store) as Runtime['store'];
  let inWrite = 0;
  store.write = async (fn, options) => {
    const t = performance.now();
    try {
      return await runtime.store.write(fn, options);
    } finally {
      inWrite += performance.now() - t;
    }
  };
  let t = performance.now();
  const imported = await importSubscriptions(lines, {
    store,
    gazetteer,
    services: new Set(content.services.map((s) => s.id)),
    locate: placeLocator(gazetteer),
    actor: 'bench',
    now: clock.now(),
  });
  const importMs = performance.now() - t;
  if (imported.errors.length > 0) throw new Error(`seed lines refused: ${JSON.stringify(imported.errors.slice(0, 3))}`);
  report(
    `subscriptions import, 100,000 lines (${kind})`,
    `${(importMs / 1000).toFixed(1)} s (${imported.added} added; lines read and checked ${((importMs - inWrite) / 1000).toFixed(1)} s, write transaction ${(inWrite / 1000).toFixed(1)} s)`,
    'seconds',
    importMs < 10_000,
  );
  // The first targeting after the import catches this process's copy of the subscriptions
  // up on the 100,000 changed rows; a running bot does this once per change, not per notice.
  t = performance.now();
  await runtime.store.subscriptions.candidates({ services: ['ent'], places: [{ kind: 'region', code: '76' }], ancestors: [] });
  report(`first targeting after the import (copy of 100,000 subscriptions caught up, ${kind})`, ms(performance.now() - t), 'once per change');
}

async function benchPublish(kind: 'sqlite' | 'postgres'): Promise<void> {
  await withRuntime(kind, async (runtime, clock) => {
    await benchImport(kind, runtime, clock);
    const notice = (places: string) => ({ services: ['ent'], places, status: 'major_outage', text: { fr: "L'ENT est inaccessible.", en: 'The ENT is down.' } });
    let t = performance.now();
    const regional = await runtime.bot.publishNotice(notice('Occitanie'), admin, 'fr');
    const regionalMs = performance.now() - t;
    if (!regional.ok) throw new Error(regional.errors.join('; '));
    report(`publish to ${regional.targets.total.toLocaleString('en')} channels, outbox written (${kind})`, ms(regionalMs), '≤ 500 ms', regionalMs <= 500);
    // Those are delivered; the national notice then goes to every ENT channel.
    await runtime.store.db.kysely.updateTable('deliveries').set({ state: 'delivered', delivered_at: clock.now().toISOString() }).execute();
    t = performance.now();
    const preview = await runtime.bot.previewNotice(notice('France'), admin, 'fr');
    const previewMs = performance.now() - t;
    if (!preview.ok) throw new Error(preview.errors.join('; '));
    report(`preview to ${preview.targets.total.toLocaleString('en')} channels (${kind})`, ms(previewMs), '≤ 200 ms', previewMs <= 200);
    clock.advance(60_000);
    t = performance.now();
    const national = await runtime.bot.publishNotice(notice('France'), admin, 'fr');
    const nationalMs = performance.now() - t;
    if (!national.ok) throw new Error(national.errors.join('; '));
    report(`publish to ${national.targets.total.toLocaleString('en')} channels, outbox written (${kind})`, ms(nationalMs), '≤ 2,000 ms', nationalMs <= 2_000);

    // The fan-out, through the real dispatcher (real timers) to platforms in this process.
    const transports = [instantTransport('slack'), instantTransport('discord')];
    const dispatcher = new Dispatcher({ store: runtime.store, clock, templates: runtime.bot.templates, transports });
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const control = startControl();
    const gaps = startGaps();
    delay.enable();
    t = performance.now();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, 120_000).unref());
    await Promise.race([dispatcher.drain(), deadline]);
    const fanoutMs = performance.now() - t;
    delay.disable();
    const gapsSeen = gaps.stop();
    const controlMax = await control.stop();
    await dispatcher.stop();
    const sent = transports.reduce((n, tr) => n + tr.sent, 0);
    const maxStall = delay.max / 1e6;
    report(
      `longest event-loop stall during the ${national.targets.total.toLocaleString('en')}-channel fan-out (${kind})`,
      `${ms(maxStall)} (p99 ${ms(delay.percentile(99) / 1e6)}; an idle process on this machine meanwhile: ${ms(controlMax)}; ${gapText(gapsSeen)}; ${sent.toLocaleString('en')} delivered in ${(fanoutMs / 1000).toFixed(1)} s, ${Math.round((sent / fanoutMs) * 1000)}/s)`,
      '≤ 20 ms',
      maxStall <= 20,
    );
  });
}

async function benchIdlePoll(kind: 'sqlite' | 'postgres'): Promise<void> {
  const fresh = await freshStore(kind);
  try {
    const seeding = await openStore(fresh.url);
    let t = performance.now();
    await seedDeliveredHistory(seeding.db, 1_000_000, 200, NOW);
    report(`seed 1,000,000 delivered deliveries (${kind}, one statement)`, `${((performance.now() - t) / 1000).toFixed(1)} s`);
    await seeding.close();
    const clock = new FixedClock(NOW);
    const runtime = await createRuntime({ storeUrl: fresh.url, clock, reference });
    try {
      // The real dispatcher, started as `npm start` starts it, with nothing to deliver. Its
      // timer tells when each wait ends and the next begins: a poll is all the work between
      // (lease renewal, pauses, the due index read, a claim if one is opened), as the loop
      // does it. Polls every 20 ms instead of every second, to take 300 of them in 6 s.
      // On PostgreSQL it hears the other instances' changes as `npm start` does (LISTEN), so
      // an idle poll reads the store only at every tenth poll while nothing is due.
      const polls: { ms: number; read: boolean }[] = [];
      let woke: number | null = null;
      let reads = 0;
      let readsAtWake = 0;
      const nextLook = runtime.store.outbox.nextLook.bind(runtime.store.outbox);
      runtime.store.outbox.nextLook = (platforms) => (reads++, nextLook(platforms));
      const timer: Timer = {
        sleep: async (ms, signal) => {
          if (woke !== null) polls.push({ ms: performance.now() - woke, read: reads > readsAtWake });
          await realTimer.sleep(ms, signal);
          woke = performance.now();
          readsAtWake = reads;
        },
      };
      const shared = shareInstances(runtime.store, [], { logger: silentLogger });
      const dispatcher = new Dispatcher({
        store: runtime.store,
        clock,
        timer,
        templates: runtime.bot.templates,
        transports: [instantTransport('slack'), instantTransport('discord')],
        options: { pollMs: 20 },
        changesHeard: () => shared.heard(),
      });
      shared.listen({ outbox: () => dispatcher.kick(), incidents: () => undefined });
      const delay = monitorEventLoopDelay({ resolution: 5 });
      const control = startControl();
      delay.enable();
      dispatcher.start();
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      await dispatcher.stop();
      await shared.close();
      delay.disable();
      const controlMax = await control.stop();
      const kept = polls.slice(10);
      const measured = kept.map((p) => p.ms).sort((a, b) => a - b);
      const reading = kept.filter((p) => p.read).map((p) => p.ms).sort((a, b) => a - b);
      const p99 = pct(measured, 99);
      report(
        `idle dispatcher poll, 1,000,000 delivered in history (${kind})`,
        `p50 ${ms(pct(measured, 50))}, p99 ${ms(p99)}, max ${ms(measured.at(-1) ?? NaN)} (${measured.length} polls of the real dispatcher, ${reading.length} of them read the store: p50 ${ms(pct(reading, 50))}, p99 ${ms(pct(reading, 99))}; longest event-loop stall ${ms(delay.max / 1e6)}; an idle process meanwhile: ${ms(controlMax)})`,
        'p99 ≤ 5 ms',
        p99 <= 5,
      );
    } finally {
      await runtime.close();
    }
  } finally {
    await fresh.cleanup();
  }
}

/** 1,000 open incidents across services and places, started in the last 6 hours. */
function openIncidents(count: number): Incident[] {
  const random = rng(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const communes = gazetteer.communes.filter((c) => c.population > 2000);
  return Array.from({ length: count }, (_, i) => {
    const r = random();
    const place: PlaceRef =
      r < 0.1
        ? { kind: 'region', code: pick(gazetteer.regions).code, name: '' }
        : r < 0.4
          ? { kind: 'departement', code: pick(gazetteer.departements).code, name: '' }
          : { kind: 'commune', code: pick(communes).code, name: '' };
    const started = new Date(NOW.getTime() - Math.floor(random() * 6 * 3600_000)).toISOString();
    const status = pick(STATUSES.filter((s) => s !== 'operational'));
    const phase = pick(PHASES.filter((p) => p !== 'resolved'));
    return {
      id: `open-${i}`,
      service: pick(content.services).id,
      scope: { places: [{ kind: place.kind, code: place.code }], levels: random() < 0.5 ? [] : [pick(LEVELS)] },
      title: { fr: `Incident ${i}`, en: `Incident ${i}` },
      status,
      phase,
      cause: pick(CAUSES),
      startedAt: started,
      resolvedAt: null,
      expectedRecovery: null,
      advice: { fr: 'Réessayez plus tard.', en: 'Try again later.' },
      updates: [{ at: started, status, phase, text: { fr: 'Les équipes sont mobilisées.', en: 'Teams are on it.' }, source: { name: 'Rectorat' } }],
    };
  });
}

async function benchIncidents(kind: 'sqlite' | 'postgres'): Promise<void> {
  const open = openIncidents(1_000);
  await withRuntime(kind, async (runtime, _clock, url) => {
    let t = performance.now();
    await seedIncidentHistory(runtime.store.db, 99_000, open, NOW, open[0]!);
    report(`seed 100,000 incidents, 1,000 open (${kind})`, `${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    await runtime.bot.incidents(NOW);
    report(`first load of the incidents in effect (${kind})`, ms(performance.now() - t), 'once, at start-up');
    const questions = makeQuestions(gazetteer, 2_000, rng(11));
    await askMany(runtime, questions, 1, 1_000);
    // One asker, as the core bench (`npm run bench`) asks: a third of these questions are met
    // for the first time. Besides the wall time, the CPU time of each question (this process,
    // all threads): on a machine shared with other work, the wall time's tail is mostly the
    // time this process waited for a core, which the CPU time leaves out.
    const latencies: number[] = [];
    const cpu: number[] = [];
    const conversation = { platform: 'slack', workspace: 'T1', channel: 'C0', user: 'U0' };
    for (let i = 0; i < 3_000; i++) {
      const c = process.cpuUsage();
      const a = performance.now();
      await runtime.bot.ask({ conversation, text: questions[(1_000 + i) % questions.length]! });
      latencies.push(performance.now() - a);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
    latencies.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const p99 = pct(latencies, 99);
    report(
      `answer p99, 100,000 incidents in history, 1,000 open (${kind})`,
      `${ms(p99)} wall, ${ms(pct(cpu, 99))} CPU (p50 ${ms(pct(latencies, 50))} wall; 3,000 questions, one asker)`,
      '≤ 1 ms',
      p99 <= 1,
    );

    // Another process (the CLI, another instance) updates an open incident every 100 ms while
    // questions keep coming for 1 + 7 s (the writer is started and ready before; the first second not counted); this one catches up by change number (checked every second on
    // SQLite; on PostgreSQL told at once by NOTIFY, and the next question waits for the look).
    // The writer starts (modules, its store) before the measure: its start-up is a second of
    // CPU on a 2-core machine, which is the bench's, not the bot's. It writes on "go".
    const writer = spawn(process.execPath, [...benchNodeFlags(), fileURLToPath(new URL('./incident-writer.ts', import.meta.url)), url, '7000', '100'], {
      stdio: ['pipe', 'pipe', 'inherit', 'pipe'],
    });
    let written = '';
    writer.stdout!.on('data', (c) => (written += String(c)));
    const writing = new Promise((resolve) => writer.once('exit', resolve));
    writer.stdin!.end(JSON.stringify(open));
    const control3 = writer.stdio[3] as import('node:stream').Duplex;
    await new Promise<void>((resolve, reject) => {
      control3.once('data', () => resolve());
      writer.once('exit', (code) => reject(new Error(`incident writer exited (${code}) before it was ready`)));
    });
    // As `npm start` runs: on PostgreSQL another process's change is heard at once (LISTEN),
    // and the next question waits for the look; SQLite looks every second.
    const shared = kind === 'postgres' ? shareInstances(runtime.store, [], { logger: silentLogger }) : null;
    shared?.listen({ outbox: () => undefined, incidents: () => runtime.bot.source.invalidate() });
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const control = startControl();
    control3.end('go\n');
    let asked = 0;
    // The first second of changes is not counted, and said apart: its first young-generation
    // collection carries what the questions before left (the p99 measure just above), a
    // one-off of the bench's sequence, not a refresh.
    // Questions one after another, a turn of the event loop between them, for `ms`; the slowest.
    const askFor = async (ms: number): Promise<number> => {
      let slowestHere = 0;
      const until = performance.now() + ms;
      while (performance.now() < until) {
        const a = performance.now();
        await runtime.bot.ask({ conversation: { platform: 'slack', workspace: 'T1', channel: 'C1', user: 'U1' }, text: questions[asked++ % questions.length]! });
        slowestHere = Math.max(slowestHere, performance.now() - a);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return slowestHere;
    };
    const leadIn = monitorEventLoopDelay({ resolution: 5 });
    leadIn.enable();
    await askFor(1_000);
    leadIn.disable();
    const gaps = startGaps();
    delay.enable();
    const slowest = await askFor(7_000);
    delay.disable();
    const gapsSeen = gaps.stop();
    const controlMax = await control.stop();
    await writing;
    await shared?.close();
    const writes = Number(written.trim()) || 0;
    const stall = delay.max / 1e6;
    report(
      `longest stall while incidents change (${kind})`,
      `${ms(stall)} event loop, ${ms(slowest)} slowest answer (${writes} changes in 8 s, ${asked} questions; an idle process meanwhile: ${ms(controlMax)}; ${gapText(gapsSeen)}; the first second, not counted: ${ms(leadIn.max / 1e6)})`,
      '≤ 20 ms',
      Math.max(stall, slowest) <= 20,
    );
  });
}

/**
 * The event-loop gaps over 20 ms seen by a 5 ms timer, each with the CPU time this process
 * (all its threads) used during it: a gap with little CPU is this process waiting for a core
 * (the machine's other work), one with as much CPU as wall time is this process's own work
 * (code, or a garbage collection). Says which of the two the longest stall was.
 */
function startGaps(): { stop: () => { longest: number; longestCpu: number; ownLongest: number } } {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let longest = 0;
  let longestCpu = 0;
  let ownLongest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const gap = now - last;
    if (gap > 20) {
      const used = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
      if (gap > longest) {
        longest = gap;
        longestCpu = used;
      }
      // A gap this process spent working for most of its length.
      if (used >= gap / 2) ownLongest = Math.max(ownLongest, gap);
      // VIGIE_BENCH_GAPS=1: every gap, at its time since the process started (as --trace-gc stamps collections).
      if (process.env.VIGIE_BENCH_GAPS) process.stderr.write(`gap at ${now.toFixed(0)} ms (monotonic ${process.hrtime.bigint() / 1000n} µs, as --cpu-prof stamps samples): ${gap.toFixed(1)} ms, ${used.toFixed(1)} ms of CPU\n`);
    }
    last = now;
    lastCpu = cpu;
  }, 5);
  return {
    stop: () => {
      clearInterval(tick);
      return { longest, longestCpu, ownLongest };
    },
  };
}
const gapText = (g: { longest: number; longestCpu: number; ownLongest: number }) =>
  `longest gap ${ms(g.longest)} with ${ms(g.longestCpu)} CPU of this process in it; longest gap this process spent working: ${g.ownLongest > 0 ? ms(g.ownLongest) : 'none over 20 ms'}`;

/**
 * A process doing nothing but measuring its own event-loop delay, run alongside a
 * measurement: what the machine alone (other processes, CPU sharing) does to a Node process.
 */
function startControl(): { stop: () => Promise<number> } {
  const child = spawn(process.execPath, ['-e', CONTROL], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => (out += String(c)));
  return {
    stop: async () => {
      child.stdin.end('stop\n');
      await new Promise((resolve) => child.once('exit', resolve));
      return Number(out.trim()) || NaN;
    },
  };
}

const CONTROL = `
const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 5 });
h.enable();
process.stdin.on('data', () => { h.disable(); process.stdout.write(String(h.max / 1e6)); process.exit(0); });
`;

/**
 * How scripts/bench.mjs runs this bench (the start script's flags, and the `--import` that
 * compiles like the build): the processes it starts run the same way. Outside it, tsx.
 */
function benchNodeFlags(): string[] {
  const flags = process.env.VIGIE_BENCH_START_FLAGS;
  const register = process.env.VIGIE_BENCH_IMPORT;
  return flags && register ? [...(JSON.parse(flags) as string[]), '--import', register] : ['--import', 'tsx'];
}

/** The URL the runtime's store was opened with (PostgreSQL: rebuilt from its pool). */
function urlOf(runtime: Runtime): string {
  const pgInfo = runtime.store.db.postgres!;
  const url = new URL(String((pgInfo.connectionConfig as { connectionString: string }).connectionString));
  url.searchParams.set('schema', pgInfo.schema);
  return url.toString();
}

process.stdout.write(`Machine load (1-minute average) at start: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores\n`);
for (const kind of kinds) {
  process.stdout.write(`\n${kind === 'sqlite' ? 'SQLite (a file, WAL)' : 'PostgreSQL'}\n`);
  if (kind === 'postgres') {
    const why = await pgUnavailable();
    if (why) {
      process.stdout.write(`  PostgreSQL skipped: ${why}\n`);
      continue;
    }
  }
  if (!skip.has('ask')) await benchAsk(kind);
  if (!skip.has('publish')) await benchPublish(kind);
  else if (!skip.has('import')) await withRuntime(kind, (runtime, clock) => benchImport(kind, runtime, clock));
  if (!skip.has('poll')) await benchIdlePoll(kind);
  if (!skip.has('incidents')) await benchIncidents(kind);
}
const missed = rows.filter((r) => r.ok === false);
process.stdout.write(`\nMachine load (1-minute average) at the end: ${loadavg()[0]!.toFixed(1)}`);
process.stdout.write(`\n${missed.length === 0 ? 'Every goal met.' : `${missed.length} goal(s) missed: ${missed.map((r) => r.figure).join('; ')}`}\n`);
