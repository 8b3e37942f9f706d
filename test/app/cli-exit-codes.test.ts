/**
 * The real `vigie` command as a child process: usage errors and failures with their exit codes,
 * `health`, and a subscription counted by a dry run. Nothing here renders a time, so these run
 * under the tests' fixed clock only (NOT_CLOCK_SENSITIVE in scripts/run-tests.mjs); the answers,
 * listings and scenario loads that do are in cli.test.ts, under every clock.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, vigie } from '../helpers/vigie-binary.js';
import { freshStoreUrl } from '../helpers/stores.js';

describe('vigie usage and failures', () => {
  test('GIVEN no command THEN usage on stderr and exit code 2', () => {
    const r = vigie([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /vigie ask/);
  });
  test('GIVEN ask without a question THEN exit code 2 with a message', () => {
    const r = vigie(['ask']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs a question/);
  });
  test('GIVEN an unknown option THEN exit code 2', () => {
    assert.equal(vigie(['ask', '--frobnicate', 'x']).code, 2);
  });
  test('GIVEN a bad --at THEN exit code 2 naming --at', () => {
    const r = vigie(['ask', '--at', 'demain', 'ent ?']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--at/);
  });
  test('GIVEN an unknown scenario THEN exit code 1 with the known ones listed', () => {
    const r = vigie(['ask', '--scenario', 'nope', 'ent ?']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /2020-03-17/);
  });
  test('GIVEN a broken services.yaml THEN exit code 1 naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-content-'));
    try {
      cpSync(join(ROOT, 'content'), dir, { recursive: true });
      writeFileSync(join(dir, 'services.yaml'), 'services:\n  - id: ent\n    name: 42\n');
      const r = vigie(['ask', '--scenario', '2020-03-17', 'ent ?'], { env: { VIGIE_CONTENT_DIR: dir } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /services\.yaml/);
      assert.match(r.stderr, /services\.0\.name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('GIVEN a bad VIGIE_STORE_URL THEN exit code 1 naming the variable', () => {
    const r = vigie(['ask', 'ent ?'], { env: { VIGIE_STORE_URL: 'ftp://x' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /VIGIE_STORE_URL/);
  });
});

describe('bin/vigie.js health (child process)', () => {
  test('GIVEN a healthy store and an unreachable one THEN the exit codes are 0 and 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-ops-'));
    const run = (url: string) => vigie(['health'], { env: { VIGIE_STORE_URL: url } });
    try {
      const url = `sqlite://${join(dir, 'v.sqlite')}`;
      assert.equal(vigie(['db', 'migrate'], { env: { VIGIE_STORE_URL: url } }).code, 0);
      assert.equal(run(url).code, 0);
      assert.equal(run(`sqlite://${join(dir, 'missing.sqlite')}`).code, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('GIVEN a channel subscribed with the real binary THEN notice publish --dry-run counts it', async () => {
  const { url, cleanup } = await freshStoreUrl('sqlite');
  const run = (args: string[]) => vigie(args, { env: { VIGIE_STORE_URL: url } });
  try {
    const added = run(['subscriptions', 'add', ...['--platform', 'slack', '--workspace', 'T024BE7LD', '--channel', 'C024BE91L'], '--service', 'ent', '--place', 'Toulouse']);
    assert.equal(added.code, 0, added.stderr);
    const dry = run(['notice', 'publish', '--file', join(ROOT, 'content', 'notices', 'example-ent-occitanie.yaml'), '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal((JSON.parse(dry.stdout) as { targets: { total: number } }).targets.total, 1);
  } finally {
    await cleanup();
  }
});
