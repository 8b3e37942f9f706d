/**
 * The operations commands: `vigie db migrate|status|backup|purge`, `vigie subscriptions
 * export|import`, `vigie health`. Run in-process through runCli (the same code bin/vigie.js
 * runs; one test runs the real binary for its exit codes) on a real SQLite file and, where
 * it matters, on PostgreSQL.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runVigie } from '../helpers/cli.js';
import { FixedClock } from '../../src/base/clock.js';
import { createRuntime } from '../../src/runtime.js';
import { openStore } from '../../src/store/index.js';
import { sharedReference } from '../helpers/bot.js';
import { TEST_NOW, testClockEnv } from '../helpers/clock.js';
import { describeStores, freshPgUrl, freshStoreUrl, pgSkipReason } from '../helpers/stores.js';
import { admin, subscribeChannels } from '../delivery/helpers.js';

const DAY = 24 * 60 * 60 * 1000;

/** Runs `vigie ARGS` in this process; what it wrote and its exit code. */
const vigie = (args: string[], env: NodeJS.ProcessEnv, stdin = '') => runVigie(args, { USER: 'ops-test', ...env }, stdin);

const line = (o: Record<string, unknown>) => JSON.stringify(o);
const GOOD = [
  line({ platform: 'slack', workspace: 'T024BE7LD', channel: 'C024BE91L', service: 'ent', place: 'region:76' }),
  line({ platform: 'slack', workspace: 'T024BE7LD', channel: 'C024BE91M', service: '*', place: 'departement:31', levels: ['college', 'lycee'], audience: 'staff' }),
  line({ platform: 'discord', workspace: '81384788765712384', channel: '81384788765712385', service: 'ent', place: 'national' }),
  line({ platform: 'discord', workspace: '81384788765712384', channel: '81384788765712386', service: 'pronote', place: 'commune:31555', active: false }),
];

function tempFile(name: string, text: string): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-ops-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describeStores('vigie subscriptions import and export', (kind) => {
  test('GIVEN a JSON Lines file THEN every subscription is loaded; importing it again changes nothing; export gives the same lines back', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const file = tempFile('subs.jsonl', `${GOOD.join('\n')}\n\n`);
    try {
      const env = { VIGIE_STORE_URL: url, ...testClockEnv() };
      const first = await vigie(['subscriptions', 'import', file.path], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /4 abonnement\(s\) importé\(s\) : 4 ajouté\(s\).*4 added, 0 already there/);
      const again = await vigie(['subscriptions', 'import', file.path], env);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /0 added, 4 already there/);
      const exported = await vigie(['subscriptions', 'export'], env);
      assert.equal(exported.code, 0, exported.stderr);
      assert.deepEqual(exported.stdout.trim().split('\n').sort(), [...GOOD].sort());
      // What the bot then sees: places named and located, levels, audience and paused state kept.
      const store = await openStore(url);
      try {
        const subs = await store.subscriptions.listAll();
        assert.equal(subs.length, 4);
        const toulouse = subs.find((s) => s.place.kind === 'commune')!;
        assert.deepEqual([toulouse.place.name, toulouse.active, toulouse.createdBy], ['Toulouse', false, 'cli:ops-test']);
        const staff = subs.find((s) => s.audience === 'staff')!;
        assert.deepEqual([staff.service, staff.levels, staff.place.name], ['*', ['college', 'lycee'], 'Haute-Garonne']);
        const candidates = await store.subscriptions.candidates({ services: ['ent'], places: [{ kind: 'departement', code: '31' }], ancestors: [{ kind: 'region', code: '76' }] });
        assert.deepEqual(candidates.map((s) => s.channel).sort(), ['81384788765712385', 'C024BE91L', 'C024BE91M']);
        assert.equal((await store.audit.list()).filter((e) => e.action === 'subscriptions.import' && e.outcome === 'ok').length, 2);
      } finally {
        await store.close();
      }
    } finally {
      file.cleanup();
      await cleanup();
    }
  });

  test('GIVEN subscriptions already there THEN a line without `active` sets levels and audience and keeps the state and author; `active` sets the state; only new lines count as added', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const region76 = { kind: 'region' as const, code: '76', name: 'Occitanie' };
    let store = await openStore(url);
    try {
      const paused = (await store.subscriptions.add({ platform: 'slack', workspace: 'T024BE7LD', channel: 'C024BE91L', service: 'ent', place: region76, createdBy: 'slack:U1' })).subscription;
      await store.subscriptions.update(paused.id, { active: false, failures: 2 });
      await store.subscriptions.add({ platform: 'slack', workspace: 'T024BE7LD', channel: 'C024BE91M', service: 'ent', place: region76, createdBy: 'slack:U2' });
    } finally {
      await store.close();
    }
    const file = tempFile(
      'update.jsonl',
      [
        line({ platform: 'slack', workspace: 'T024BE7LD', channel: 'C024BE91L', service: 'ent', place: 'region:76', levels: ['lycee'], audience: 'families' }),
        line({ platform: 'slack', workspace: 'T024BE7LD', channel: 'C024BE91M', service: 'ent', place: 'region:76', active: false }),
        line({ platform: 'slack', workspace: 'T024BE7LD', channel: 'C024BE91N', service: 'ent', place: 'region:76' }),
      ].join('\n'),
    );
    try {
      const r = await vigie(['subscriptions', 'import', file.path], { VIGIE_STORE_URL: url, ...testClockEnv() });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1 added, 2 already there/);
      store = await openStore(url);
      try {
        const byChannel = new Map((await store.subscriptions.listAll()).map((s) => [s.channel, s]));
        const l = byChannel.get('C024BE91L')!;
        assert.deepEqual([l.levels, l.audience, l.active, l.failures, l.createdBy], [['lycee'], 'families', false, 2, 'slack:U1']);
        const m = byChannel.get('C024BE91M')!;
        assert.deepEqual([m.levels, m.audience, m.active, m.createdBy], [[], 'all', false, 'slack:U2']);
        const n = byChannel.get('C024BE91N')!;
        assert.deepEqual([n.active, n.createdBy, n.place.name], [true, 'cli:ops-test', 'Occitanie']);
        // Targeting sees the import (the copy of the subscriptions caught up).
        const candidates = await store.subscriptions.candidates({ services: ['ent'], places: [{ kind: 'region', code: '76' }], ancestors: [] });
        assert.deepEqual(candidates.map((s) => s.channel), ['C024BE91N']);
      } finally {
        await store.close();
      }
    } finally {
      file.cleanup();
      await cleanup();
    }
  });

  test('GIVEN more lines than one statement writes (12,000, one subscription given twice) THEN every subscription is loaded once, the last line winning, and counted', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const channels = 12_000;
    const lines = Array.from({ length: channels }, (_, i) => line({ platform: 'slack', workspace: `T${i % 7}`, channel: `C${i}`, service: 'ent', place: i % 2 === 0 ? 'region:76' : 'departement:31' }));
    // Channel 3 again at the end, for staff: the last line wins.
    lines.push(line({ platform: 'slack', workspace: 'T3', channel: 'C3', service: 'ent', place: 'departement:31', audience: 'staff' }));
    const file = tempFile('many.jsonl', lines.join('\n'));
    try {
      const env = { VIGIE_STORE_URL: url, ...testClockEnv() };
      const first = await vigie(['subscriptions', 'import', file.path], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /12000 added, 0 already there/);
      const again = await vigie(['subscriptions', 'import', file.path], env);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /0 added, 12000 already there/);
      const store = await openStore(url);
      try {
        const all = await store.subscriptions.listAll();
        assert.equal(all.length, channels);
        assert.equal(new Set(all.map((s) => s.channel)).size, channels);
        assert.deepEqual(
          all.filter((s) => s.audience !== 'all').map((s) => [s.channel, s.audience]),
          [['C3', 'staff']],
        );
        const occitanie = await store.subscriptions.candidates({ services: ['ent'], places: [{ kind: 'departement', code: '31' }], ancestors: [{ kind: 'region', code: '76' }] });
        assert.equal(occitanie.length, channels);
        assert.equal(all.filter((s) => s.place.kind === 'departement').length, channels / 2);
      } finally {
        await store.close();
      }
    } finally {
      file.cleanup();
      await cleanup();
    }
  });

  test('GIVEN a file with bad lines THEN each problem is reported with its line number in French and English, the exit code is 1, and nothing is loaded', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const bad = [
      GOOD[0],
      line({ platform: 'slack', workspace: 'T1', channel: 'C1', service: 'cantine', place: 'region:76' }),
      '{"platform": "slack",',
      line({ platform: 'teams', workspace: 'T1', channel: 'C1', service: 'ent', place: 'region:76' }),
      line({ platform: 'slack', workspace: 'C024BE91L', channel: 'T024BE7LD', service: 'ent', place: 'region:76' }),
      line({ platform: 'slack', workspace: 'T1', channel: 'C2', service: 'ent', place: 'Occitanie' }),
      line({ platform: 'slack', workspace: 'T1', channel: 'C3', service: 'ent', place: 'region:76', levels: ['maternelle'], colour: 'red' }),
      line({ platform: 'slack', workspace: 'T1', channel: 'C4', place: 'region:76' }),
      GOOD[1],
    ];
    const file = tempFile('bad.jsonl', bad.join('\n'));
    try {
      const r = await vigie(['subscriptions', 'import', file.path], { VIGIE_STORE_URL: url, ...testClockEnv() });
      assert.equal(r.code, 1);
      const expected: [number, RegExp][] = [
        [2, /ligne 2 : service inconnu « cantine ».* \/ line 2: unknown service "cantine"/],
        [3, /ligne 3 : ce n’est pas un objet JSON \/ line 3: not a JSON object/],
        [4, /ligne 4 : platform : attendu .*slack, discord.* \/ line 4: platform: expected one of slack, discord/],
        [5, /ligne 5 : workspace « C024BE91L » n’est pas un identifiant slack.* \/ line 5: workspace "C024BE91L" is not a slack id/],
        [6, /ligne 6 : lieu inconnu « Occitanie ».* \/ line 6: unknown place "Occitanie"/],
        [7, /ligne 7 : .*levels.* \/ line 7: .*levels/],
        [7, /ligne 7 : champ\(s\) inconnu\(s\) : colour \/ line 7: unknown field\(s\): colour/],
        [8, /ligne 8 : service manquant \/ line 8: service is missing/],
      ];
      for (const [, pattern] of expected) assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /ligne (1|9) /, 'good lines are not reported');
      assert.match(r.stderr, /7 ligne\(s\) en erreur sur 9 : rien n'a été importé \/ 7 bad line\(s\) out of 9: nothing was imported/);
      const store = await openStore(url);
      try {
        assert.deepEqual(await store.subscriptions.listAll(), [], 'all or nothing: the good lines are not loaded either');
      } finally {
        await store.close();
      }
    } finally {
      file.cleanup();
      await cleanup();
    }
  });
});

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
      assert.match(outputs[3]!.stderr, /pg_dump --schema=vt_\S+ --format=custom --file=\/tmp\/never-written\.dump 'postgres:\/\/root@127\.0\.0\.1:5432\/test'/);
      assert.match(outputs[4]!.stdout, /✗ base injoignable : cannot reach the store postgres:\/\/root@127\.0\.0\.1:1\/test/);
      for (const o of outputs) assert.doesNotMatch(o.stdout + o.stderr, /hunter22/);
    } finally {
      await cleanup();
    }
  });
});
