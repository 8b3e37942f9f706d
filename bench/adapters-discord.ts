/**
 * Discord answers per second: Vigie's Discord adapter against a bare discord.js bot, each in
 * its own process with its own fake Discord (REST + gateway on 127.0.0.1), as a black-box
 * evaluation of `npm start` next to a bare app would run them (bench/adapters-discord-bot.ts):
 *
 * - bare: a discord.js Client (the same version) answering every /statut with a trivial
 *   `interaction.reply({ content })`: the most a discord.js bot can do on this machine; run by
 *   plain `node`;
 * - vigie: createDiscordAdapter on a `memory://` store, replaying the 2020-03-17 crisis at
 *   10:00, answering real questions (bench/questions.ts) with its embeds and buttons; run with
 *   the Node flags `npm start` gives the bot (package.json's `start` script, via scripts/bench.mjs).
 *
 * Separate processes keep each bot's garbage to itself: in one process, the scavenges during
 * one bot's burst also copied what the other had left in the young generation.
 *
 * Each bot stays connected for the whole run, as a bot is on a crisis morning. A round sends a
 * burst of /statut interactions, dispatched at once, to one bot, which times from the first
 * dispatch until its fake has received every answer (a direct reply, or the edit of a
 * deferred one); then the same burst to the other bot. Bursts alternate bot by bot, the
 * first alternating too, so load on the shared machine hits both alike. Every round asks new
 * questions (the same to both bots), drawn from one seeded stream: no answer is timed that
 * was composed for an earlier question; only common phrasings and places repeat, as they do
 * among parents. `warmUp` untimed rounds come first (V8 compiles hot paths only after
 * thousands of calls, and Vigie, which reads and composes, has more of them). The figures are
 * medians; the ratio is vigie / bare (aim ≥ 0.8). Each process's CPU per answer during its
 * bursts (the bot and its fake: the fake's share is the same for both) is printed too: it
 * moves less than the rates when other work shares the machine.
 *
 *   node scripts/bench.mjs bench/adapters-discord.ts [--interactions 500] [--rounds 25] [--warm-up 8] [--bare-flags=--max-semi-space-size=64]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadReferenceData } from '../src/index.js';
import { seededRandom } from '../src/base/prng.js';
import type { Burst } from './adapters-discord-bot.js';
import { makeQuestions } from './questions.js';

/** What to measure. */
export interface BenchDiscordOptions {
  /** Interactions per burst, all dispatched at once (default 500: a burst of parents). */
  interactions?: number;
  /** Timed bursts of each bot, interleaved (default 25: on a shared machine, medians of fewer moved by ±0.15). */
  rounds?: number;
  /** Untimed bursts of each bot first (default 8). */
  warmUp?: number;
  /** Where progress lines go (default: stdout). */
  log?: (line: string) => void;
  /** Node flags of the bare bot's process (default none: a bare app run by plain `node`). */
  bareFlags?: readonly string[];
}

/** The figures: medians of answers per second, their ratio, and every run. */
export interface BenchDiscordResult {
  bare: number;
  vigie: number;
  ratio: number;
  /** Median CPU of the whole process (the bot and the fake) per answer during the timed bursts, in ms. */
  bareCpuMs: number;
  vigieCpuMs: number;
  interactions: number;
  warmUp: number;
  runs: { bare: number[]; vigie: number[] };
  /** How Vigie's answers went: direct replies (callback type 4) or deferred then edited. */
  vigieAnswers: { direct: number; deferred: number };
  /** The Node flags each process ran with. */
  flags: { bare: readonly string[]; vigie: readonly string[] };
}

/** Idle time before each burst. */
const SETTLE_MS = 200;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * How scripts/bench.mjs runs benches: the Node flags of `npm start` (package.json's `start`
 * script) and the `--import` that compiles the TypeScript as the build does (no tsx, whose
 * `keepNames` charges every closure created a defineProperty `npm start` never pays). The bot
 * processes are started the same way, so both bots' own code is compiled alike.
 */
function benchNode(): { startFlags: string[]; compile: string[] } {
  const flags = process.env.VIGIE_BENCH_START_FLAGS;
  const register = process.env.VIGIE_BENCH_IMPORT;
  if (!flags || !register) throw new Error('run this bench through scripts/bench.mjs (npm run bench:adapters, or node scripts/bench.mjs bench/adapters-discord.ts)');
  return { startFlags: JSON.parse(flags) as string[], compile: ['--import', register] };
}

/** A bot in its own process (bench/adapters-discord-bot.ts), ready for bursts. */
interface Side {
  burst(questions: readonly string[]): Promise<Burst>;
  stop(): Promise<void>;
}

async function startSide(name: 'bare' | 'vigie', flags: readonly string[], compile: readonly string[]): Promise<Side> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./adapters-discord-bot.ts', import.meta.url)), [name], {
    cwd: ROOT,
    // VIGIE_BENCH_PROFILE=DIR writes a V8 CPU profile of each bot's process there (to see where the time goes).
    execArgv: [...flags, ...(process.env.VIGIE_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VIGIE_BENCH_PROFILE}`] : []), ...compile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let waiting: { resolve: (m: { ready?: boolean; result?: Burst; error?: string }) => void; reject: (e: Error) => void } | null = null;
  const next = () => new Promise<{ ready?: boolean; result?: Burst; error?: string }>((resolve, reject) => (waiting = { resolve, reject }));
  child.on('message', (m: { ready?: boolean; result?: Burst; error?: string }) => waiting?.resolve(m));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => waiting?.reject(new Error(`the ${name} bot's process exited (${String(code)})`)));
  const ready = await next();
  if (!ready.ready) throw new Error(`the ${name} bot did not start: ${ready.error ?? 'no ready message'}`);
  return {
    async burst(questions) {
      const reply = next();
      child.send({ burst: questions });
      const m = await reply;
      if (!m.result) throw new Error(`the ${name} bot's burst failed: ${m.error ?? 'no result'}`);
      return m.result;
    },
    async stop() {
      if (child.exitCode === null) child.send({ stop: true });
      await exited;
    },
  };
}

/** Runs the comparison; see the file's comment. */
export async function benchDiscord(options: BenchDiscordOptions = {}): Promise<BenchDiscordResult> {
  const interactions = options.interactions ?? 500;
  const rounds = options.rounds ?? 25;
  const warmUp = options.warmUp ?? 8;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const node = benchNode();
  const flags = { bare: options.bareFlags ?? [], vigie: node.startFlags };
  const reference = loadReferenceData();
  const random = seededRandom(17);
  const runs = { bare: [] as number[], vigie: [] as number[] };
  const cpu = { bare: [] as number[], vigie: [] as number[] };
  const counts = { direct: 0, deferred: 0 };
  const [bare, vigie] = await Promise.all([startSide('bare', flags.bare, node.compile), startSide('vigie', flags.vigie, node.compile)]);
  try {
    for (let round = 1 - warmUp; round <= rounds; round++) {
      const questions = makeQuestions(reference.gazetteer, interactions, random);
      // Alternate which bot goes first, so neither always follows the other's garbage.
      const order = round % 2 === 0 ? (['bare', 'vigie'] as const) : (['vigie', 'bare'] as const);
      const results = { bare: null as Burst | null, vigie: null as Burst | null };
      for (const name of order) {
        // A pause first, so the previous burst's last responses and collections are over.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        results[name] = await (name === 'bare' ? bare : vigie).burst(questions);
      }
      if (round < 1) continue;
      const b = results.bare!;
      const v = results.vigie!;
      runs.bare.push(b.rate);
      runs.vigie.push(v.rate);
      cpu.bare.push(b.cpuMs);
      cpu.vigie.push(v.cpuMs);
      counts.direct += v.direct;
      counts.deferred += v.deferred;
      log(`round ${round}/${rounds}: bare ${b.rate.toFixed(0)}/s (${b.cpuMs.toFixed(3)} ms CPU each) · vigie ${v.rate.toFixed(0)}/s (${v.cpuMs.toFixed(3)} ms)`);
    }
  } finally {
    await bare.stop();
    await vigie.stop();
  }
  const bareRate = median(runs.bare);
  const vigieRate = median(runs.vigie);
  return {
    bare: bareRate,
    vigie: vigieRate,
    ratio: vigieRate / bareRate,
    bareCpuMs: median(cpu.bare),
    vigieCpuMs: median(cpu.vigie),
    interactions,
    warmUp,
    runs,
    vigieAnswers: counts,
    flags,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { interactions: { type: 'string' }, rounds: { type: 'string' }, 'warm-up': { type: 'string' }, 'bare-flags': { type: 'string' } } });
  const result = await benchDiscord({
    interactions: Number(values.interactions ?? 500),
    rounds: Number(values.rounds ?? 25),
    warmUp: Number(values['warm-up'] ?? 8),
    bareFlags: values['bare-flags']?.split(/\s+/).filter(Boolean) ?? [],
  });
  process.stdout.write(
    [
      `Discord answers, bursts of ${result.interactions} /statut, ${result.runs.bare.length} interleaved bursts each after ${result.warmUp} untimed (medians), each bot in its own process:`,
      `  Node flags      : bare ${result.flags.bare.join(' ') || '(none)'} · Vigie ${result.flags.vigie.join(' ') || '(none)'} (npm start's)`,
      `  bare discord.js : ${result.bare.toFixed(0)} answers/s, ${result.bareCpuMs.toFixed(3)} ms CPU per answer`,
      `  Vigie           : ${result.vigie.toFixed(0)} answers/s, ${result.vigieCpuMs.toFixed(3)} ms CPU per answer (${result.vigieAnswers.direct} direct replies, ${result.vigieAnswers.deferred} deferred then edited)`,
      `  ratio           : ${result.ratio.toFixed(3)} (aim ≥ 0.8); CPU per answer ${(result.vigieCpuMs / result.bareCpuMs).toFixed(2)}×`,
      '',
    ].join('\n'),
  );
  process.exit(0);
}
