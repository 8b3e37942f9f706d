/**
 * scripts/test-group.mjs, which runs several quick test files in one process: each file's tests
 * are filed under a suite named by its path, its top-level hooks apply to its own tests only,
 * and a file slow to load does not take the next file's tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const FILES = ['test/fixtures/group/first.test.ts', 'test/fixtures/group/second.test.ts'];

test('GIVEN two files in one group THEN each test is under its own file, and the first file\'s hook runs for its own tests only', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test-reporter=spec', join(ROOT, 'scripts', 'test-group.mjs')], {
    cwd: ROOT,
    env: { ...process.env, VIGIE_TEST_GROUP: JSON.stringify(FILES) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  // Each top-level suite (a file) with the tests printed inside it.
  const underFile = new Map<string, string[]>();
  let current: string | null = null;
  for (const line of run.stdout.split('\n')) {
    const opened = /^▶ (\S+\.test\.ts)$/.exec(line);
    if (opened) {
      current = opened[1]!;
      underFile.set(current, []);
    } else if (/^[✔✖] /.test(line)) current = null;
    else if (current) {
      const passed = /^ {2}✔ (.+?) \(/.exec(line);
      if (passed) underFile.get(current)!.push(passed[1]!);
    }
  }
  assert.deepEqual(Object.fromEntries(underFile), {
    'test/fixtures/group/first.test.ts': ['first one', 'first two'],
    'test/fixtures/group/second.test.ts': ['second one'],
  });
});
