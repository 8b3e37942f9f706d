/**
 * The compiled build: `vigie` and `npm start` run dist/, rebuilt first when a source changed
 * (never stale code), fall back to the TypeScript sources when dist/ cannot be written, and
 * load a platform SDK only when that platform is configured.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeSlackApi } from './fakes/slack/web-api.js';
import { FakeSocketMode } from './fakes/slack/socket-mode.js';
import { SECRETS } from './fakes/slack/harness.js';
import { ResponseSink } from './fakes/slack/response-url.js';
import { slashCommand } from './fakes/slack/payloads.js';
import { FakeDiscord, FAKE_DISCORD_TOKEN } from './fakes/discord/fake-discord.js';
import { command } from './fakes/discord/payloads.js';
import { testClockEnv } from './helpers/clock.js';

const ROOT = resolve(import.meta.dirname, '..');
const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-build-'));
  temps.push(dir);
  return dir;
}

/** A copy of the project (sources, content, scripts), sharing node_modules. */
function projectCopy(): string {
  const dir = tempDir();
  for (const path of ['bin', 'src', 'adapters', 'content', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  mkdirSync(join(dir, 'scripts'));
  cpSync(join(ROOT, 'scripts', 'build.mjs'), join(dir, 'scripts', 'build.mjs'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function vigie(root: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'vigie.js'), ...args], {
    cwd: root,
    env: { ...process.env, VIGIE_LOG_LEVEL: 'warn', VIGIE_STORE_URL: 'memory://', ...testClockEnv() },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const builds = (root: string) => readdirSync(join(root, 'dist')).filter((n) => n.startsWith('b-'));

/** The package names a process loaded through require (CommonJS: @slack/bolt, discord.js and their dependencies). */
const PRELOAD = `process.on('exit', () => require('node:fs').writeFileSync(process.env.VIGIE_TEST_MODULES, JSON.stringify(Object.keys(require.cache))));\n`;
function loadedPackages(file: string): Set<string> {
  const paths = JSON.parse(readFileSync(file, 'utf8')) as string[];
  return new Set(
    paths
      .filter((p) => p.includes('node_modules/'))
      .map((p) => p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length).split('/'))
      .map((parts) => (parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!)),
  );
}
function moduleRecorder(): { file: string; preload: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'preload.cjs'), PRELOAD);
  return { file: join(dir, 'modules.json'), preload: join(dir, 'preload.cjs') };
}

describe('the compiled build', () => {
  test('GIVEN a source changed after the build THEN vigie runs the changed code; a file touched but unchanged does not rebuild', () => {
    const root = projectCopy();
    const first = vigie(root, ['--help']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Usage \/ utilisation :/);
    assert.equal(builds(root).length, 1, 'built once');

    const cli = join(root, 'src', 'app', 'cli.ts');
    writeFileSync(cli, readFileSync(cli, 'utf8').replace('Usage / utilisation :', 'Usage (version modifiée) :'));
    const second = vigie(root, ['--help']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Usage \(version modifiée\) :/);
    assert.equal(second.stderr, '');

    const manifest = readFileSync(join(root, 'dist', 'manifest.json'), 'utf8');
    const later = new Date(Date.now() + 5_000);
    utimesSync(cli, later, later);
    const third = vigie(root, ['--help']);
    assert.match(third.stdout, /Usage \(version modifiée\) :/);
    assert.equal(builds(root).length, 2, 'no third build');
    assert.equal(JSON.parse(readFileSync(join(root, 'dist', 'manifest.json'), 'utf8')).id, JSON.parse(manifest).id);
  });

  test('GIVEN dist/ cannot be written THEN vigie says so in one line and still answers, from the TypeScript sources', () => {
    const root = projectCopy();
    writeFileSync(join(root, 'dist'), 'a file where the build folder should be');
    const r = vigie(root, ['ask', '--json', '--scenario', '2020-03-17', '--at', '10:00', "l'ENT est en panne en Occitanie ?"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).status, 'partial_outage');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^vigie: could not build .*running the TypeScript sources through tsx$/);
  });

  test('GIVEN vigie ask or npm start without platform tokens THEN neither @slack/bolt nor discord.js is loaded', () => {
    for (const [script, args] of [
      [join(ROOT, 'bin', 'vigie.js'), ['ask', '--scenario', '2020-03-17', 'ENT Occitanie ?']],
      [join(ROOT, 'scripts', 'start.mjs'), []],
    ] as const) {
      const { file, preload } = moduleRecorder();
      const r = spawnSync(process.execPath, ['--require', preload, script, ...args], {
        cwd: ROOT,
        input: '',
        env: { ...process.env, VIGIE_TEST_MODULES: file, VIGIE_LOG_LEVEL: 'warn', SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '', ...testClockEnv() },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Occitanie|Horloge/);
      const loaded = loadedPackages(file);
      assert.ok(loaded.size > 0, 'the recorder saw the CommonJS packages');
      for (const sdk of ['@slack/bolt', 'discord.js']) assert.ok(!loaded.has(sdk), `${script} loaded ${sdk}`);
    }
  });

  test('GIVEN only Slack configured THEN npm start connects with @slack/bolt, answers /statut and never loads discord.js', async () => {
    const api = await FakeSlackApi.start({});
    const socket = await FakeSocketMode.start();
    api.socketUrl = socket.url;
    const sink = await ResponseSink.start();
    const bot = startBot({ SLACK_BOT_TOKEN: SECRETS.bot, SLACK_APP_TOKEN: SECRETS.app, SLACK_API_URL: api.url, DISCORD_TOKEN: '' });
    try {
      await Promise.race([socket.connected(), bot.exited.then(() => assert.fail(`npm start exited early:\n${bot.logs()}`))]);
      await bot.started();
      const responseUrl = sink.url();
      await socket.send('slash_commands', slashCommand({ text: 'ent occitanie', user: 'U123', responseUrl }));
      assert.match(JSON.stringify((await sink.waitFor(responseUrl)).body), /Occitanie/);
      const loaded = await bot.stop();
      assert.ok(loaded.has('@slack/bolt'), 'bolt was loaded');
      assert.ok(!loaded.has('discord.js'), 'discord.js was not loaded');
    } finally {
      bot.kill();
      await Promise.all([api.close(), socket.close(), sink.close()]);
    }
  });

  test('GIVEN only Discord configured THEN npm start connects with discord.js, answers /status and never loads @slack/bolt', async () => {
    const fake = await FakeDiscord.start();
    const identified = new Promise((r) => fake.once('identified', r));
    const bot = startBot({ DISCORD_TOKEN: FAKE_DISCORD_TOKEN, DISCORD_APPLICATION_ID: fake.world.appId, DISCORD_API_URL: fake.apiUrl, SLACK_BOT_TOKEN: '' });
    try {
      await Promise.race([identified, bot.exited.then(() => assert.fail(`npm start exited early:\n${bot.logs()}`))]);
      await bot.started();
      const i = fake.interact(command(fake.world, 'status', { service: 'ent', place: 'region:76' }));
      const { message } = await fake.answer(i);
      const answer = message as { embeds?: { title?: string }[] };
      assert.match(answer.embeds?.[0]?.title ?? '', /Occitanie/);
      const loaded = await bot.stop();
      assert.ok(loaded.has('discord.js'), 'discord.js was loaded');
      assert.ok(!loaded.has('@slack/bolt'), '@slack/bolt was not loaded');
    } finally {
      bot.kill();
      await fake.close();
    }
  });
});

/** `npm start` (scripts/start.mjs) as a child process on a memory store, recording the packages it loads. */
function startBot(platform: Record<string, string>) {
  const { file, preload } = moduleRecorder();
  const env = { ...process.env, ...platform, VIGIE_STORE_URL: 'memory://', VIGIE_LOG_LEVEL: 'info', VIGIE_TEST_MODULES: file, ...testClockEnv() };
  const child = spawn(process.execPath, ['--require', preload, join(ROOT, 'scripts', 'start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout.on('data', (c: Buffer) => (logs += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (logs += c.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    exited,
    logs: () => logs,
    /** Resolves once every adapter has started (signals are handled from then on). */
    async started(): Promise<void> {
      for (let i = 0; i < 600 && !logs.includes('adapter started') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(logs, /adapter started/);
    },
    /** Stops it with SIGTERM; it must exit cleanly. Returns the packages it loaded. */
    async stop(): Promise<Set<string>> {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, logs);
      return loadedPackages(file);
    },
    kill(): void {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
