/**
 * `npm start` and the probes (#15), as a real child process with Slack configured (local
 * fakes): with VIGIE_PROBES=on the probes start with the runtime, ask a local server on
 * 127.0.0.1 as Vigie-probe and stop with it on SIGTERM; a malformed probes.yaml stops startup
 * with the file and the field before anything connects; off (the default), the file is not
 * even read.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeSlackApi } from '../fakes/slack/web-api.js';
import { FakeSocketMode } from '../fakes/slack/socket-mode.js';
import { SECRETS } from '../fakes/slack/harness.js';
import { testClockEnv } from '../helpers/clock.js';
import { PROBE_USER_AGENT } from '../../src/signals/probes.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the shipped content whose probes.yaml is `probes`. */
function contentWith(probes: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-main-probes-'));
  temps.push(dir);
  cpSync(join(ROOT, 'content'), join(dir, 'content'), { recursive: true });
  writeFileSync(join(dir, 'content', 'probes.yaml'), probes);
  return dir;
}

/** Runs `npm start` on Slack fakes with `extra` in its environment until `whileRunning` is done; then SIGTERM. */
async function start(dir: string, extra: Record<string, string>, whileRunning: (connected: Promise<void>, exited: Promise<number | null>) => Promise<void>): Promise<{ code: number | null; logs: string }> {
  const api = await FakeSlackApi.start({});
  const socket = await FakeSocketMode.start();
  api.socketUrl = socket.url;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLACK_BOT_TOKEN: SECRETS.bot,
    SLACK_APP_TOKEN: SECRETS.app,
    SLACK_API_URL: api.url,
    VIGIE_STORE_URL: `sqlite://${join(dir, 'vigie.sqlite')}`,
    VIGIE_CONTENT_DIR: join(dir, 'content'),
    VIGIE_LOG_LEVEL: 'debug',
    ...testClockEnv(),
    ...extra,
  };
  if (!('VIGIE_PROBES' in extra)) delete env.VIGIE_PROBES;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout.on('data', (c: Buffer) => (logs += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (logs += c.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    await whileRunning(socket.connected(), exited);
    if (child.exitCode === null) child.kill('SIGTERM');
    return { code: await exited, logs };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all([api.close(), socket.close()]);
  }
}

describe('npm start with probes (child process)', () => {
  let server: Server;
  const requests: { userAgent: string | undefined }[] = [];
  let asked: () => void = () => undefined;
  after(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  const listening = new Promise<string>((resolve) => {
    server = createServer((req, res) => {
      requests.push({ userAgent: req.headers['user-agent'] });
      asked();
      res.writeHead(200).end('ok');
    });
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
  });
  const probesAt = (url: string) => `probes:\n  - id: ent-occitanie\n    service: ent\n    brand: ENT Occitanie\n    url: ${url}\n    places: [ "region:76" ]\n`;

  test('GIVEN VIGIE_PROBES=on THEN the probes ask the local server once started, as Vigie-probe, and stop with the process on SIGTERM', async () => {
    const dir = contentWith(probesAt(await listening));
    requests.length = 0;
    const { code, logs } = await start(dir, { VIGIE_PROBES: 'on' }, async (connected, exited) => {
      const firstAsk = new Promise<void>((r) => (asked = r));
      await Promise.race([Promise.all([connected, firstAsk]), exited.then(() => assert.fail('npm start exited early'))]);
    });
    assert.equal(code, 0, logs);
    assert.ok(requests.length >= 1);
    assert.equal(requests[0]?.userAgent, PROBE_USER_AGENT);
    assert.match(logs, /probes: on/);
    assert.match(logs, /stopped/);
  });

  test('GIVEN VIGIE_PROBES=on and a probes.yaml with an ftp address THEN startup stops with the file and the field, before connecting', async () => {
    const dir = contentWith(probesAt('ftp://127.0.0.1/'));
    let connected = false;
    const { code, logs } = await start(dir, { VIGIE_PROBES: 'on' }, async (connecting, exited) => {
      void connecting.then(() => (connected = true));
      await exited;
    });
    assert.equal(code, 1, logs);
    assert.match(logs, /vigie: .*probes\.yaml: probes\.0\.url: expected a full http\(s\) web address/);
    assert.equal(connected, false, 'Slack was never connected');
  });

  test('GIVEN no VIGIE_PROBES THEN probes.yaml is not even read (a malformed one stops nothing) and no probe starts', async () => {
    const dir = contentWith('probes: [ { this is: not a probe');
    const { code, logs } = await start(dir, {}, async (connected, exited) => {
      await Promise.race([connected, exited.then(() => assert.fail('npm start exited early'))]);
    });
    assert.equal(code, 0, logs);
    assert.doesNotMatch(logs, /probes: on/);
  });
});
