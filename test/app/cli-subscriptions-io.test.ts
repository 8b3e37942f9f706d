/**
 * `vigie subscriptions export|import` (split from cli-ops.test.ts): run in-process through
 * runCli on a real SQLite file and on PostgreSQL. The output has no time in it, so the file is
 * not in the extra clock passes (NOT_CLOCK_SENSITIVE in scripts/run-tests.mjs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVigie } from '../helpers/cli.js';
import { openStore } from '../../src/store/index.js';
import { testClockEnv } from '../helpers/clock.js';
import { describeWithStores, freshStoreUrl } from '../helpers/stores.js';

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

describeWithStores('vigie subscriptions import and export', (kind) => {
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
