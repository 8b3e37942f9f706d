/**
 * Publishing from real processes (`vigie notice publish`), as admins do: a publisher killed
 * with SIGKILL at any moment leaves all or nothing (never an open incident without its notice,
 * never a notice with part of its deliveries); publishing the same file again completes the
 * first publication instead of opening a second incident; publishers running at once get
 * unique, consecutive notice numbers from the store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { tempDir } from '../store/helpers.js';
import { TEST_NOW } from '../helpers/clock.js';
import { seededRandom } from '../../src/base/prng.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'vigie.js');
const CHANNELS = 3_000;

/** A store with CHANNELS subscribed Slack channels (imported in one go, as an operator would). */
async function seededStore(dir: string): Promise<string> {
  const url = `sqlite://${join(dir, 'vigie.sqlite')}`;
  const lines = Array.from({ length: CHANNELS }, (_, i) => JSON.stringify({ platform: 'slack', workspace: 'T0000001', channel: `C${String(i + 1).padStart(8, '0')}`, service: 'ent', place: 'region:76' }));
  const file = join(dir, 'subs.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const imported = spawnSync(process.execPath, [CLI, 'subscriptions', 'import', file], { env: env(url), encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  return url;
}

function env(storeUrl: string): NodeJS.ProcessEnv {
  return { ...process.env, VIGIE_STORE_URL: storeUrl, VIGIE_LOG_LEVEL: 'warn', SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '', VIGIE_NOW: TEST_NOW.toISOString() };
}

function noticeFile(dir: string, name: string, text: string, places = 'Occitanie'): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `services: [ent]\nplaces: "${places}"\nstatus: major_outage\nincident:\n  action: open\ntext:\n  fr: "${text}"\n`);
  return file;
}

/** Occitanie's départements: eight incidents that are not identical (an identical one would be refused). */
const DEPARTEMENTS = ['09', '11', '12', '30', '31', '32', '34', '46'];

/** What the store holds: notices with their delivery counts, and open incidents. */
async function snapshot(url: string) {
  const store = await openStore(url);
  try {
    const notices = await store.outbox.listNotices();
    const deliveries = await store.outbox.listDeliveries();
    const open = await store.incidents.listOpen();
    return { notices, deliveries: deliveries.length, open: open.length };
  } finally {
    await store.close();
  }
}

test('GIVEN a publisher killed with SIGKILL at random moments THEN the store holds all or nothing each time, and publishing the file again completes it once', { timeout: 170_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    let url = await seededStore(dir);
    const file = noticeFile(dir, 'ent', 'ENT inaccessible depuis 8 h.');
    const random = seededRandom(2026);
    // How long this machine takes to get a publisher up to its write: a dry run does all but
    // the transaction. The kills fall between 25 % and 120 % of that, earliest first. A round
    // that completes the publication before any kill landed mid-way leaves nothing to
    // interrupt in that store: the next rounds start on a fresh store with kills twice as early
    // (a busy or a quiet machine moves the publisher's pace away from the dry run's).
    const started = performance.now();
    const dry = spawnSync(process.execPath, [CLI, 'notice', 'publish', '--dry-run', '--file', file], { env: env(url), encoding: 'utf8' });
    assert.equal(dry.status, 0, dry.stderr);
    const dryMs = performance.now() - started;
    const kills = Array.from({ length: 6 }, () => dryMs * (0.25 + random() * 0.95)).sort((a, b) => a - b);
    let interrupted = 0;
    let scale = 1;
    let fresh = 0;
    for (let round = 0; round < 12 && (round < kills.length || interrupted === 0); round++) {
      const child = spawn(process.execPath, [CLI, 'notice', 'publish', '--file', file], { env: env(url), stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
      // From before the store is opened to after the transaction: somewhere in between, often.
      setTimeout(() => child.kill('SIGKILL'), Math.floor(kills[round % kills.length]! * scale));
      const signal = await exited;
      const s = await snapshot(url);
      assert.ok(s.notices.length <= 1, `one notice at most, however often the same file is published (${s.notices.length})`);
      if (s.notices.length === 0) {
        assert.equal(s.deliveries, 0, 'no delivery without its notice');
        assert.equal(s.open, 0, 'no open incident without its notice');
      } else {
        assert.equal(s.deliveries, CHANNELS, 'a notice comes with all its deliveries');
        assert.equal(s.open, 1);
      }
      if (signal === 'SIGKILL' && s.notices.length === 0) interrupted++;
      else if (interrupted === 0 && s.notices.length === 1) {
        const next = join(dir, `fresh-${++fresh}`);
        mkdirSync(next);
        url = await seededStore(next);
        scale /= 2;
      }
    }
    assert.ok(interrupted >= 1, 'at least one kill came before the publication was complete');

    const again = spawnSync(process.execPath, [CLI, 'notice', 'publish', '--json', '--file', file], { env: env(url), encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    const s = await snapshot(url);
    assert.equal(s.notices.length, 1, 'the same file is recognised: one notice');
    assert.equal(s.deliveries, CHANNELS);
    assert.equal(s.open, 1, 'one incident, not two');
  } finally {
    cleanup();
  }
});

test('GIVEN 8 publishers running at once THEN their notices get unique, consecutive numbers from the store', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const url = `sqlite://${join(dir, 'vigie.sqlite')}`;
    const store = await openStore(url);
    await store.close();
    const runs = Array.from({ length: 8 }, (_, i) => {
      const file = noticeFile(dir, `n${i}`, `Avis numéro ${i}.`, DEPARTEMENTS[i]);
      const child = spawn(process.execPath, [CLI, 'notice', 'publish', '--json', '--file', file], { env: env(url), stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      return new Promise<void>((res, rej) => child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`publisher ${i} exited ${code}: ${err}`)))));
    });
    await Promise.all(runs);
    const s = await snapshot(url);
    assert.equal(s.notices.length, 8);
    assert.deepEqual(s.notices.map((n) => n.seq).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(new Set(s.notices.map((n) => n.id)).size, 8, 'unique ids');
  } finally {
    cleanup();
  }
});
