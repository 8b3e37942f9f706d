/**
 * `npm run bench:startup`: how long the real commands take to start, measured from outside
 * as a user would, each run interleaved with a bare `node -e 0` so the figures are read as
 * ratios measured in the same conditions (the machine is shared and noisy):
 *   - `vigie ask "ENT Occitanie ?"` (node bin/vigie.js, and through npx): whole process,
 *     wall and CPU (CPU from GNU time when /usr/bin/time exists);
 *   - `npm start` with Slack tokens until the fake Socket Mode server sees the connection,
 *     and with a Discord token until the fake gateway receives IDENTIFY (the bot is online).
 * Prints medians, min–max and the ratio of medians to the baseline; asserts nothing.
 *
 *   npm run bench:startup [-- --runs 10] [--only ask,npx,slack,discord]
 * (POSIX: npm start runs in its own process group, stopped as a whole.)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FakeSlackApi } from '../test/fakes/slack/web-api.js';
import { FakeSocketMode } from '../test/fakes/slack/socket-mode.js';
import { SECRETS } from '../test/fakes/slack/harness.js';
import { FakeDiscord, FAKE_DISCORD_TOKEN } from '../test/fakes/discord/fake-discord.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string' }, only: { type: 'string' } } });
const RUNS = Number(values.runs ?? 10);
const ONLY = new Set((values.only ?? 'ask,npx,slack,discord').split(','));
const QUESTION = 'ENT Occitanie ?';
const GNU_TIME = '/usr/bin/time';
const hasTime = existsSync(GNU_TIME);
const dir = mkdtempSync(join(tmpdir(), 'vigie-startup-'));
const baseEnv: NodeJS.ProcessEnv = {
  ...process.env,
  VIGIE_STORE_URL: `sqlite://${join(dir, 'vigie.sqlite')}`,
  VIGIE_LOG_LEVEL: 'warn',
  // Never inherit platform tokens from the developer's shell.
  SLACK_BOT_TOKEN: '',
  SLACK_APP_TOKEN: '',
  DISCORD_TOKEN: '',
};
delete baseEnv.VIGIE_NOW;

/** One measured run: wall milliseconds, CPU milliseconds when known. */
interface Sample {
  wall: number;
  cpu: number | null;
}

/** Runs a command to its end; wall time measured here, CPU (user + system, children included) by GNU time. */
async function runToEnd(command: string, args: string[]): Promise<Sample> {
  const timeFile = join(dir, 'time.txt');
  const [file, argv] = hasTime ? [GNU_TIME, ['-f', '%U %S', '-o', timeFile, command, ...args]] : [command, args];
  const start = performance.now();
  const child = spawn(file, argv, { cwd: ROOT, env: baseEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const wall = performance.now() - start;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`);
  if (!hasTime) return { wall, cpu: null };
  const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: ((user ?? 0) + (system ?? 0)) * 1000 };
}

/** Starts `npm start` with `env`, waits for `connected`, then stops the whole process group. */
async function runUntil(env: NodeJS.ProcessEnv, connected: Promise<unknown>): Promise<Sample> {
  const start = performance.now();
  // Its own process group, so npm, the shell and node are all stopped together.
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  try {
    await Promise.race([connected, exited.then((code) => Promise.reject(new Error(`npm start exited early (${code}):\n${output}`)))]);
    return { wall: performance.now() - start, cpu: null };
  } finally {
    signal(child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    signal(child.pid, 'SIGKILL');
  }
}

/** Signals the process group this bench started (gone already is fine). */
function signal(pid: number | undefined, name: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function slackRun(): Promise<Sample> {
  const api = await FakeSlackApi.start({});
  const socket = await FakeSocketMode.start();
  api.socketUrl = socket.url;
  try {
    return await runUntil({ SLACK_BOT_TOKEN: SECRETS.bot, SLACK_APP_TOKEN: SECRETS.app, SLACK_API_URL: api.url }, socket.connected());
  } finally {
    await Promise.all([api.close(), socket.close()]);
  }
}

async function discordRun(): Promise<Sample> {
  const fake = await FakeDiscord.start();
  try {
    const identified = new Promise((r) => fake.once('identified', r));
    return await runUntil({ DISCORD_TOKEN: FAKE_DISCORD_TOKEN, DISCORD_APPLICATION_ID: fake.world.appId, DISCORD_API_URL: fake.apiUrl }, identified);
  } finally {
    await fake.close();
  }
}

const measures: { name: string; run: () => Promise<Sample>; key: string }[] = [
  { key: 'baseline', name: 'baseline: node -e 0', run: () => runToEnd(process.execPath, ['-e', '0']) },
  { key: 'ask', name: `vigie ask "${QUESTION}" (node bin/vigie.js)`, run: () => runToEnd(process.execPath, [join(ROOT, 'bin', 'vigie.js'), 'ask', QUESTION]) },
  { key: 'npx', name: `npx vigie ask "${QUESTION}"`, run: () => runToEnd('npx', ['--offline', 'vigie', 'ask', QUESTION]) },
  { key: 'slack', name: 'npm start → Slack connected', run: slackRun },
  { key: 'discord', name: 'npm start → Discord connected', run: discordRun },
].filter((m) => m.key === 'baseline' || ONLY.has(m.key));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

try {
  process.stdout.write(`Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start; ${RUNS} runs each, interleaved (one warm-up run each, not counted)\n`);
  for (const m of measures) await m.run(); // warm-up: builds what is stale, fills the OS file cache
  const samples = new Map<string, Sample[]>(measures.map((m) => [m.key, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const m of measures) samples.get(m.key)!.push(await m.run());
    process.stdout.write('.');
  }
  process.stdout.write(`\nload average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n\n`);
  const base = median(samples.get('baseline')!.map((s) => s.wall));
  const baseCpu = hasTime ? median(samples.get('baseline')!.map((s) => s.cpu ?? 0)) : null;
  process.stdout.write('| measure | wall (median) | wall min–max | ratio to baseline | CPU (median) | CPU ratio |\n| --- | --- | --- | --- | --- | --- |\n');
  for (const m of measures) {
    const list = samples.get(m.key)!;
    const walls = list.map((s) => s.wall);
    const cpu = list[0]?.cpu === null ? null : median(list.map((s) => s.cpu ?? 0));
    const cells = [
      m.name,
      seconds(median(walls)),
      `${seconds(Math.min(...walls))}–${seconds(Math.max(...walls))}`,
      m.key === 'baseline' ? '1' : `×${(median(walls) / base).toFixed(1)}`,
      cpu === null ? '–' : seconds(cpu),
      cpu === null || baseCpu === null || m.key === 'baseline' ? '–' : `×${(cpu / Math.max(baseCpu, 1)).toFixed(1)}`,
    ];
    process.stdout.write(`| ${cells.join(' | ')} |\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
