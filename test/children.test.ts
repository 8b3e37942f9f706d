/**
 * Child processes started by tests never outlive the test process: killed when it exits
 * (whatever the reason), and ended by their watchdog when it is killed outright.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { spawnNode } from './helpers/children.js';

const PARENT = fileURLToPath(new URL('./helpers/orphan-parent.ts', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (at most 10 s) for `pid` to be gone; whether it went. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

/** Starts the fixture; resolves with it and its child's pid. */
async function start(mode: 'exit' | 'wait') {
  const parent = spawnNode(['--import', 'tsx', PARENT, mode]);
  const pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    parent.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    parent.once('exit', (code) => reject(new Error(`the fixture exited with ${code} before starting its child`)));
  });
  return { parent, pid };
}

test('GIVEN a test process that exits with a child still running THEN the child is killed', async () => {
  const { pid } = await start('exit');
  assert.ok(await gone(pid), `child ${pid} outlived its parent`);
});

test('GIVEN a test process killed with SIGKILL (no exit handler runs) THEN its child\'s watchdog ends it', async () => {
  const { parent, pid } = await start('wait');
  assert.ok(alive(pid));
  parent.kill('SIGKILL');
  assert.ok(await gone(pid), `child ${pid} outlived its parent`);
});
