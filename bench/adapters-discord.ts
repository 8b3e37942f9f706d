/**
 * Discord answers per second: Vigie's Discord adapter against a bare discord.js bot, in one
 * process and one run, through the project's fake Discord (REST + gateway on 127.0.0.1).
 *
 * - bare: a discord.js Client (the same version) answering every /statut with a trivial
 *   `interaction.reply({ content })`: the most a discord.js bot can do on this machine;
 * - vigie: createDiscordAdapter on a `memory://` store, replaying the 2020-03-17 crisis at
 *   10:00, answering real questions (bench/questions.ts) with its embeds and buttons.
 *
 * Each bot has its own fake (the same code and options) and stays connected for the whole
 * run, as a bot is on a crisis morning. A round dispatches a burst of /statut interactions
 * at once to one bot and times, from the first dispatch, until its fake has received every
 * answer (a direct reply, or the edit of a deferred one); then the same burst to the other
 * bot. Bursts alternate bot by bot, the first alternating too, so load on the shared machine
 * hits both alike. Every round asks new questions (the same to both bots), drawn from one
 * seeded stream: no answer is timed that was composed for an earlier question; only common
 * phrasings and places repeat, as they do among parents. `warmUp` untimed rounds come first
 * (V8 compiles hot paths only after thousands of calls, and Vigie, which reads and composes,
 * has more of them). The figures are medians; the ratio is vigie / bare (aim ≥ 0.8). The
 * process's CPU per answer during each burst (the bot and its fake: the fake's share is the
 * same for both) is printed too: it moves less than the rates when other work shares the
 * machine.
 *
 *   node --import tsx bench/adapters-discord.ts [--interactions 500] [--rounds 25] [--warm-up 8]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { createRuntime, FixedClock, loadReferenceData } from '../src/index.js';
import { createDiscordAdapter } from '../adapters/discord/index.js';
import { FakeDiscord, FAKE_DISCORD_TOKEN, type RecordedRequest } from '../test/fakes/discord/fake-discord.js';
import { command } from '../test/fakes/discord/payloads.js';
import { seededRandom } from '../test/fakes/generic/prng.js';
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
}

/** Idle time before each burst. */
const SETTLE_MS = 200;

/** 17 March 2020, 10:00 in Paris: the replayed crisis morning. */
const CRISIS_MORNING = new Date('2020-03-17T09:00:00.000Z');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** What one timed burst gave. */
interface Burst {
  rate: number;
  /** Process CPU (bot and fake) per answer, ms. */
  cpuMs: number;
  direct: number;
  deferred: number;
}

/** A bot connected to its own fake, ready for bursts. */
interface Side {
  fake: FakeDiscord;
  stop(): Promise<void>;
}

/** Resolves when the fake has received `count` answers: direct replies or edits after a deferral. */
function answersReceived(fake: FakeDiscord, count: number): { done: Promise<void>; direct: () => number; deferred: () => number } {
  let direct = 0;
  let deferred = 0;
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  fake.on('request', (r: RecordedRequest) => {
    const type = (r.body as { type?: number } | null)?.type;
    if (r.method === 'POST' && r.path.endsWith('/callback') && type === 4) direct++;
    else if (r.method === 'PATCH' && r.path.endsWith('/messages/@original')) deferred++;
    else return;
    if (direct + deferred === count) resolve();
  });
  return { done, direct: () => direct, deferred: () => deferred };
}

/** Dispatches the questions at once to one bot and times the answers. */
async function burst(side: Side, questions: readonly string[]): Promise<Burst> {
  const { fake } = side;
  const payloads = questions.map((question) => command(fake.world, 'status', { question: question.slice(0, 500) }));
  const answers = answersReceived(fake, payloads.length);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (const p of payloads) fake.interact(p);
  await answers.done;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  fake.removeAllListeners('request');
  // The fake records every request for tests; a bench keeps none of them.
  fake.requests.length = 0;
  return { rate: payloads.length / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / payloads.length, direct: answers.direct(), deferred: answers.deferred() };
}

async function startBare(): Promise<Side> {
  const fake = await FakeDiscord.start({ validateBodies: false });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) void interaction.reply({ content: 'Aucun incident connu.' }).catch(() => undefined);
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(FAKE_DISCORD_TOKEN);
  await ready;
  return {
    fake,
    async stop() {
      await client.destroy();
      await fake.close();
    },
  };
}

async function startVigie(reference: ReturnType<typeof loadReferenceData>): Promise<Side> {
  const fake = await FakeDiscord.start({ validateBodies: false });
  const runtime = await createRuntime({ storeUrl: 'memory://', clock: new FixedClock(CRISIS_MORNING), reference, scenario: '2020-03-17' });
  const adapter = createDiscordAdapter({
    config: { token: FAKE_DISCORD_TOKEN, applicationId: fake.world.appId, apiUrl: fake.apiUrl, mentions: false, adminRoles: [], adminUsers: [] },
  });
  await adapter.start(runtime.bot);
  return {
    fake,
    async stop() {
      await adapter.stop();
      await fake.close();
      await runtime.close();
    },
  };
}

/** Runs the comparison; see the file's comment. */
export async function benchDiscord(options: BenchDiscordOptions = {}): Promise<BenchDiscordResult> {
  const interactions = options.interactions ?? 500;
  const rounds = options.rounds ?? 25;
  const warmUp = options.warmUp ?? 8;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const reference = loadReferenceData();
  const random = seededRandom(17);
  const runs = { bare: [] as number[], vigie: [] as number[] };
  const cpu = { bare: [] as number[], vigie: [] as number[] };
  const counts = { direct: 0, deferred: 0 };
  const bare = await startBare();
  const vigie = await startVigie(reference);
  try {
    for (let round = 1 - warmUp; round <= rounds; round++) {
      const questions = makeQuestions(reference.gazetteer, interactions, random);
      // Alternate which bot goes first, so neither always follows the other's garbage.
      const order = round % 2 === 0 ? (['bare', 'vigie'] as const) : (['vigie', 'bare'] as const);
      const results = { bare: null as Burst | null, vigie: null as Burst | null };
      for (const name of order) {
        // A pause first, so the previous burst's last responses and collections are over.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        results[name] = await burst(name === 'bare' ? bare : vigie, questions);
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
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { interactions: { type: 'string' }, rounds: { type: 'string' }, 'warm-up': { type: 'string' } } });
  const result = await benchDiscord({ interactions: Number(values.interactions ?? 500), rounds: Number(values.rounds ?? 25), warmUp: Number(values['warm-up'] ?? 8) });
  process.stdout.write(
    [
      `Discord answers, bursts of ${result.interactions} /statut, ${result.runs.bare.length} interleaved bursts each after ${result.warmUp} untimed (medians):`,
      `  bare discord.js : ${result.bare.toFixed(0)} answers/s, ${result.bareCpuMs.toFixed(3)} ms CPU per answer`,
      `  Vigie           : ${result.vigie.toFixed(0)} answers/s, ${result.vigieCpuMs.toFixed(3)} ms CPU per answer (${result.vigieAnswers.direct} direct replies, ${result.vigieAnswers.deferred} deferred then edited)`,
      `  ratio           : ${result.ratio.toFixed(3)} (aim ≥ 0.8); CPU per answer ${(result.vigieCpuMs / result.bareCpuMs).toFixed(2)}×`,
      '',
    ].join('\n'),
  );
  process.exit(0);
}
