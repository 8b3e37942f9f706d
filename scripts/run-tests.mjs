#!/usr/bin/env node
// Runs every test/**/*.test.ts file with node's test runner through tsx, then runs the
// time-sensitive part of the suite again under other fixed clocks and time zones.
// Node 20's `--test` does not expand globs, so the files are listed here.
//
//   node scripts/run-tests.mjs [filter…]        the given files (by substring), one pass
//   node scripts/run-tests.mjs                  everything, then the extra clock passes
//   VIGIE_TEST_PASSES=main node scripts/…       skip the extra passes
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') continue;
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/**
 * The extra passes: tests read "now" from VIGIE_TEST_NOW (test/helpers/clock.ts) and hand it
 * to child processes as VIGIE_NOW; TZ moves the machine's zone. One is late in the evening
 * (after every "today" afternoon time), one is 30 minutes before Paris springs forward.
 */
const EXTRA_PASSES = [
  { name: 'late evening, Los Angeles zone', env: { VIGIE_TEST_NOW: '2026-12-01T23:40:00+01:00', TZ: 'America/Los_Angeles' } },
  { name: 'DST change day (Paris 02:00 → 03:00), Kolkata zone', env: { VIGIE_TEST_NOW: '2026-03-29T01:30:00+01:00', TZ: 'Asia/Kolkata' } },
];
/** What the extra passes run: everything whose result depends on "now". */
const CLOCK_SENSITIVE = ['test/app/cli', 'test/app/main.test.ts', 'test/base/time-input', 'test/answer/', 'test/notices/', 'test/admin/', 'test/bot.test.ts', 'test/incidents/', 'test/config/'];

function run(files, env) {
  const result = spawnSync(
    process.execPath,
    // A test (or a whole file: node applies the limit to each file too) that hangs fails after 7 minutes, and a file left with open handles (a server a
    // failed test did not close) does not keep the run alive: CI ends either way.
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=420000', '--test-force-exit', ...files],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', ...env } },
  );
  return result.status ?? 1;
}

const filters = process.argv.slice(2);
const all = find('test').sort();
const files = all.filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
let status = run(files, {});
if (filters.length === 0 && process.env.VIGIE_TEST_PASSES !== 'main') {
  const sensitive = all.filter((f) => CLOCK_SENSITIVE.some((p) => f.includes(p)));
  for (const pass of EXTRA_PASSES) {
    console.log(`\n# extra pass: ${pass.name} (VIGIE_TEST_NOW=${pass.env.VIGIE_TEST_NOW}, TZ=${pass.env.TZ}), ${sensitive.length} files`);
    const code = run(sensitive, pass.env);
    if (code !== 0) console.error(`# extra pass failed: ${pass.name}`);
    status ||= code;
  }
}
process.exit(status);
