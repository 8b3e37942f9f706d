/**
 * The operations commands: `vigie db migrate|status|backup|purge`, `vigie health` (`vigie
 * subscriptions export|import`: cli-subscriptions-io.test.ts). Run in-process through runCli
 * (the same code bin/vigie.js runs; one test runs the real binary for its exit codes) on a real
 * SQLite file and, where it matters, on PostgreSQL.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVigie } from '../helpers/cli.js';
import { FixedClock } from '../../src/base/clock.js';
import { createRuntime } from '../../src/runtime.js';
import { openStore } from '../../src/store/index.js';
import { sharedReference } from '../helpers/bot.js';
import { TEST_NOW, testClockEnv } from '../helpers/clock.js';
import { freshPgUrl, freshStoreUrl, pgSkipReason, TEST_PG_URL } from '../helpers/stores.js';
import { admin, subscribeChannels } from '../delivery/helpers.js';

const DAY = 24 * 60 * 60 * 1000;

/** Runs `vigie ARGS` in this process; what it wrote and its exit code. */
const vigie = (args: string[], env: NodeJS.ProcessEnv, stdin = '') => runVigie(args, { USER: 'ops-test', ...env }, stdin);

describe('vigie db and health on a SQLite file', () => {
  test('GIVEN no store file THEN health fails naming it; db migrate creates it; then status, health and a second migrate say it is up to date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-ops-'));
    const env = { VIGIE_STORE_URL: `sqlite://${join(dir, 'v.sqlite')}`, ...testClockEnv() };
    try {
      const missing = await vigie(['health'], env);
      assert.equal(missing.code, 1);
      assert.match(missing.stdout, /✗ base injoignable : no store file at .*v\.sqlite.*\/ store unreachable/);
      assert.equal(existsSync(join(dir, 'v.sqlite')), false, 'health does not create a store');
      const migrated = await vigie(['db', 'migrate'], env);
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stdout, /migration\(s\) appliquée\(s\) \/ applied: 2026-12-02-01-initial/);
      const again = await vigie(['db', 'migrate'], env);
      assert.match(again.stdout, /Base déjà à jour \/ store already up to date/);
      const health = await vigie(['health', '--json'], env);
      assert.equal(health.code, 0, health.stdout);
      const report = JSON.parse(health.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
      assert.equal(report.ok, true);
      assert.deepEqual(report.checks.map((c) => c.name), ['store', 'migrations', 'deliveries']);
      const status = await vigie(['db', 'status', '--json'], env);
      const s = JSON.parse(status.stdout) as { migrations: { pending: string[] }; counts: { subscriptions: number } };
      assert.deepEqual([s.migrations.pending, s.counts.subscriptions], [[], 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN a paused workspace and deliveries nobody delivers THEN health says both and exits 1; once delivered, healthy again', async () => {
    const { url, cleanup } = await freshStoreUrl('sqlite');
    const clock = new FixedClock(TEST_NOW);
    const runtime = await createRuntime({ storeUrl: url, clock, reference: sharedReference() });
    try {
      await subscribeChannels(runtime.store, 3);
      const published = await runtime.bot.publishNotice({ services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: 'Panne.', en: 'Down.' } }, admin, 'fr');
      assert.ok(published.ok);
      await runtime.store.pauses.set({ platform: 'discord', workspace: 'G1', reason: 'token_revoked', since: TEST_NOW.toISOString(), nextCheckAt: TEST_NOW.toISOString() });
      const at = (ms: number) => ({ VIGIE_STORE_URL: url, VIGIE_NOW: new Date(TEST_NOW.getTime() + ms).toISOString() });
      const early = await vigie(['health'], at(60_000));
      assert.equal(early.code, 1);
      assert.match(early.stdout, /✗ discord\/G1 : livraisons suspendues depuis .*token_revoked.* \/ discord\/G1: deliveries paused since/);
      assert.match(early.stdout, /✓ 3 livraison\(s\) en cours, la plus ancienne depuis 1 min/);
      await runtime.store.pauses.lift('discord', 'G1');
      const late = await vigie(['health'], at(30 * 60_000));
      assert.equal(late.code, 1);
      assert.match(late.stdout, /✗ 3 livraison\(s\) en attente, dues depuis 30 min : rien ne les livre .* \/ 3 delivery\(ies\) waiting, due for 30 min: nothing is delivering them/);
      for (const d of await runtime.store.outbox.listDeliveries()) await runtime.store.outbox.saveDelivery({ ...d, state: 'delivered', deliveredAt: TEST_NOW.toISOString() });
      const fine = await vigie(['health'], at(31 * 60_000));
      assert.equal(fine.code, 0, fine.stdout);
      assert.match(fine.stdout, /Vigie en bonne santé \/ healthy/);
    } finally {
      await runtime.close();
      await cleanup();
    }
  });

  test('GIVEN a store in use THEN db backup writes a copy that opens with the same data, and refuses to overwrite a file', async () => {
    const { url, cleanup } = await freshStoreUrl('sqlite');
    const dir = mkdtempSync(join(tmpdir(), 'vigie-backup-'));
    const store = await openStore(url);
    try {
      await subscribeChannels(store, 5);
      const target = join(dir, 'copy.sqlite');
      // The store stays open (as the running bot holds it) while the copy is taken.
      const r = await vigie(['db', 'backup', target], { VIGIE_STORE_URL: url });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /écrite dans \/ backup written to .*copy\.sqlite/);
      const copy = await openStore(`sqlite://${target}`);
      assert.equal((await copy.subscriptions.listAll()).length, 5);
      await copy.close();
      const twice = await vigie(['db', 'backup', target], { VIGIE_STORE_URL: url });
      assert.equal(twice.code, 1);
      assert.match(twice.stderr, /existe déjà .* \/ already exists/);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      await cleanup();
    }
  });

  test('GIVEN a notice delivered 100 days ago THEN db purge deletes it (VIGIE_RETENTION_DAYS) and says how many', async () => {
    const { url, cleanup } = await freshStoreUrl('sqlite');
    const runtime = await createRuntime({ storeUrl: url, clock: new FixedClock(TEST_NOW), reference: sharedReference() });
    try {
      await subscribeChannels(runtime.store, 2);
      const published = await runtime.bot.publishNotice({ services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: 'Panne.', en: 'Down.' } }, admin, 'fr');
      assert.ok(published.ok);
      for (const d of await runtime.store.outbox.listDeliveries()) await runtime.store.outbox.saveDelivery({ ...d, state: 'delivered', deliveredAt: TEST_NOW.toISOString() });
      const env = { VIGIE_STORE_URL: url, VIGIE_NOW: new Date(TEST_NOW.getTime() + 100 * DAY).toISOString() };
      const kept = await vigie(['db', 'purge', '--json'], { ...env, VIGIE_RETENTION_DAYS: '120' });
      assert.deepEqual(JSON.parse(kept.stdout), { deliveries: 0, notices: 0, rootMessages: 0, audit: 0, reports: 0, policy: { days: 120, auditDays: 365, reportMs: 7 * DAY } });
      const r = await vigie(['db', 'purge'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Supprimé \/ purged: 2 livraison\(s\)\/deliveries, 1 avis\/notices/);
      assert.equal(await runtime.store.outbox.getNotice(published.notice.id), null);
    } finally {
      await runtime.close();
      await cleanup();
    }
  });
});

describe('vigie db and health on PostgreSQL', { skip: pgSkipReason() ?? false }, () => {
  test('GIVEN a password in VIGIE_STORE_URL THEN status, health, backup advice and errors never print it', async () => {
    const { url, cleanup } = await freshPgUrl();
    const withPassword = url.replace('postgres://root@', 'postgres://root:hunter22secret@');
    try {
      const env = { VIGIE_STORE_URL: withPassword, ...testClockEnv() };
      const outputs = [
        await vigie(['db', 'migrate'], env),
        await vigie(['db', 'status'], env),
        await vigie(['health'], env),
        await vigie(['db', 'backup', '/tmp/never-written.dump'], env),
        await vigie(['health'], { VIGIE_STORE_URL: 'postgres://root:hunter22secret@127.0.0.1:1/test' }),
        await vigie(['subscriptions', 'export'], env),
      ];
      assert.deepEqual(
        outputs.map((o) => o.code),
        [0, 0, 0, 1, 1, 0],
        outputs.map((o) => o.stderr).join('\n'),
      );
      // The URL without its password (the tests' database: `test`, or the one the runner made for the run).
      const database = new URL(TEST_PG_URL).pathname.slice(1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.match(outputs[3]!.stderr, new RegExp(`pg_dump --schema=vt_\\S+ --format=custom --file=/tmp/never-written\\.dump 'postgres://root@127\\.0\\.0\\.1:5432/${database}'`));
      assert.match(outputs[4]!.stdout, /✗ base injoignable : cannot reach the store postgres:\/\/root@127\.0\.0\.1:1\/test/);
      for (const o of outputs) assert.doesNotMatch(o.stdout + o.stderr, /hunter22/);
    } finally {
      await cleanup();
    }
  });
});
