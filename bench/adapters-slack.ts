/**
 * Slack adapter overhead: slash commands answered per second by Vigie's Slack adapter
 * (memory store, real questions, the 17 March 2020 scenario) against a bare bolt App of the
 * same version answering each command with a one-line ephemeral message. Both run in this
 * one process, over Socket Mode on the project's fakes (test/fakes/slack: the Socket Mode
 * server, the Web API, the response_url sink), with the same number of commands and the same
 * concurrency; rounds alternate (bare, Vigie, bare, Vigie…) and medians are reported, so
 * the machine's noise hits both alike. CPU is the whole process's (fakes included, the same
 * for both) divided by the commands.
 *
 *   node scripts/bench.mjs bench/adapters-slack.ts [--commands 2000] [--concurrency 32] [--rounds 5]
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { App, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import { createSlackAdapter, parseSlackConfig, type SlackAdapter } from '../adapters/slack/index.js';
import { createRuntime, FixedClock, loadCheckedScenario, loadReferenceData, type Runtime } from '../src/index.js';
import { makeQuestions } from './questions.js';
import { seededRandom } from '../src/base/prng.js';
import { slashCommand } from '../test/fakes/slack/payloads.js';
import { ResponseSink } from '../test/fakes/slack/response-url.js';
import { FakeSocketMode } from '../test/fakes/slack/socket-mode.js';
import { FakeSlackApi } from '../test/fakes/slack/web-api.js';

/** What to run. */
export interface SlackBenchOptions {
  /** Slash commands per round (default 2000). */
  commands?: number;
  /** Commands in flight at once (default 32). */
  concurrency?: number;
  /** Measured rounds of each app (default 5), after one warm-up round each. */
  rounds?: number;
  /** Distinct people per round, each new to Vigie (default: one per 2 commands). */
  users?: number;
  /** Where result lines go (default console.log; pass () => {} for silence). */
  print?: (line: string) => void;
}

/** Medians over the measured rounds. */
export interface SlackBenchResult {
  /** Commands answered per second by the bare bolt App. */
  bare: number;
  /** Commands answered per second by Vigie's Slack adapter. */
  vigie: number;
  /** vigie / bare (aim ≥ 0.8). */
  ratio: number;
  /** Process CPU per command, in milliseconds. */
  bareCpuMs: number;
  vigieCpuMs: number;
  /** users.info calls Vigie made per command (locale and permission lookups). */
  vigieUsersInfoPerCommand: number;
  commands: number;
  concurrency: number;
  rounds: number;
}

const BOLT_VERSION = (createRequire(import.meta.url)('@slack/bolt/package.json') as { version: string }).version;
const BOT_TOKEN = 'xoxb-1111-2222-benchbottoken';
const APP_TOKEN = 'xapp-1-A111-333-benchapptoken';

const quiet: BoltLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (...msg) => console.error('bench: bolt error', ...msg),
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

interface Contender {
  socket: FakeSocketMode;
  stop(): Promise<void>;
}

async function startBare(api: FakeSlackApi): Promise<Contender> {
  const socket = await FakeSocketMode.start();
  api.socketUrl = socket.url;
  const clientOptions = { slackApiUrl: api.url };
  const receiver = new SocketModeReceiver({ appToken: APP_TOKEN, logger: quiet, autoReconnectEnabled: false, installerOptions: { clientOptions } });
  const app = new App({ token: BOT_TOKEN, receiver, logger: quiet, clientOptions, deferInitialization: true });
  app.command('/statut', async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: 'ok' });
  });
  await app.init();
  await app.start();
  return { socket, stop: () => receiver.client.disconnect() };
}

async function startVigie(api: FakeSlackApi, runtime: Runtime): Promise<Contender & { adapter: SlackAdapter }> {
  const socket = await FakeSocketMode.start();
  api.socketUrl = socket.url;
  const config = parseSlackConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: api.url });
  if (!config) throw new Error('bench: Slack config missing');
  const adapter = createSlackAdapter({ config, autoReconnect: false, boltLogLevel: LogLevel.ERROR });
  await adapter.start(runtime.bot);
  return { socket, adapter, stop: () => adapter.stop() };
}

/** Sends `texts` as slash commands, `concurrency` at a time; resolves when all are answered. */
async function round(socket: FakeSocketMode, sink: ResponseSink, texts: readonly string[], users: readonly string[], concurrency: number): Promise<{ ms: number; cpuMs: number }> {
  const waiting = new Map<string, () => void>();
  sink.onResponse = (r) => {
    const done = waiting.get(r.id);
    if (done) {
      waiting.delete(r.id);
      done();
    }
  };
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    for (let i = next++; i < texts.length; i = next++) {
      const url = sink.url();
      const answered = new Promise<void>((resolve) => waiting.set(url.slice(url.lastIndexOf('/') + 1), resolve));
      await socket.send('slash_commands', slashCommand({ text: texts[i]!, user: users[i % users.length]!, responseUrl: url }));
      await answered;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  sink.onResponse = null;
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Runs the comparison and prints (and returns) the medians. */
export async function benchSlack(options: SlackBenchOptions = {}): Promise<SlackBenchResult> {
  const commands = options.commands ?? 2000;
  const concurrency = options.concurrency ?? 32;
  const rounds = options.rounds ?? 5;
  const usersPerRound = options.users ?? Math.max(1, Math.floor(commands / 2));
  const print = options.print ?? ((line: string) => console.log(line));

  const reference = loadReferenceData();
  const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
  const texts = makeQuestions(reference.gazetteer, commands, seededRandom(42));
  // Every round brings people Vigie has not seen: a crisis morning, not a warm cache.
  const usersOf = (r: number, who: string) => Array.from({ length: usersPerRound }, (_, i) => `U${who}${r}X${i}`);
  const locales: Record<string, string> = {};
  for (let r = 0; r <= rounds; r++) for (const [i, u] of usersOf(r, 'V').entries()) locales[u] = i % 4 === 0 ? 'en-GB' : 'fr-FR';

  const api = await FakeSlackApi.start({ locales });
  const sink = await ResponseSink.start();
  sink.keep = false;
  const runtime = await createRuntime({ storeUrl: 'memory://', clock: new FixedClock(new Date('2020-03-17T10:00:00+01:00')), reference, scenario });
  const bare = await startBare(api);
  const vigie = await startVigie(api, runtime);
  const results = { bare: [] as { ms: number; cpuMs: number }[], vigie: [] as { ms: number; cpuMs: number }[] };
  let usersInfo = 0;
  try {
    await Promise.all([bare.socket.connected(), vigie.socket.connected()]);
    for (let r = 0; r <= rounds; r++) {
      const b = await round(bare.socket, sink, texts, usersOf(r, 'B'), concurrency);
      const before = api.callsTo('users.info').length;
      const v = await round(vigie.socket, sink, texts, usersOf(r, 'V'), concurrency);
      if (r === 0) continue; // warm-up: JIT, indexes, first connections
      usersInfo += api.callsTo('users.info').length - before;
      results.bare.push(b);
      results.vigie.push(v);
      api.calls.length = 0;
    }
  } finally {
    await Promise.all([bare.stop(), vigie.stop()]);
    await Promise.all([bare.socket.close(), vigie.socket.close(), api.close(), sink.close()]);
    await runtime.close();
  }
  const rate = (xs: { ms: number }[]) => median(xs.map((x) => (commands / x.ms) * 1000));
  const cpu = (xs: { cpuMs: number }[]) => median(xs.map((x) => x.cpuMs / commands));
  const result: SlackBenchResult = {
    bare: rate(results.bare),
    vigie: rate(results.vigie),
    ratio: 0,
    bareCpuMs: cpu(results.bare),
    vigieCpuMs: cpu(results.vigie),
    vigieUsersInfoPerCommand: usersInfo / (commands * rounds),
    commands,
    concurrency,
    rounds,
  };
  result.ratio = result.vigie / result.bare;
  print(`Slack adapter bench — Socket Mode on the fakes, ${commands} commands × ${rounds} rounds (median), concurrency ${concurrency}, ${usersPerRound} new people per round`);
  const label = `bare bolt ${BOLT_VERSION}`;
  print(`  ${label.padEnd(16)} : ${result.bare.toFixed(0)} answered/s, ${result.bareCpuMs.toFixed(3)} ms CPU per command`);
  print(`  ${'Vigie'.padEnd(16)} : ${result.vigie.toFixed(0)} answered/s, ${result.vigieCpuMs.toFixed(3)} ms CPU per command, ${result.vigieUsersInfoPerCommand.toFixed(3)} users.info per command`);
  print(`  ${'ratio Vigie/bare'.padEnd(16)} : ${result.ratio.toFixed(2)} answered/s (aim ≥ 0.80); CPU per command ${(result.vigieCpuMs / result.bareCpuMs).toFixed(2)}×`);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { commands: { type: 'string' }, concurrency: { type: 'string' }, rounds: { type: 'string' }, users: { type: 'string' } } });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  await benchSlack({
    ...(values.commands ? { commands: num(values.commands)! } : {}),
    ...(values.concurrency ? { concurrency: num(values.concurrency)! } : {}),
    ...(values.rounds ? { rounds: num(values.rounds)! } : {}),
    ...(values.users ? { users: num(values.users)! } : {}),
  });
}
