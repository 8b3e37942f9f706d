/**
 * Several `npm start` instances (real child processes running the compiled bot) on one
 * PostgreSQL database, delivering one notice to 300 Slack channels in 10 workspaces through
 * the fake Slack (5 % faults; the fake takes one token for all workspaces). One instance is killed with SIGKILL while it
 * holds deliveries; the others take them over when its lease ends. Counted at the fake:
 * every channel has exactly one message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { FixedClock, ShiftedClock } from '../../src/base/clock.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { startFakeSlack, FAKE_TEAM, type FakeSlackApi } from '../fakes/slack/web-api.js';
import { FakeSocketMode } from '../fakes/slack/socket-mode.js';
import { SECRETS } from '../fakes/slack/harness.js';
import { seededRandom } from '../../src/base/prng.js';
import { sharedReference } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { spawnNode } from '../helpers/children.js';
import { freshPgUrl, pgSkipReason } from '../helpers/stores.js';
import { admin, publisherOf, subscribeChannels } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const INSTANCES = 3;
const WORKSPACES = 10;
const PER_WORKSPACE = 30;
const CHANNELS = WORKSPACES * PER_WORKSPACE;
// Long enough that the instances' clocks, each started from the shared timeline when its
// process read it, agree well within a lease (they differ by how long each took to start).
const LEASE_MS = 10_000;

type Instance = { child: ChildProcessByStdio<null, Readable, Readable>; logs: string; exited: Promise<number | null> };

/** Starts `npm start` (scripts/start.mjs, the compiled bot) with `env`; resolves once its adapter is up. */
async function startInstance(env: NodeJS.ProcessEnv, timeline: ShiftedClock): Promise<Instance> {
  // One timeline for all: each instance's clock starts where the others' are, as on synchronised hosts.
  const child = spawnNode([join(ROOT, 'scripts', 'start.mjs')], { cwd: ROOT, env: { ...env, VIGIE_NOW: timeline.now().toISOString() } });
  const instance: Instance = { child, logs: '', exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  const append = (c: Buffer) => (instance.logs += c.toString('utf8'));
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  for (let i = 0; i < 600 && !/adapter started/.test(instance.logs); i++) {
    if (child.exitCode !== null) assert.fail(`npm start exited early:\n${instance.logs}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(instance.logs, /adapter started/, 'the instance started');
  return instance;
}

/** Polls `check` every 100 ms until it is true or `ms` of real time passed; whether it became true. */
async function until(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

test('GIVEN 3 npm start instances on one PostgreSQL store and 300 channels THEN with one instance killed mid-fan-out every channel gets exactly one message', { skip: pgSkipReason() ?? false, timeout: 170_000 }, async () => {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(built.status, 0, built.stderr);
  const { url, cleanup } = await freshPgUrl();
  let slack: FakeSlackApi | null = null;
  let socket: FakeSocketMode | null = null;
  let runtime: Runtime | null = null;
  const instances: Instance[] = [];
  try {
    slack = await startFakeSlack({ workspaces: [], limits: null, faults: { rate: 0.05, seed: 404, kinds: ['500', 'timeout'] }, hangMs: 300 });
    socket = await FakeSocketMode.start();
    slack.socketUrl = socket.url;
    runtime = await createRuntime({ storeUrl: url, clock: new FixedClock(new Date(TEST_NOW)), reference: sharedReference() });
    for (let w = 1; w <= WORKSPACES; w++) await subscribeChannels(runtime.store, PER_WORKSPACE, { workspace: `T${w}`, prefix: `C${w}x` });
    const env = {
      ...process.env,
      SLACK_BOT_TOKEN: SECRETS.bot,
      SLACK_APP_TOKEN: SECRETS.app,
      SLACK_API_URL: slack.url,
      VIGIE_STORE_URL: url,
      VIGIE_LOG_LEVEL: 'info',
      VIGIE_DELIVERY_LEASE_MS: String(LEASE_MS),
    };
    const timeline = new ShiftedClock(TEST_NOW);
    for (let i = 0; i < INSTANCES; i++) instances.push(await startInstance(env, timeline));

    // Published by another process (here the test, as the CLI would): the instances hear it.
    const published = await publisherOf(runtime.bot).publish({ services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: 'ENT inaccessible.' } }, admin, 'fr');
    assert.ok(published.ok);
    assert.equal(published.targets.total, CHANNELS);

    // Killed while it holds deliveries, a third of the way through.
    const victim = instances[Math.floor(seededRandom(9)() * INSTANCES)]!;
    const holding = async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from deliveries where lease_owner like ${`%:${victim.child.pid}:%`}`.execute(runtime!.store.db.kysely);
      return rows[0]!.n;
    };
    assert.ok(await until(async () => slack!.conversations.byDelivery().size >= CHANNELS / 3 && (await holding()) > 0, 60_000), 'the fan-out reached a third with the victim holding work');
    victim.child.kill('SIGKILL');
    await victim.exited;
    const heldAtKill = await holding();
    const sentAtKill = slack.conversations.byDelivery().size;
    assert.ok(sentAtKill < CHANNELS, `killed mid-fan-out (${sentAtKill} sent)`);

    const done = await until(async () => (await runtime!.store.outbox.progress(published.notice.id))?.pending === 0, 90_000);
    const progress = await runtime.store.outbox.progress(published.notice.id);
    assert.ok(done, `all delivered: ${JSON.stringify({ ...progress, failures: progress?.failures.slice(0, 3) })}\n${instances.map((i) => i.logs.slice(-2000)).join('\n---\n')}`);
    assert.equal(progress?.delivered, CHANNELS);

    const byDelivery = slack.conversations.byDelivery();
    const deliveries = await runtime.store.outbox.listDeliveries(published.notice.id);
    const count = (id: string) => byDelivery.get(id)?.length ?? 0;
    assert.deepEqual(
      { duplicates: deliveries.filter((d) => count(d.id) > 1).map((d) => d.channel), losses: deliveries.filter((d) => count(d.id) === 0).map((d) => d.channel) },
      { duplicates: [], losses: [] },
    );
    for (const d of deliveries) assert.equal(slack.conversations.channel(FAKE_TEAM.id, d.channel).length, 1, `${d.channel} has one message`);
    assert.ok(heldAtKill > 0, 'the killed instance held deliveries that the others took over');

    for (const survivor of instances.filter((i) => i !== victim)) {
      survivor.child.kill('SIGTERM');
      assert.equal(await survivor.exited, 0, survivor.logs);
    }
  } finally {
    for (const i of instances) if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGKILL');
    await runtime?.close();
    await slack?.close();
    await socket?.close();
    await cleanup();
  }
});
