#!/usr/bin/env node
// Runs the test files (test/**/*.test.ts) with node's test runner through tsx, several files at
// once, most of them grouped in a few processes; the slow suite also runs the time-sensitive
// files again under other fixed clocks and time zones, and the tests of code above the store on
// PostgreSQL (those passes run in the same pool, beside the main one).
//
//   node scripts/run-tests.mjs                  the quick suite (npm test), under the tests' fixed clock
//   node scripts/run-tests.mjs --slow           the slow suite (npm run test:slow): crash tests, child processes,
//                                               delivery rigs, and every clock-sensitive file of both suites
//                                               under the two extra clocks
//   node scripts/run-tests.mjs --all            both
//   node scripts/run-tests.mjs [filter…]        the files whose path contains a filter (either suite), one pass
//
//   --times                                     end with every file's duration, longest first (not only the slowest 8)
//   --checks                                    also run the typecheck (tsc) and the arrows check, beside the test files
//                                               (`npm test`: they take a core for ~20 s, which the test files share)
//
//   VIGIE_TEST_PASSES=main                      skip the extra clock passes
//   VIGIE_TEST_PASSES=all                       the quick suite runs the extra clock passes too
//   VIGIE_TEST_PG_URL=URL                       the PostgreSQL database the tests use (default: one created for the run, then dropped)
//   VIGIE_TEST_TMPDIR=DIR|system                the test processes' TMPDIR (default: a folder on /dev/shm when it has room)
//   VIGIE_TEST_CPU_PROF=DIR                     each test process writes a V8 CPU profile (.cpuprofile) into DIR
//   VIGIE_TEST_GROUPS=N                         groups the grouped files share (default: cores + 1, at least 3)
//   VIGIE_TEST_CONCURRENCY=N                    processes at once (default: every job of the quick suite; the slow suite: cores + 1, at least 3)
//
// Each file's output is printed in one block when it ends, with its duration; a summary lists
// the slowest files and every failure at the end.
import { existsSync, readdirSync, readFileSync, statSync, statfsSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';
import { createHash, randomBytes } from 'node:crypto';
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
  // The group runner itself, run as a child process (tsx loaded again: about 1.5 s of CPU).
  'test/test-group.test.ts',
  'test/app/cli.test.ts',
  'test/app/cli-exit-codes.test.ts',
  'test/app/main.test.ts',
  'test/app/main-shutdown.test.ts',
  'test/app/main-probes.test.ts',
  'test/app/main-web.test.ts',
  'test/notices/publish-processes.test.ts',
  'test/store/concurrency.test.ts',
  'test/understand/models-retrain.test.ts',
  'test/understand/fuzz-long.test.ts',
  'test/adapters/slack/delivery-scale.test.ts',
  // The fault-injection rigs: each platform's real client and transport under the dispatcher,
  // against fakes that answer 429s, 5xx, timeouts (some after storing the message), missing
  // channels and revoked tokens, at the platforms' documented limits (each 6 to 28 s of CPU,
  // and the Slack client's timeouts run in real seconds). The quick suite keeps the
  // dispatcher's tests against the generic fake (test/delivery/dispatcher.test.ts) and each
  // platform's notices delivered end to end without faults (admin-notify, notify, echoes).
  'test/adapters/slack/delivery.test.ts',
  'test/adapters/slack/delivery-faults.test.ts',
  'test/adapters/discord/delivery.test.ts',
  'test/adapters/discord/delivery-faults.test.ts',
  'test/delivery/channel-fault.test.ts',
  // An alert post whose answer never comes, on each platform: each waits for its client's real
  // timeout (5 s; shorter ones were not always enough for the other requests in the quick suite's load).
  'test/adapters/slack/alerts-timeout.test.ts',
  'test/adapters/discord/alerts-timeout.test.ts',
  // The reference snapshot written, read back, corrupted and pruned (builds it several times).
  'test/reference-snapshot.test.ts',
  // A real chromium on every page (about 20 s of CPU with the browser's processes).
  'test/web/browser/pages.test.ts',
  // The badge and widget framed by another origin's page, axe on the widget (chromium).
  'test/web/browser/feeds.test.ts',
];

/**
 * The extra passes: tests read "now" from VIGIE_TEST_NOW (test/helpers/clock.ts) and hand it
 * to child processes as VIGIE_NOW; TZ moves the machine's zone. One is late in the evening
 * (after every "today" afternoon time), one is 30 minutes before Paris springs forward.
 * They run in `npm run test:slow`, over the clock-sensitive files of both suites; CI
 * (`.ci/run`) runs both suites, so every clock-sensitive file meets both clocks there, and
 * `npm test` runs each file once, under the tests' fixed clock (VIGIE_TEST_PASSES=all adds
 * both passes to any run).
 */
const EXTRA_PASSES = [
  { name: 'late evening, Los Angeles zone', env: { VIGIE_TEST_NOW: '2026-12-01T23:40:00+01:00', TZ: 'America/Los_Angeles' } },
  { name: 'DST change day (Paris 02:00 → 03:00), Kolkata zone', env: { VIGIE_TEST_NOW: '2026-03-29T01:30:00+01:00', TZ: 'Asia/Kolkata' } },
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
  'test/app/cli-exit-codes.test.ts',
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
const withChecks = args.includes('--checks');
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

/**
 * Each quick file's duration on the development machine (ms: the CPU its tests used in its group,
 * or a process's wall time), committed so that a
 * fresh clone, which has no earlier run of its own, still balances its groups (with sizes
 * alone, one group took 92 s and another 38 s). `npm run test:hints` rewrites it from this
 * checkout's last run.
 */
const HINTS_FILE = fileURLToPath(new URL('./test-times.json', import.meta.url));
function readHints() {
  try {
    return JSON.parse(readFileSync(HINTS_FILE, 'utf8'));
  } catch {
    return {};
  }
}
const hints = readHints();
const times = { ...hints, ...readTimes() };
if (args.includes('--write-hints')) {
  const quick = Object.fromEntries(Object.entries(times).filter(([f]) => !SLOW.includes(f) && all.includes(f)).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(HINTS_FILE, JSON.stringify(quick, null, 1) + '\n');
  console.log(`# ${Object.keys(quick).length} files' durations written to scripts/test-times.json`);
  process.exit(0);
}
const guess = (file) => times[file] ?? statSync(file).size / 100; // unknown: ~1 s per 100 bytes, i.e. early
/**
 * How many groups share the grouped files: one more than the cores. Every process loads the
 * sources, the dependencies and the reference data again (3 to 4 s of CPU each), and the
 * quick suite is CPU-bound on two cores: with four groups it used about 10 s more CPU and
 * ended later than with three.
 */
const groupCount = Math.max(1, Number(process.env.VIGIE_TEST_GROUPS) || Math.max(3, availableParallelism() + 1));

/**
 * The jobs of one pass: slow files alone, every quick file in a group (scripts/test-group.mjs:
 * one process for several files, one after the other; the dispatcher's rig too: with a process
 * of its own, the quick suite used 100-105 s of the machine's CPU, 90 s without), the groups of about equal
 * earlier durations, `groupCount` of them.
 */
function jobsOf(list, pass, env = pass?.env ?? {}) {
  const alone = solo ? list : list.filter(isSlow);
  const grouped = list.filter((f) => !alone.includes(f));
  const out = alone.map((file) => ({ files: [file], pass, env }));
  if (grouped.length > 0) {
    const groups = Array.from({ length: Math.min(groupCount, grouped.length) }, () => ({ files: [], load: 0 }));
    for (const file of [...grouped].sort((a, b) => guess(b) - guess(a))) {
      const lightest = groups.reduce((a, b) => (b.load < a.load ? b : a));
      lightest.files.push(file);
      lightest.load += guess(file);
    }
    for (const g of groups) out.push(g.files.length === 1 ? { files: g.files, pass, env } : { files: g.files.sort(), pass, env, group: true });
  }
  return out;
}

/**
 * What runs on which store. Tests of the store itself run on a SQLite file and on PostgreSQL in
 * every run; tests of the code above it (`describeWithStores`) run on SQLite in the quick suite
 * (VIGIE_TEST_STORES=sqlite), and on PostgreSQL in the slow suite's pass below.
 */
const QUICK_ENV = { VIGIE_TEST_STORES: 'sqlite' };
const PG_PASS = { name: 'PostgreSQL variants', env: { VIGIE_TEST_STORES: 'postgres' } };
const usesWithStores = (f) => readFileSync(f, 'utf8').includes('describeWithStores(');

const jobs = jobsOf(files, null, suite === 'quick' && filters.length === 0 ? QUICK_ENV : {});
let extra = 0;
if (filters.length === 0 && suite !== 'quick') {
  const list = all.filter((f) => !isSlow(f) && usesWithStores(f));
  jobs.push(...jobsOf(list, PG_PASS));
  extra += list.length;
}
if (filters.length === 0 && process.env.VIGIE_TEST_PASSES !== 'main') {
  const sensitive = all.filter((f) => CLOCK_SENSITIVE.some((p) => f.includes(p)) && !NOT_CLOCK_SENSITIVE.includes(f));
  const every = process.env.VIGIE_TEST_PASSES === 'all';
  for (const clockPass of EXTRA_PASSES) {
    // The clock passes meet the quick files' code above the store on SQLite only (the store's
    // kind and the clock are independent; the PostgreSQL pass runs under the fixed clock).
    const pass = { ...clockPass, env: { ...clockPass.env, ...QUICK_ENV } };
    // The slow suite runs every clock-sensitive file (of both suites) under each pass; the quick suite its own, when asked.
    const list = sensitive.filter((f) => (suite === 'quick' ? every && !isSlow(f) : true));
    jobs.push(...jobsOf(list, pass));
    extra += list.length;
  }
}
const jobTime = (job) => (job.command ? Infinity : job.files.reduce((n, f) => n + guess(f), 0));
/**
 * The checks `npm test` runs besides the tests: the typecheck (the longest single job, so it
 * starts first) and the arrows check. In the same pool, they use the cores the test files
 * leave while they wait on I/O and timers, instead of running before them.
 */
if (withChecks) {
  // TypeScript 7's tsc (the native compiler), named by path: typescript-5, kept for the arrows
  // check's parser, also ships a `tsc`.
  jobs.push({ name: 'typecheck (tsc -p .)', command: [process.execPath, join('node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--singleThreaded'], files: [] });
  jobs.push({ name: 'arrows (scripts/check-arrows.mjs)', command: [process.execPath, 'scripts/check-arrows.mjs'], files: [] });
}
jobs.sort((a, b) => jobTime(b) - jobTime(a));
/**
 * Processes at once. The quick suite starts every job at once (its groups, the dispatcher's
 * rig, the checks): the groups are balanced by CPU and the cores are never left idle while a
 * job waits for a slot (a run of many separate files, --solo or the slow files named by a
 * filter, runs cores + 2 at once). The slow suite's files mostly wait for the processes they start
 * (whose CPU is theirs): one more than the cores keeps both cores busy.
 */
const fewJobs = jobs.length <= groupCount + 2;
const concurrency = Math.max(1, Number(process.env.VIGIE_TEST_CONCURRENCY) ||
  (suite === 'slow' && filters.length === 0 ? Math.max(3, availableParallelism() + 1) : fewJobs ? jobs.length : Math.max(4, availableParallelism() + 2)));

const groups = jobs.filter((j) => j.group).length;
console.log(`# ${suite === 'all' ? 'quick and slow suites' : `${suite} suite`}${filters.length ? ` (files matching ${filters.join(', ')})` : ''}: ${files.length} files` +
  (extra ? `, then ${extra} again under other clocks or on PostgreSQL` : '') + `, in ${jobs.length} processes (${groups} of them running several files)` + `, ${concurrency} at once`);

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

/**
 * The test processes' temporary folder (TMPDIR: their SQLite store files, trees and logs) on
 * the machine's tmpfs (/dev/shm) when it has one with 2 GiB free: store files are still real
 * SQLite files, but a commit's fsync there costs nothing, and tests open some hundred stores.
 * Elsewhere, or with VIGIE_TEST_TMPDIR=system, the system's; VIGIE_TEST_TMPDIR=DIR names one.
 */
function testTmpDir() {
  const asked = process.env.VIGIE_TEST_TMPDIR;
  if (asked === 'system') return null;
  try {
    let dir = asked;
    if (!dir) {
      if (process.platform !== 'linux') return null;
      const fs = statfsSync('/dev/shm');
      if (fs.bavail * fs.bsize < 2 * 2 ** 30) return null;
      // One folder per checkout: what it caches (tsx's compiled files, the reference snapshot) is this checkout's.
      const checkout = createHash('sha256').update(process.cwd()).digest('hex').slice(0, 8);
      dir = join('/dev/shm', `vigie-tests-${process.getuid?.() ?? 'user'}-${checkout}`);
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch {
    return null;
  }
}
const TEST_TMPDIR = testTmpDir();

/**
 * The run's own PostgreSQL database, created from template1 for this run and dropped at its
 * end; the test processes' schemas (test/helpers/stores.ts) are made in it. Each test store
 * creates, migrates and drops tables, and PostgreSQL keeps the dead catalog rows until a vacuum:
 * on a server without autovacuum (this machine's), a shared database's catalog grew to 300 MB,
 * and every DDL statement and catalog lookup slowed with it. A database dropped at the end takes
 * its catalog with it. None when VIGIE_TEST_PG_URL names the database, with VIGIE_TEST_PG=off,
 * or when PostgreSQL does not answer (the tests then say so themselves). Databases of runs
 * that were killed are dropped by the next run.
 */
const DEFAULT_PG_URL = 'postgres://root@127.0.0.1:5432/test'; // test/helpers/stores.ts's default
async function runDatabase() {
  if (process.env.VIGIE_TEST_PG === 'off' || process.env.VIGIE_TEST_PG_URL) return null;
  const { default: pg } = await import('pg');
  const admin = async (fn) => {
    const client = new pg.Client({ connectionString: DEFAULT_PG_URL, connectionTimeoutMillis: 5_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  try {
    const name = `vigie_run_${process.pid}_${randomBytes(3).toString('hex')}`;
    await admin(async (client) => {
      const { rows } = await client.query(`select datname from pg_catalog.pg_database where datname like 'vigie\\_run\\_%'`);
      for (const { datname } of rows) {
        const pid = Number(/^vigie_run_(\d+)_/.exec(datname)?.[1]);
        if (pid && !processAlive(pid)) await client.query(`drop database if exists "${datname}" with (force)`).catch(() => undefined);
      }
      await client.query(`create database "${name}"`);
    });
    const url = new URL(DEFAULT_PG_URL);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => admin((client) => client.query(`drop database if exists "${name}" with (force)`)).catch(() => undefined) };
  } catch {
    return null;
  }
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}
const RUN_DB = await runDatabase();

/** A check (typecheck, arrows): its output and exit code, as a job's result. */
function runCommand(job) {
  return new Promise((resolve) => {
    const started = performance.now();
    const [cmd, ...rest] = job.command;
    const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    const finish = (code, why) => {
      const ms = performance.now() - started;
      let output = Buffer.concat(chunks).toString('utf8');
      if (why) output += `\n✖ ${job.name}: ${why}\n`;
      const ok = code === 0;
      resolve({ ...job, ok, ms, cpuMs: null, output, perFile: new Map(), failedFiles: ok ? [] : [job.name] });
    };
    child.on('error', (error) => finish(1, error.message));
    child.on('close', (code, signal) => finish(code, code === 0 ? null : `exited with ${signal ?? `code ${code}`}`));
  });
}

/**
 * On a first run (no tsx cache in the test processes' temp folder: a fresh clone, a new
 * machine), one process loads the sources and builds the tests' reference snapshot before the
 * test processes start, while the checks run: otherwise each of the three groups compiled the
 * same sources and built the same snapshot at the same time (a fresh clone's quick suite used
 * about 20 s more CPU than the next run). A later run skips it.
 */
const WARM_UP = [
  "const { sharedReference } = await import('./test/helpers/reference.ts');",
  'sharedReference();',
  "await import('./src/index.ts');",
  "await import('./adapters/slack/index.ts');",
  "await import('./adapters/discord/index.ts');",
].join(' ');
const tsxCache = join(TEST_TMPDIR ?? tmpdir(), `tsx-${process.getuid?.() ?? 'user'}`);
const warmingUp = suite === 'quick' && filters.length === 0 && !solo && !existsSync(tsxCache)
  ? new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WARM_UP], {
        env: { ...process.env, NODE_ENV: 'test', ...(TEST_TMPDIR ? { TMPDIR: TEST_TMPDIR } : {}) },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      // A failed warm-up only loses its time: the tests then do the work, and report what fails.
      child.on('close', () => resolve());
      child.on('error', () => resolve());
    })
  : null;

async function runJob(job) {
  if (job.command) return runCommand(job);
  if (warmingUp) await warmingUp;
  return new Promise((resolve) => {
    const started = performance.now();
    // --test-force-exit: a file left with open handles (a server a failed test did not close) does not keep the run alive.
    const cpuFile = join(CPU_DIR, `${process.pid}-${jobCount++}`);
    const entry = job.group ? GROUP_ENTRY : job.files[0];
    const profile = process.env.VIGIE_TEST_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VIGIE_TEST_CPU_PROF}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', CPU_HOOK, '--import', 'tsx', '--test-reporter=spec', '--test-force-exit', entry], {
      env: { ...process.env, NODE_ENV: 'test', ...(TEST_TMPDIR ? { TMPDIR: TEST_TMPDIR } : {}), ...(RUN_DB ? { VIGIE_TEST_PG_URL: RUN_DB.url } : {}), ...job.env, VIGIE_TEST_CPU_FILE: cpuFile, ...(job.group ? { VIGIE_TEST_GROUP: JSON.stringify(job.files) } : {}) },
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
        for (const m of output.matchAll(/^# cpu (\S+\.test\.ts) (\d+)$/gm)) {
          const known = perFile.get(m[1]);
          if (known) known.cpuMs = Number(m[2]);
        }
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
    const what = result.command ? result.name : result.group ? `${result.files.length} files in one process: ${result.files.join(', ')}` : result.files[0];
    console.log(`\n# ${result.ok ? 'ok' : 'FAILED'} ${what}${where} (${seconds(result)})\n${result.output.trimEnd()}`);
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
const wall = (performance.now() - started) / 1000;
await RUN_DB?.drop();

// Remember the durations of the main pass for the next run's order.
const learned = { ...times };
// A grouped file's CPU when known: its wall time depends on which files shared the cores with it.
for (const r of results) if (!r.pass) for (const [file, t] of r.perFile) if (r.files.includes(file)) learned[file] = Math.round(t.cpuMs ?? t.ms);
try {
  mkdirSync(join(tmpdir(), 'vigie-test-times'), { recursive: true });
  writeFileSync(TIMES_FILE, JSON.stringify(learned));
} catch {
  // Only a hint.
}

const count = (key) => results.reduce((n, r) => n + Number(new RegExp(`^ℹ ${key} (\\d+)$`, 'm').exec(r.output)?.[1] ?? 0), 0);
const failed = results.filter((r) => !r.ok);
const checks = results.filter((r) => r.command);
const processes = results.length - checks.length;
const cpu = results.reduce((n, r) => n + (r.cpuMs ?? 0), 0) / 1000;
const summed = results.reduce((n, r) => n + r.ms, 0) / 1000;
const fileRuns = results.reduce((n, r) => n + r.files.length, 0);
console.log(`\n# ${fileRuns} files${checks.length ? ` and ${checks.length} checks (${checks.map((c) => `${c.name.split(' ')[0]} ${c.ok ? 'ok' : 'FAILED'}`).join(', ')})` : ''} run in ${wall.toFixed(1)} s (${processes} processes, ${concurrency} at once; processes' times summed ${summed.toFixed(0)} s, their CPU ${cpu.toFixed(0)} s): tests ${count('tests')}, pass ${count('pass')}, fail ${count('fail')}, cancelled ${count('cancelled')}, skipped ${count('skipped')}, todo ${count('todo')}`);
console.log(listTimes ? '# every process, longest first:' : '# slowest processes:');
const label = (r) => r.command ? r.name : (r.group ? `${r.files.length} files (${r.files.slice(0, 3).join(', ')}${r.files.length > 3 ? ', …' : ''})` : r.files[0]) + (r.pass ? ` [${r.pass.name}]` : '');
for (const r of [...results].sort((a, b) => b.ms - a.ms).slice(0, listTimes ? results.length : 8)) console.log(`#   ${seconds(r).padStart(22)}  ${label(r)}`);
if (listTimes) {
  console.log('# every file of the groups, longest first (its suite\'s time in its group, and the CPU its tests used, not counting the imports)');
  const inGroups = results.filter((r) => r.group).flatMap((r) => [...r.perFile].map(([file, t]) => ({ file, ms: t.ms, cpuMs: t.cpuMs, pass: r.pass })));
  for (const f of inGroups.sort((a, b) => b.ms - a.ms)) console.log(`#   ${`${(f.ms / 1000).toFixed(1)} s`.padStart(10)}${f.cpuMs === undefined ? '' : ` (CPU ${(f.cpuMs / 1000).toFixed(1)} s)`}  ${f.file}${f.pass ? ` [${f.pass.name}]` : ''}`);
}
if (failed.length > 0) {
  console.log('# FAILED:');
  for (const r of failed) for (const file of r.failedFiles) console.log(`#   ${file}${r.pass ? ` [${r.pass.name}: ${Object.entries(r.pass.env).map(([k, v]) => `${k}=${v}`).join(' ')}]` : ''}${r.group ? ' (in a group: `node scripts/run-tests.mjs --solo FILE` runs it alone)' : ''}`);
}
process.exit(failed.length > 0 ? 1 : 0);
