/**
 * `npm start` as a real child process with Slack tokens: it connects to a local fake Slack
 * (Web API + Socket Mode), answers a slash command, delivers a notice published by the CLI
 * (another process) through its dispatcher, stops cleanly on SIGTERM and never logs a token.
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
import { ResponseSink } from '../fakes/slack/response-url.js';
import { SECRETS } from '../fakes/slack/harness.js';
import { slashCommand } from '../fakes/slack/payloads.js';
import { testClockEnv } from '../helpers/clock.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Polls `check` until it is true, for at most `ms`. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('npm start with Slack configured (child process)', () => {
  test('GIVEN Slack tokens THEN it connects, answers /statut, delivers a CLI-published notice once, stops on SIGTERM, logs no token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-main-'));
    const api = await FakeSlackApi.start({});
    const socket = await FakeSocketMode.start();
    api.socketUrl = socket.url;
    const sink = await ResponseSink.start();
    const storeUrl = `sqlite://${join(dir, 'vigie.sqlite')}`;
    const store = await openStore(storeUrl);
    await store.subscriptions.add({ platform: 'slack', workspace: FAKE_TEAM.id, channel: 'C0OCCITANIE', service: 'ent', place: { kind: 'region', code: '76', name: 'Occitanie' }, createdBy: 'U1' });
    await store.close();
    const env = {
      ...process.env,
      SLACK_BOT_TOKEN: SECRETS.bot,
      SLACK_APP_TOKEN: SECRETS.app,
      SLACK_API_URL: api.url,
      VIGIE_STORE_URL: storeUrl,
      VIGIE_LOG_LEVEL: 'debug',
      ...testClockEnv(),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let logs = '';
    child.stdout.on('data', (c: Buffer) => (logs += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (logs += c.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await Promise.race([socket.connected(), exited.then(() => assert.fail(`npm start exited early:\n${logs}`))]);

      const responseUrl = sink.url();
      await socket.send('slash_commands', slashCommand({ text: 'ent occitanie', user: 'U123', responseUrl }));
      const answer = await sink.waitFor(responseUrl);
      assert.equal(answer.body.response_type ?? 'ephemeral', 'ephemeral');
      assert.match(JSON.stringify(answer.body), /Occitanie/);

      const published = spawnSync(process.execPath, [join(ROOT, 'bin', 'vigie.js'), 'notice', 'publish', '--json', '--file', join(ROOT, 'content', 'notices', 'example-ent-occitanie.yaml')], {
        cwd: ROOT,
        env: { ...env, VIGIE_LOG_LEVEL: 'warn' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(published.status, 0, published.stderr);
      const delivered = await until(() => api.conversations.channel(FAKE_TEAM.id, 'C0OCCITANIE').length > 0, 20_000);
      assert.ok(delivered, `the running bot's dispatcher delivered the notice:\n${logs}`);
      await new Promise((r) => setTimeout(r, 2_500)); // one more poll of the outbox: still one message
      assert.equal(api.conversations.channel(FAKE_TEAM.id, 'C0OCCITANIE').length, 1);

      child.kill('SIGTERM');
      assert.equal(await exited, 0, logs);
      for (const secret of [SECRETS.bot, SECRETS.app]) assert.ok(!logs.includes(secret), 'a token reached the logs');
      assert.match(logs, /adapter started/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await Promise.all([api.close(), socket.close(), sink.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
