/**
 * npm start's status page (child processes, slow suite): beside the console demo it serves
 * the same replay at the same clock; a port already in use is logged and the console runs
 * on (never a crash).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { testClockEnv } from '../helpers/clock.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** A TCP server on a free loopback port. */
async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { server, port: address.port };
}

/** npm start's main in a child, console demo mode (no token), its stdin ours. */
function start(port: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIE_HTTP_PORT: String(port), VIGIE_HTTP_HOST: '127.0.0.1', VIGIE_LOG_LEVEL: 'info', ...testClockEnv() };
  for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'DISCORD_TOKEN']) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let logs = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (logs += c.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 1_200 && !check(); i++) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(check(), `${what}\n--- stdout:\n${out}\n--- logs:\n${logs}`);
  };
  return { child, exited, until, out: () => out, logs: () => logs };
}

describe('npm start and the status page (child process)', () => {
  test('GIVEN VIGIE_HTTP_PORT free THEN the console demo and the page show the same replay; /at moves both', async () => {
    const { server, port } = await occupy();
    await new Promise((r) => server.close(r));
    const run = start(port);
    try {
      await run.until(() => /status page listening/.test(run.logs()) && /Horloge/.test(run.out()), 'the page listens and the console starts');
      const home = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(home.status, 200);
      const page = await home.text();
      assert.match(page, /DÉMO — données rejouées du scénario/);
      assert.match(page, /Horloge du scénario : mardi 17 mars 2020 à 10:00/);
      run.child.stdin.write('/at 08:00\n');
      await run.until(() => /08:00/.test(run.out()), 'the console moved its clock');
      const moved = await (await fetch(`http://127.0.0.1:${port}/lieu/region/76`)).text();
      assert.match(moved, /Horloge du scénario : mardi 17 mars 2020 à 08:00/);
      run.child.stdin.end();
      assert.equal(await run.exited, 0, run.logs());
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });

  test('GIVEN VIGIE_HTTP_PORT already in use THEN it logs WEB_LISTEN_FAILED and the console still answers, then exits cleanly', async () => {
    const { server, port } = await occupy();
    const run = start(port);
    try {
      await run.until(() => /WEB_LISTEN_FAILED/.test(run.logs()) && /Horloge/.test(run.out()), 'the port in use is logged and the console starts');
      assert.match(run.logs(), /port already in use; running without the status page/);
      run.child.stdin.write("l'ENT est en panne en Occitanie ?\n");
      await run.until(() => /ENT : panne partielle en Occitanie/.test(run.out()), 'the console answers');
      run.child.stdin.end();
      assert.equal(await run.exited, 0, run.logs());
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await new Promise((r) => server.close(r));
    }
  });
});
