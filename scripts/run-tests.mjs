#!/usr/bin/env node
// Runs the test files (test/**/*.test.ts) with node's test runner through tsx, several files at
// once, each in its own process; then the time-sensitive part again under other fixed clocks
// and time zones (those passes run in the same pool, beside the main one).
//
//   node scripts/run-tests.mjs                  the quick suite (npm test), then its late-evening clock pass
//   node scripts/run-tests.mjs --slow           the slow suite (npm run test:slow): crash tests, child processes,
//                                               every clock pass of its own files, and the quick suite's
//                                               clock-sensitive files under the DST-day clock
//   node scripts/run-tests.mjs --all            both
//   node scripts/run-tests.mjs [filter…]        the files whose path contains a filter (either suite), one pass
//
//   --times                                     end with every file's duration, longest first (not only the slowest 8)
//
//   VIGIE_TEST_PASSES=main                      skip the extra clock passes
//   VIGIE_TEST_PASSES=all                       the quick suite runs every extra clock pass (as CI's two runs do together)
//   VIGIE_TEST_CONCURRENCY=N                    files at once (default: cores + 2, at least 4; the slow suite: cores, at least 2)
//
// Each file's output is printed in one block when it ends, with its duration; a summary lists
// the slowest files and every failure at the end.
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
 * The slow suite: tests whose point is real processes (crashes, kills, signals, `npm start`,
 * the CLI and the build as child processes, instances racing each other), the retraining
 * of the shipped models, and the long forms of tests the quick suite runs shorter (the
 * reader's whole fuzzing sequence, the Slack rig at 500 channels). They run in CI after
 * the quick suite (`.ci/run`), and locally with `npm run test:slow`.
 */
const SLOW = [
  'test/delivery/crash.test.ts',
  'test/delivery/crash-platforms.test.ts',
  'test/delivery/instances.test.ts',
  'test/children.test.ts',
  'test/build.test.ts',
  'test/app/cli.test.ts',
  'test/app/main.test.ts',
  'test/app/main-shutdown.test.ts',
  'test/app/main-probes.test.ts',
  'test/app/main-web.test.ts',
  'test/notices/publish-processes.test.ts',
  'test/store/concurrency.test.ts',
  'test/understand/models-retrain.test.ts',
  'test/understand/fuzz-long.test.ts',
  'test/adapters/slack/delivery-scale.test.ts',
  // A real chromium on every page (about 20 s of CPU with the browser's processes).
  'test/web/browser/pages.test.ts',
  // The badge and widget framed by another origin's page, axe on the widget (chromium).
  'test/web/browser/feeds.test.ts',
];

/**
 * The extra passes: tests read "now" from VIGIE_TEST_NOW (test/helpers/clock.ts) and hand it
 * to child processes as VIGIE_NOW; TZ moves the machine's zone. One is late in the evening
 * (after every "today" afternoon time), one is 30 minutes before Paris springs forward.
 * The slow suite's clock-sensitive files run under both. The quick suite's run under the
 * late-evening clock in `npm test`, and under the DST-day clock in `npm run test:slow` (`inSlow`):
 * CI (`.ci/run`) runs both suites, so every clock-sensitive file still meets both clocks there,
 * and `npm test` stays short.
 */
const EXTRA_PASSES = [
  { name: 'late evening, Los Angeles zone', env: { VIGIE_TEST_NOW: '2026-12-01T23:40:00+01:00', TZ: 'America/Los_Angeles' }, inSlow: false },
  { name: 'DST change day (Paris 02:00 → 03:00), Kolkata zone', env: { VIGIE_TEST_NOW: '2026-03-29T01:30:00+01:00', TZ: 'Asia/Kolkata' }, inSlow: true },
];
/** What the extra passes run: everything whose result depends on "now". */
const CLOCK_SENSITIVE = ['test/app/cli', 'test/app/main.test.ts', 'test/base/time-input', 'test/answer/', 'test/notices/', 'test/admin/', 'test/bot.test.ts', 'test/incidents/', 'test/config/'];
/**
 * Files under those folders whose results cannot depend on "now" or the zone: they read no
 * clock, render no time and start no bot that does (mention escaping; which channels a
 * notice targets by place, service, level and audience; the CLI's subscription commands and
 * channel ids, import and export, whose output has no time in it; the CLI's usage text).
 */
const NOT_CLOCK_SENSITIVE = [
  'test/answer/safe-text.test.ts',
  'test/notices/targeting.test.ts',
  'test/app/cli-subscriptions.test.ts',
  'test/app/cli-subscriptions-ids.test.ts',
  'test/app/cli-subscriptions-io.test.ts',
  'test/app/cli-usage.test.ts',
];

/**
 * Quick files that keep a process of their own: the long delivery rigs (each uses more CPU
 * than a group of small files, so they spread over the cores beside the groups) and files that
 * read their own process's state. Every other quick file runs in a group (scripts/test-group.mjs):
 * one process for several files, one after the other.
 */
const SOLO = [
  'test/adapters/slack/delivery-faults.test.ts',
  'test/adapters/slack/delivery.test.ts',
  'test/adapters/discord/delivery-faults.test.ts',
  'test/adapters/discord/delivery.test.ts',
  'test/delivery/dispatcher.test.ts',
  'test/delivery/channel-fault.test.ts',
  'test/reference-snapshot.test.ts',
];

/**
 * A file that hangs (or leaves the process alive) is killed and fails after this long: the
 * longest file takes about 2 minutes on a quiet machine, and over 7 with four at once on a
 * machine loaded 10 times over.
 */
const FILE_TIMEOUT_MS = 20 * 60_000;

/** Durations of earlier runs, to start the longest files first (a hint only). */
const TIMES_FILE = join(tmpdir(), 'vigie-test-times', `${Buffer.from(process.cwd()).toString('base64url')}.json`);
function readTimes() {
  try {
    return JSON.parse(readFileSync(TIMES_FILE, 'utf8'));
  } catch {
    return {};
  }
}

const args = process.argv.slice(2);
// --solo: every file in its own process, as before groups (to tell whether a failure comes from sharing one).
const solo = args.includes('--solo');
const suite = args.includes('--all') ? 'all' : args.includes('--slow') ? 'slow' : 'quick';
const listTimes = args.includes('--times');
const filters = args.filter((a) => !a.startsWith('--'));
const all = find('test').sort();
const isSlow = (f) => SLOW.includes(f);
const files = filters.length > 0
  ? all.filter((f) => filters.some((p) => f.includes(p)))
  : all.filter((f) => suite === 'all' || (suite === 'slow') === isSlow(f));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const times = readTimes();
const guess = (file) => times[file] ?? statSync(file).size / 100; // unknown: ~1 s per 100 bytes, i.e. early
// The quick suite's files wait on I/O and (virtual) timers much of the time; the slow suite's start whole processes.
const concurrency = Math.max(1, Number(process.env.VIGIE_TEST_CONCURRENCY) || (suite === 'slow' && filters.length === 0 ? Math.max(2, availableParallelism()) : Math.max(4, availableParallelism() + 2)));

/**
 * The jobs of one pass: slow and SOLO files alone, the other files in groups of about equal
 * earlier durations, as many groups as files run at once.
 */
function jobsOf(list, pass) {
  const env = pass?.env ?? {};
  const alone = solo ? list : list.filter((f) => isSlow(f) || SOLO.includes(f));
  const grouped = list.filter((f) => !alone.includes(f));
  const out = alone.map((file) => ({ files: [file], pass, env }));
  if (grouped.length > 0) {
    const groups = Array.from({ length: Math.min(concurrency, grouped.length) }, () => ({ files: [], load: 0 }));
    for (const file of [...grouped].sort((a, b) => guess(b) - guess(a))) {
      const lightest = groups.reduce((a, b) => (b.load < a.load ? b : a));
      lightest.files.push(file);
      lightest.load += guess(file);
    }
    for (const g of groups) out.push(g.files.length === 1 ? { files: g.files, pass, env } : { files: g.files.sort(), pass, env, group: true });
  }
  return out;
}

const jobs = jobsOf(files, null);
let extra = 0;
if (filters.length === 0 && process.env.VIGIE_TEST_PASSES !== 'main') {
  const sensitive = all.filter((f) => CLOCK_SENSITIVE.some((p) => f.includes(p)) && !NOT_CLOCK_SENSITIVE.includes(f));
  const every = process.env.VIGIE_TEST_PASSES === 'all';
  for (const pass of EXTRA_PASSES) {
    // Which suite runs the quick files' share of this pass (the slow files' share stays with them).
    const quickShare = every ? suite !== 'slow' : pass.inSlow ? suite !== 'quick' : suite !== 'slow';
    const list = sensitive.filter((f) => (isSlow(f) ? suite !== 'quick' : quickShare));
    jobs.push(...jobsOf(list, pass));
    extra += list.length;
  }
}
const jobTime = (job) => job.files.reduce((n, f) => n + guess(f), 0);
jobs.sort((a, b) => jobTime(b) - jobTime(a));

const groups = jobs.filter((j) => j.group).length;
console.log(`# ${suite === 'all' ? 'quick and slow suites' : `${suite} suite`}${filters.length ? ` (files matching ${filters.join(', ')})` : ''}: ${files.length} files` +
  (extra ? `, then ${extra} again under other clocks` : '') + `, in ${jobs.length} processes (${groups} of them running several files)` + `, ${concurrency} at once`);

/**
 * Each file's process writes the CPU time it used (all its threads, not the processes it
 * starts) when it exits: unlike wall time, it hardly moves with the machine's load.
 */
const GROUP_ENTRY = fileURLToPath(new URL('./test-group.mjs', import.meta.url));
const CPU_DIR = join(tmpdir(), 'vigie-test-cpu');
mkdirSync(CPU_DIR, { recursive: true });
const CPU_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); try { writeFileSync(process.env.VIGIE_TEST_CPU_FILE, String(Math.round((u.user + u.system) / 1000))); } catch {} });",
)}`;
let jobCount = 0;

function runJob(job) {
  return new Promise((resolve) => {
    const started = performance.now();
    // --test-force-exit: a file left with open handles (a server a failed test did not close) does not keep the run alive.
    const cpuFile = join(CPU_DIR, `${process.pid}-${jobCount++}`);
    const entry = job.group ? GROUP_ENTRY : job.files[0];
    const child = spawn(process.execPath, ['--import', CPU_HOOK, '--import', 'tsx', '--test-reporter=spec', '--test-force-exit', entry], {
      env: { ...process.env, NODE_ENV: 'test', ...job.env, VIGIE_TEST_CPU_FILE: cpuFile, ...(job.group ? { VIGIE_TEST_GROUP: JSON.stringify(job.files) } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      const ms = performance.now() - started;
      let output = Buffer.concat(chunks).toString('utf8');
      const name = job.files.join(', ');
      if (timedOut) output += `\n✖ ${name}: killed after ${FILE_TIMEOUT_MS / 60_000} minutes (a test hangs, or something keeps the process alive)\n`;
      else if (code !== 0 && !/^ℹ fail [1-9]/m.test(output)) output += `\n✖ ${name}: exited with ${signal ?? `code ${code}`}\n`;
      let cpuMs = null;
      try {
        cpuMs = Number(readFileSync(cpuFile, 'utf8'));
        rmSync(cpuFile);
      } catch {
        // Killed before it could tell.
      }
      const ok = code === 0 && !timedOut;
      // In a group, each file's suite line gives its time and whether it passed; a group that
      // failed with no failing suite (a crash, a timeout) fails every file it held.
      const perFile = new Map();
      if (job.group) {
        for (const m of output.matchAll(/^([✔✖]) (\S+\.test\.ts) \(([\d.]+)ms\)$/gm)) perFile.set(m[2], { ok: m[1] === '✔', ms: Number(m[3]) });
      } else perFile.set(job.files[0], { ok, ms });
      const failing = ok ? [] : job.files.filter((f) => perFile.get(f)?.ok !== true);
      const failedFiles = !ok && failing.length === 0 ? job.files : failing;
      resolve({ ...job, ok, ms, cpuMs, output, perFile, failedFiles });
    });
  });
}

/** "12.3 s (CPU 4.5 s)". */
function seconds(r) {
  return `${(r.ms / 1000).toFixed(1)} s` + (r.cpuMs === null ? '' : ` (CPU ${(r.cpuMs / 1000).toFixed(1)} s)`);
}

const started = performance.now();
const results = [];
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const job = jobs[next++];
    const result = await runJob(job);
    results.push(result);
    const where = result.pass ? ` [${result.pass.name}]` : '';
    const what = result.group ? `${result.files.length} files in one process: ${result.files.join(', ')}` : result.files[0];
    console.log(`\n# ${result.ok ? 'ok' : 'FAILED'} ${what}${where} (${seconds(result)})\n${result.output.trimEnd()}`);
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
const wall = (performance.now() - started) / 1000;

// Remember the durations of the main pass for the next run's order.
const learned = { ...times };
for (const r of results) if (!r.pass) for (const [file, t] of r.perFile) if (r.files.includes(file)) learned[file] = Math.round(t.ms);
try {
  mkdirSync(join(tmpdir(), 'vigie-test-times'), { recursive: true });
  writeFileSync(TIMES_FILE, JSON.stringify(learned));
} catch {
  // Only a hint.
}

const count = (key) => results.reduce((n, r) => n + Number(new RegExp(`^ℹ ${key} (\\d+)$`, 'm').exec(r.output)?.[1] ?? 0), 0);
const failed = results.filter((r) => !r.ok);
const processes = results.length;
const cpu = results.reduce((n, r) => n + (r.cpuMs ?? 0), 0) / 1000;
const summed = results.reduce((n, r) => n + r.ms, 0) / 1000;
const fileRuns = results.reduce((n, r) => n + r.files.length, 0);
console.log(`\n# ${fileRuns} files run in ${wall.toFixed(1)} s (${processes} processes, ${concurrency} at once; processes' times summed ${summed.toFixed(0)} s, their CPU ${cpu.toFixed(0)} s): tests ${count('tests')}, pass ${count('pass')}, fail ${count('fail')}, cancelled ${count('cancelled')}, skipped ${count('skipped')}, todo ${count('todo')}`);
console.log(listTimes ? '# every process, longest first:' : '# slowest processes:');
const label = (r) => (r.group ? `${r.files.length} files (${r.files.slice(0, 3).join(', ')}${r.files.length > 3 ? ', …' : ''})` : r.files[0]) + (r.pass ? ` [${r.pass.name}]` : '');
for (const r of [...results].sort((a, b) => b.ms - a.ms).slice(0, listTimes ? results.length : 8)) console.log(`#   ${seconds(r).padStart(22)}  ${label(r)}`);
if (listTimes) {
  console.log('# every file of the groups, longest first (its suite\'s time in its group):');
  const inGroups = results.filter((r) => r.group).flatMap((r) => [...r.perFile].map(([file, t]) => ({ file, ms: t.ms, pass: r.pass })));
  for (const f of inGroups.sort((a, b) => b.ms - a.ms)) console.log(`#   ${`${(f.ms / 1000).toFixed(1)} s`.padStart(10)}  ${f.file}${f.pass ? ` [${f.pass.name}]` : ''}`);
}
if (failed.length > 0) {
  console.log('# FAILED:');
  for (const r of failed) for (const file of r.failedFiles) console.log(`#   ${file}${r.pass ? ` [${r.pass.name}: VIGIE_TEST_NOW=${r.pass.env.VIGIE_TEST_NOW} TZ=${r.pass.env.TZ}]` : ''}${r.group ? ' (in a group: `node scripts/run-tests.mjs --solo FILE` runs it alone)' : ''}`);
}
process.exit(failed.length > 0 ? 1 : 0);
