/**
 * `npm run bench:chaos`: one official notice to 500 subscribed channels (250 Slack, 250
 * Discord) delivered by the real `npm start` (compiled, as deployed) on the local fakes of both
 * platforms, while everything goes wrong at once:
 *   - the fakes enforce the platforms' documented limits (Slack chat.postMessage 1/s per
 *     channel, per workspace a burst of 50 then 50/min × --slack-scale; Discord 50 requests/s
 *     per bot, 5 per 5 s per channel);
 *   - both platforms are down (every request answered 500) for 90 s, from 5 s after publication;
 *   - the Slack token is refused (invalid_auth on every call) for 60 s after the outage;
 *   - 10 % of the other delivery requests fail at random: half answered 500, half handled by the
 *     platform but their answer lost (the connection drops: the bot cannot know it landed);
 *   - `npm start` is killed with SIGKILL 5 times at random moments, and restarted each time
 *     (and whenever it exits) like a supervisor would.
 * Faults are injected by a proxy in front of each fake (test/fakes/generic/proxy.ts); the
 * messages are counted on the fakes. Prints delivered / duplicates / losses, the time taken, the
 * lower bound the limits and outages allow, and their ratio.
 *
 *   npm run bench:chaos [-- --slack 250 --discord 250 --slack-scale 4 --kills 5 --seed 1]
 *
 * --slack-scale 4 (default) makes Slack's workspace refill 200 messages/min, within the
 * "several hundred per minute" Slack documents; 1 is the fake's conservative 50/min.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/index.js';
import { nonceOf } from '../adapters/discord/transport.js';
import { FakeSlackApi, FAKE_TEAM } from '../test/fakes/slack/web-api.js';
import { FakeSocketMode } from '../test/fakes/slack/socket-mode.js';
import { slackLimits } from '../test/fakes/slack/limits.js';
import { SECRETS } from '../test/fakes/slack/harness.js';
import { FAKE_DISCORD_TOKEN, startFakeDiscord } from '../test/fakes/discord/fake-discord.js';
import { FaultProxy, type ProxyAnswer, type ProxyMode } from '../test/fakes/generic/proxy.js';
import { seededRandom } from '../src/base/prng.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    slack: { type: 'string', default: '250' },
    discord: { type: 'string', default: '250' },
    'slack-scale': { type: 'string', default: '4' },
    kills: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    'max-minutes': { type: 'string', default: '20' },
  },
});
const SLACK_N = Number(values.slack);
const DISCORD_N = Number(values.discord);
const SCALE = Number(values['slack-scale']);
const KILLS = Number(values.kills);
const random = seededRandom(Number(values.seed));

/** The script of faults, in seconds from publication. */
const OUTAGE = { from: 5, to: 95 };
const REVOKED = { from: 95, to: 155 };
const FAULT_RATE = 0.1;
const KILL_WINDOW = { from: 3, to: 150 };

const outageAnswer: ProxyAnswer = { status: 500, body: '{"message":"Internal Server Error"}' };
const slackRefusal: ProxyAnswer = { status: 200, body: '{"ok":false,"error":"invalid_auth"}' };
const inside = (t: number, w: { from: number; to: number }) => t >= w.from && t < w.to;
const isSlackDelivery = (path: string) => /\/(chat\.(postMessage|update)|conversations\.(history|replies))/.test(path);
const isDiscordDelivery = (path: string) => /\/channels\/\d+\/messages/.test(path);

function randomFault(): ProxyMode | ProxyAnswer | null {
  const r = random();
  if (r >= FAULT_RATE) return null;
  return r < FAULT_RATE / 2 ? outageAnswer : 'lose-answer';
}

/**
 * The least time the platforms allow: each platform's messages at its full rate, counting only
 * the seconds it accepts anything (outside the outage, and for Slack the refused token), simulated
 * in 10 ms steps with the fakes' buckets. Restarts, faults and reconciliation lookups are Vigie's cost.
 */
function lowerBound(): { slack: number; discord: number } {
  const step = 0.01;
  let t = 0;
  // Slack: workspace bucket, burst 50, refill 50/min × scale.
  let tokens = 50;
  let left = SLACK_N;
  while (left > 0) {
    tokens = Math.min(50, tokens + ((50 / 60) * SCALE) * step);
    if (!inside(t, OUTAGE) && !inside(t, REVOKED) && tokens >= 1) {
      const n = Math.min(left, Math.floor(tokens));
      left -= n;
      tokens -= n;
    }
    if (left > 0) t += step;
  }
  const slack = t;
  // Discord: 50 requests/s per bot, fixed one-second windows.
  t = 0;
  left = DISCORD_N;
  while (left > 0) {
    if (!inside(t, OUTAGE)) left -= Math.min(left, 50);
    if (left > 0) t += 1;
  }
  return { slack, discord: t };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-chaos-'));
  const api = await FakeSlackApi.start({ limits: slackLimits(SCALE) });
  const socket = await FakeSocketMode.start();
  api.socketUrl = socket.url;
  const discord = await startFakeDiscord({ guilds: Math.ceil(DISCORD_N / 50), channelsPerGuild: 50 });
  const slackProxy = await FaultProxy.start(api.url);
  const discordProxy = await FaultProxy.start(discord.apiUrl);
  let t0 = Infinity;
  const since = () => (performance.now() - t0) / 1000;
  slackProxy.decide = (_m, path) => {
    const t = since();
    if (inside(t, OUTAGE)) return outageAnswer;
    if (inside(t, REVOKED)) return slackRefusal;
    return isSlackDelivery(path) && t >= 0 ? randomFault() : null;
  };
  discordProxy.decide = (_m, path) => {
    const t = since();
    if (inside(t, OUTAGE)) return outageAnswer;
    return isDiscordDelivery(path) && t >= 0 ? randomFault() : null;
  };

  const storePath = join(dir, 'vigie.sqlite');
  const storeUrl = `sqlite://${storePath}`;
  const store = await openStore(storeUrl);
  const place = { kind: 'region', code: '76', name: 'Occitanie' } as const;
  for (let i = 1; i <= SLACK_N; i++) await store.subscriptions.add({ platform: 'slack', workspace: FAKE_TEAM.id, channel: `C${String(i).padStart(8, '0')}`, service: 'ent', place, createdBy: 'bench' });
  const discordChannels = discord.guilds.flatMap((g) => g.channels.map((c) => ({ guild: g.id, channel: c }))).slice(0, DISCORD_N);
  for (const { guild, channel } of discordChannels) await store.subscriptions.add({ platform: 'discord', workspace: guild, channel, service: 'ent', place, createdBy: 'bench' });
  await store.close();

  const env = {
    ...process.env,
    SLACK_BOT_TOKEN: SECRETS.bot,
    SLACK_APP_TOKEN: SECRETS.app,
    SLACK_API_URL: slackProxy.url,
    DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
    DISCORD_APPLICATION_ID: discord.fake.world.appId,
    DISCORD_API_URL: discordProxy.url,
    VIGIE_STORE_URL: storeUrl,
    VIGIE_LOG_LEVEL: 'warn',
  };
  // Built once before the clock starts, so restarts measure the bot, not the compiler.
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });

  let child: ChildProcess | null = null;
  let stopping = false;
  let starts = 0;
  let kills = 0;
  let logs = '';
  const launch = () => {
    starts++;
    const c = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout!.on('data', (b: Buffer) => (logs = (logs + b.toString()).slice(-20_000)));
    c.stderr!.on('data', (b: Buffer) => (logs = (logs + b.toString()).slice(-20_000)));
    c.on('exit', () => {
      if (child === c) child = null;
      // A supervisor starts it again, whatever the reason it stopped.
      if (!stopping) setTimeout(() => !stopping && !child && (child = launch()), 500);
    });
    return c;
  };
  child = launch();

  const published = spawnSync(process.execPath, [join(ROOT, 'bin', 'vigie.js'), 'notice', 'publish', '--json', '--file', join(ROOT, 'content', 'notices', 'example-ent-occitanie.yaml')], {
    cwd: ROOT,
    env: { ...env, SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' },
    encoding: 'utf8',
  });
  if (published.status !== 0) throw new Error(`publication failed: ${published.stderr}`);
  t0 = performance.now();
  const killAt = Array.from({ length: KILLS }, () => KILL_WINDOW.from + random() * (KILL_WINDOW.to - KILL_WINDOW.from)).sort((a, b) => a - b);
  // A kill due while the bot is restarting waits for it to be up again.
  const killWhenUp = () => {
    if (stopping) return;
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      kills++;
    } else setTimeout(killWhenUp, 200);
  };
  for (const at of killAt) setTimeout(killWhenUp, at * 1000);

  const db = new Database(storePath, { readonly: true, fileMustExist: true });
  const states = () => Object.fromEntries((db.prepare('SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state').all() as { state: string; n: number }[]).map((r) => [r.state, r.n]));
  const deadline = performance.now() + Number(values['max-minutes']) * 60_000;
  let last = '';
  let finishedAt = NaN;
  while (performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const s = states();
    const open = (s.pending ?? 0) + (s.in_flight ?? 0);
    const line = `t=${since().toFixed(0)}s ${JSON.stringify(s)} starts=${starts} kills=${kills}`;
    if (line.replace(/t=\d+s /, '') !== last) {
      process.stderr.write(`${line}\n`);
      last = line.replace(/t=\d+s /, '');
    }
    // Done once nothing is open and every kill has happened (a kill after the end tests nothing).
    if (open === 0 && kills >= KILLS) {
      finishedAt = since();
      break;
    }
  }
  stopping = true;
  const ids = db.prepare('SELECT id, platform, state FROM deliveries').all() as { id: string; platform: string; state: string }[];
  db.close();
  const last_child = child as ChildProcess | null;
  if (last_child && last_child.exitCode === null) {
    last_child.kill('SIGTERM');
    await new Promise((r) => last_child.once('exit', r));
  }

  const slackCopies = api.conversations.byDelivery();
  const discordCopies = discord.fake.channelMessages.byNonceCount();
  let delivered = 0;
  let duplicates = 0;
  let losses = 0;
  for (const d of ids) {
    const n = d.platform === 'slack' ? (slackCopies.get(d.id)?.length ?? 0) : (discordCopies.get(nonceOf(d.id))?.length ?? 0);
    if (n > 0) delivered++;
    else losses++;
    duplicates += Math.max(0, n - 1);
  }
  const bound = lowerBound();
  const lb = Math.max(bound.slack, bound.discord);
  const faults = [...slackProxy.requests, ...discordProxy.requests].filter((r) => r.mode !== 'forward').length;
  const out = [
    `bench:chaos — ${ids.length} deliveries (Slack ${SLACK_N}, Discord ${DISCORD_N}), seed ${values.seed}, Slack refill ×${SCALE}`,
    `  faults: outage ${OUTAGE.from}–${OUTAGE.to} s (500s, both), Slack token refused ${REVOKED.from}–${REVOKED.to} s, ${FAULT_RATE * 100} % random 500 / lost answers; ${faults} requests faulted`,
    `  npm start: ${kills} SIGKILL(s), ${starts} start(s)`,
    `  delivered ${delivered}/${ids.length} · duplicates ${duplicates} · losses ${losses} · store: ${JSON.stringify(Object.fromEntries(['delivered', 'failed', 'pending', 'in_flight'].map((s) => [s, ids.filter((d) => d.state === s).length])))}`,
    Number.isFinite(finishedAt)
      ? `  time ${finishedAt.toFixed(1)} s · lower bound ${lb.toFixed(1)} s (Slack ${bound.slack.toFixed(1)} s, Discord ${bound.discord.toFixed(1)} s) · ratio ${(finishedAt / lb).toFixed(2)}`
      : `  NOT FINISHED within ${values['max-minutes']} min · lower bound ${lb.toFixed(1)} s`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  if (!Number.isFinite(finishedAt) || losses > 0 || duplicates > 0) process.stderr.write(`last logs:\n${logs.slice(-4000)}\n`);
  await Promise.all([slackProxy.close(), discordProxy.close(), api.close(), socket.close(), discord.fake.close()]);
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = losses === 0 && duplicates === 0 && Number.isFinite(finishedAt) ? 0 : 1;
}

await main();
