/**
 * Discord answers per second: Vigie's Discord adapter against a bare discord.js bot, in one
 * process and one run, through the project's fake Discord (REST + gateway on 127.0.0.1).
 *
 * - bare: a discord.js Client (the same version) answering every /statut with a trivial
 *   `interaction.reply({ content })`: the most a discord.js bot can do on this machine;
 * - vigie: createDiscordAdapter on a `memory://` store, replaying the 2020-03-17 crisis at
 *   10:00, answering real questions (bench/questions.ts) with its embeds and buttons.
 *
 * Both bots are timed warm, as a bot is on a crisis morning: the process first runs `warmUp`
 * untimed rounds of each (V8 compiles the hot paths only after thousands of calls, and
 * Vigie, which reads and composes, has more of them), and each run warms up on 50
 * interactions (untimed), then dispatches the same burst of /statut
 * interactions at once and times, from the first dispatch, until the fake has received every
 * answer (a direct reply, or the edit of a deferred one). Runs alternate (bare, vigie, bare,
 * vigie…) so load on the shared machine hits both; the figures are medians and the ratio is
 * vigie / bare (aim ≥ 0.8). The process's CPU per answer during each burst (bot and fake
 * together, the fake's share being the same for both) is printed too: it moves less than
 * the rates when other work shares the machine.
 *
 *   node --import tsx bench/adapters-discord.ts [--interactions 500] [--rounds 7] [--warm-up 3]
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
  /** Interactions per run, all dispatched at once (default 500: a burst of parents). */
  interactions?: number;
  /** Runs of each side, interleaved (default 5). */
  rounds?: number;
  /** Untimed runs of each side before the timed ones (default 3). */
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
  /** Untimed runs of each side before the timed ones. */
  warmUp: number;
  runs: { bare: number[]; vigie: number[] };
  /** How Vigie's answers went: direct replies (callback type 4) or deferred then edited. */
  vigieAnswers: { direct: number; deferred: number };
}

/** Interactions answered, untimed, before each timed burst. */
const WARM_UP = 50;

/** The questions of a run: the untimed warm-up's and the timed burst's. */
interface Questions {
  warm: readonly string[];
  timed: readonly string[];
}

/** 17 March 2020, 10:00 in Paris: the replayed crisis morning. */
const CRISIS_MORNING = new Date('2020-03-17T09:00:00.000Z');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

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

/** What one timed burst gave. */
interface Burst {
  rate: number;
  /** Process CPU (bot and fake) per answer, ms. */
  cpuMs: number;
  direct: number;
  deferred: number;
}

/** Dispatches the burst and times it: answers per second. */
async function burst(fake: FakeDiscord, questions: Questions): Promise<Burst> {
  // A short untimed burst first, so both bots are timed warm (code compiled, lazy modules loaded).
  const warm = questions.warm.map((question) => command(fake.world, 'status', { question: question.slice(0, 500) }));
  const warmed = answersReceived(fake, warm.length);
  for (const p of warm) fake.interact(p);
  await warmed.done;
  fake.removeAllListeners('request');
  const payloads = questions.timed.map((question) => command(fake.world, 'status', { question: question.slice(0, 500) }));
  const answers = answersReceived(fake, payloads.length);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (const p of payloads) fake.interact(p);
  await answers.done;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rate: payloads.length / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / payloads.length, direct: answers.direct(), deferred: answers.deferred() };
}

async function bareRun(questions: Questions): Promise<Burst> {
  const fake = await FakeDiscord.start({ validateBodies: false });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) void interaction.reply({ content: 'Aucun incident connu.' }).catch(() => undefined);
  });
  try {
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(FAKE_DISCORD_TOKEN);
    await ready;
    return await burst(fake, questions);
  } finally {
    await client.destroy();
    await fake.close();
  }
}

async function vigieRun(questions: Questions, reference: ReturnType<typeof loadReferenceData>, counts: { direct: number; deferred: number }): Promise<Burst> {
  const fake = await FakeDiscord.start({ validateBodies: false });
  const runtime = await createRuntime({ storeUrl: 'memory://', clock: new FixedClock(CRISIS_MORNING), reference, scenario: '2020-03-17' });
  const adapter = createDiscordAdapter({
    config: { token: FAKE_DISCORD_TOKEN, applicationId: fake.world.appId, apiUrl: fake.apiUrl, mentions: false, adminRoles: [], adminUsers: [] },
  });
  try {
    await adapter.start(runtime.bot);
    const result = await burst(fake, questions);
    counts.direct += result.direct;
    counts.deferred += result.deferred;
    return result;
  } finally {
    await adapter.stop();
    await fake.close();
    await runtime.close();
  }
}

/** Runs the comparison; see the file's comment. */
export async function benchDiscord(options: BenchDiscordOptions = {}): Promise<BenchDiscordResult> {
  const interactions = options.interactions ?? 500;
  const rounds = options.rounds ?? 7;
  const warmUp = options.warmUp ?? 3;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const reference = loadReferenceData();
  // The warm-up asks other questions than the timed burst: no answer is timed already composed.
  const all = makeQuestions(reference.gazetteer, interactions + WARM_UP, seededRandom(17));
  const questions: Questions = { timed: all.slice(0, interactions), warm: all.slice(interactions) };
  const runs = { bare: [] as number[], vigie: [] as number[] };
  const cpu = { bare: [] as number[], vigie: [] as number[] };
  const counts = { direct: 0, deferred: 0 };
  // Untimed rounds of each first: the process (the fake included) is then warm for both.
  for (let round = 1; round <= warmUp; round++) {
    await bareRun(questions);
    await vigieRun(questions, reference, { direct: 0, deferred: 0 });
  }
  for (let round = 1; round <= rounds; round++) {
    const b = await bareRun(questions);
    const v = await vigieRun(questions, reference, counts);
    runs.bare.push(b.rate);
    runs.vigie.push(v.rate);
    cpu.bare.push(b.cpuMs);
    cpu.vigie.push(v.cpuMs);
    log(`round ${round}/${rounds}: bare ${b.rate.toFixed(0)}/s (${b.cpuMs.toFixed(3)} ms CPU each) · vigie ${v.rate.toFixed(0)}/s (${v.cpuMs.toFixed(3)} ms)`);
  }
  const bare = median(runs.bare);
  const vigie = median(runs.vigie);
  return { bare, vigie, ratio: vigie / bare, bareCpuMs: median(cpu.bare), vigieCpuMs: median(cpu.vigie), interactions, warmUp, runs, vigieAnswers: counts };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { interactions: { type: 'string' }, rounds: { type: 'string' }, 'warm-up': { type: 'string' } } });
  const result = await benchDiscord({ interactions: Number(values.interactions ?? 500), rounds: Number(values.rounds ?? 7), warmUp: Number(values['warm-up'] ?? 3) });
  process.stdout.write(
    [
      `Discord answers, burst of ${result.interactions} /statut, ${result.runs.bare.length} interleaved runs each after ${result.warmUp} untimed (medians):`,
      `  bare discord.js : ${result.bare.toFixed(0)} answers/s, ${result.bareCpuMs.toFixed(3)} ms CPU per answer`,
      `  Vigie           : ${result.vigie.toFixed(0)} answers/s, ${result.vigieCpuMs.toFixed(3)} ms CPU per answer (${result.vigieAnswers.direct} direct replies, ${result.vigieAnswers.deferred} deferred then edited)`,
      `  ratio           : ${result.ratio.toFixed(3)} (aim ≥ 0.8); CPU per answer ${(result.vigieCpuMs / result.bareCpuMs).toFixed(2)}×`,
      '',
    ].join('\n'),
  );
}
