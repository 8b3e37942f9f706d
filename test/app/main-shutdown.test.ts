/**
 * Shutdown of `npm start` in the middle of a fan-out, as an operator would see it: a real
 * child process with Slack and Discord configured, the platforms' message endpoints made to
 * hang (requests accepted, never answered) or unreachable (connections dropped) by a proxy
 * in front of the fakes. On SIGTERM the process must exit within 15 s, send nothing it had
 * not sent already, and leave the outbox so that the next start completes every channel
 * exactly once.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { FakeSlackApi, FAKE_TEAM } from '../fakes/slack/web-api.js';
import { FakeSocketMode } from '../fakes/slack/socket-mode.js';
import { SECRETS } from '../fakes/slack/harness.js';
import { FAKE_DISCORD_TOKEN, startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { FaultProxy, type ProxyMode } from '../fakes/generic/proxy.js';
import { testClockEnv } from '../helpers/clock.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SLACK_CHANNELS = 60;
const DISCORD_GUILDS = 3;
const DISCORD_CHANNELS_PER_GUILD = 50;
/** The bound the issue sets for an exit with platforms hanging or unreachable. */
const EXIT_BOUND_MS = 15_000;
/** A request the child had already sent when it handled the signal may be recorded by the proxy (in this busy process) a moment later. */
const SIGNAL_SLACK_MS = 250;

/** Polls `check` until it is true, for at most `ms`. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

const isSlackPost = (method: string, path: string) => method === 'POST' && /\/chat\.postMessage/.test(path);
const isDiscordPost = (method: string, path: string) => method === 'POST' && /\/channels\/\d+\/messages/.test(path);

/** Fakes, proxies, a store with 210 subscriptions and one published notice. */
async function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-shutdown-'));
  const api = await FakeSlackApi.start({});
  const socket = await FakeSocketMode.start();
  api.socketUrl = socket.url;
  const discord = await startFakeDiscord({ guilds: DISCORD_GUILDS, channelsPerGuild: DISCORD_CHANNELS_PER_GUILD });
  const slackProxy = await FaultProxy.start(api.url, isSlackPost);
  const discordProxy = await FaultProxy.start(discord.apiUrl, isDiscordPost);
  const storeUrl = `sqlite://${join(dir, 'vigie.sqlite')}`;
  const store = await openStore(storeUrl);
  const place = { kind: 'region', code: '76', name: 'Occitanie' } as const;
  const slackChannels = Array.from({ length: SLACK_CHANNELS }, (_, i) => `C${String(i + 1).padStart(8, '0')}`);
  for (const channel of slackChannels) await store.subscriptions.add({ platform: 'slack', workspace: FAKE_TEAM.id, channel, service: 'ent', place, createdBy: 'U1' });
  for (const guild of discord.guilds) {
    for (const channel of guild.channels) await store.subscriptions.add({ platform: 'discord', workspace: guild.id, channel, service: 'ent', place, createdBy: 'U1' });
  }
  await store.close();
  const clock = testClockEnv();
  const published = spawnSync(process.execPath, [join(ROOT, 'bin', 'vigie.js'), 'notice', 'publish', '--json', '--file', join(ROOT, 'content', 'notices', 'example-ent-occitanie.yaml')], {
    cwd: ROOT,
    env: { ...process.env, VIGIE_STORE_URL: storeUrl, VIGIE_LOG_LEVEL: 'warn', SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '', ...clock },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(published.status, 0, published.stderr);
  const env = {
    ...process.env,
    SLACK_BOT_TOKEN: SECRETS.bot,
    SLACK_APP_TOKEN: SECRETS.app,
    SLACK_API_URL: slackProxy.url,
    DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
    DISCORD_APPLICATION_ID: discord.fake.world.appId,
    DISCORD_API_URL: discordProxy.url,
    VIGIE_STORE_URL: storeUrl,
    VIGIE_LOG_LEVEL: 'info',
  };
  const slackMessages = () => [...api.conversations.byDelivery().values()].reduce((n, list) => n + list.length, 0);
  const discordMessages = () => [...discord.fake.channelMessages.byNonceCount().values()].reduce((n, list) => n + list.length, 0);
  return {
    env,
    storeUrl,
    slackProxy,
    discordProxy,
    socket,
    discord,
    api,
    slackMessages,
    discordMessages,
    /** Per delivery id, how many messages carry it, on both platforms. */
    copies(): Map<string, number> {
      const out = new Map<string, number>();
      for (const [id, list] of api.conversations.byDelivery()) out.set(id, (out.get(id) ?? 0) + list.length);
      for (const [id, list] of discord.fake.channelMessages.byNonceCount()) out.set(id, (out.get(id) ?? 0) + list.length);
      return out;
    },
    async close() {
      await Promise.all([slackProxy.close(), discordProxy.close(), api.close(), socket.close(), discord.fake.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type World = Awaited<ReturnType<typeof setUp>>;

/** Starts `npm start` (the bot's entry point) on the world's fakes; resolves once both platforms are connected. */
async function startBot(world: World) {
  const identified = new Promise((r) => world.discord.fake.once('identified', r));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], { cwd: ROOT, env: { ...world.env, ...testClockEnv() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout.on('data', (c: Buffer) => (logs += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (logs += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; at: number }>((r) => child.on('exit', (code) => r({ code, at: performance.now() })));
  await Promise.race([Promise.all([world.socket.connected(), identified]), exited.then(() => assert.fail(`npm start exited early:\n${logs}`))]);
  return { child, exited, logs: () => logs };
}

/** Puts the platforms in `mode` once `ready` holds, stops the bot with SIGTERM, checks the exit and what was sent after it. */
async function stopDuringFanOut(world: World, mode: ProxyMode, ready: () => boolean): Promise<void> {
  const bot = await startBot(world);
  try {
    assert.ok(await until(() => world.slackMessages() >= 10 && world.discordMessages() >= 10, 30_000), `the fan-out started:\n${bot.logs()}`);
    world.slackProxy.mode = mode;
    world.discordProxy.mode = mode;
    assert.ok(await until(ready, 30_000), `the platforms are ${mode} during the fan-out: ${JSON.stringify([world.slackProxy.requests.length, world.discordProxy.requests.length, world.slackMessages(), world.discordMessages()])}\n${bot.logs()}`);
    const delivered = world.slackMessages() + world.discordMessages();
    assert.ok(delivered < SLACK_CHANNELS + DISCORD_GUILDS * DISCORD_CHANNELS_PER_GUILD, 'the signal comes in the middle of the fan-out');

    const signalled = performance.now();
    bot.child.kill('SIGTERM');
    const { code, at } = await bot.exited;
    const tookMs = at - signalled;
    assert.ok(tookMs <= EXIT_BOUND_MS, `exited ${Math.round(tookMs)} ms after SIGTERM (bound ${EXIT_BOUND_MS} ms):\n${bot.logs()}`);
    assert.equal(code, 0, bot.logs());
    // Counted from the moment the child handled the signal (its "stopping" line): on a loaded
    // machine a process may take a few hundred ms to get to it, and sends before that are fair.
    const stoppingAt = Date.parse(/^(\S+) INFO stopping/m.exec(bot.logs())?.[1] ?? '');
    assert.ok(Number.isFinite(stoppingAt), `the bot said it was stopping:\n${bot.logs()}`);
    const late = [...world.slackProxy.requests, ...world.discordProxy.requests].filter((r) => r.mode !== 'forward' || isSlackPost(r.method, r.path) || isDiscordPost(r.method, r.path)).filter((r) => r.wall > stoppingAt + SIGNAL_SLACK_MS);
    assert.deepEqual(late.map((r) => `${r.method} ${r.path} ${r.wall - stoppingAt} ms after "stopping"`), [], 'no message was sent after the signal');
    assert.match(bot.logs(), /stopping/);
  } finally {
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  }
}

/** Restarts the bot with the platforms healthy and checks every channel got exactly one message. */
async function completesExactlyOnce(world: World): Promise<void> {
  world.slackProxy.mode = 'forward';
  world.discordProxy.mode = 'forward';
  const total = SLACK_CHANNELS + DISCORD_GUILDS * DISCORD_CHANNELS_PER_GUILD;
  const bot = await startBot(world);
  try {
    const store = await openStore(world.storeUrl);
    try {
      const done = async () => (await store.outbox.listDeliveries()).every((d) => d.state === 'delivered');
      let finished = false;
      for (let i = 0; i < 720 && !finished; i++) {
        finished = await done();
        if (!finished) await new Promise((r) => setTimeout(r, 250));
      }
      const deliveries = await store.outbox.listDeliveries();
      assert.equal(deliveries.length, total);
      assert.deepEqual(deliveries.filter((d) => d.state !== 'delivered').map((d) => `${d.id} ${d.state} ${d.lastError}`), [], bot.logs());
      const copies = world.copies();
      assert.deepEqual(deliveries.filter((d) => copies.get(d.id) !== 1).map((d) => `${d.id}: ${copies.get(d.id) ?? 0} message(s)`), [], 'every channel has exactly one message');
    } finally {
      await store.close();
    }
  } finally {
    bot.child.kill('SIGTERM');
    await bot.exited;
  }
}

describe('npm start stops promptly and cleanly during a fan-out (SIGTERM)', () => {
  test('GIVEN the platforms hanging on every message post WHEN SIGTERM THEN exit ≤ 15 s, nothing sent after it, and a restart completes every channel exactly once', { timeout: 400_000 }, async () => {
    const world = await setUp();
    try {
      await stopDuringFanOut(world, 'hang', () => world.slackProxy.holding > 0 && world.discordProxy.holding > 0);
      await completesExactlyOnce(world);
    } finally {
      await world.close();
    }
  });

  test('GIVEN the platforms unreachable (connections dropped) WHEN SIGTERM THEN exit ≤ 15 s, nothing sent after it, and a restart completes every channel exactly once', { timeout: 400_000 }, async () => {
    const world = await setUp();
    try {
      const refused = () => world.slackProxy.requests.filter((r) => r.mode === 'refuse').length >= 3 && world.discordProxy.requests.filter((r) => r.mode === 'refuse').length >= 3;
      await stopDuringFanOut(world, 'refuse', refused);
      await completesExactlyOnce(world);
    } finally {
      await world.close();
    }
  });
});
