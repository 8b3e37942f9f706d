import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { testClockEnv } from '../helpers/clock.js';
import { runVigie } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'content', 'notices', 'example-ent-occitanie.yaml');

/** Runs `vigie ARGS` (in this process, as a fresh command would) on the test clock, in a French locale unless `env` says otherwise. */
const vigie = (args: string[], env: NodeJS.ProcessEnv) => runVigie(args, { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', ...testClockEnv(), ...env });

describe('vigie notice and audit (commands one after the other on one SQLite file)', () => {
  test('GIVEN channels following Occitanie, Toulouse and Hérault THEN the example notice targets the first two; dry-run stores nothing; publish writes the outbox; status, list and audit show it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-notice-'));
    const url = `sqlite://${join(dir, 'v.sqlite')}`;
    try {
      const store = await openStore(url);
      const place = (kind: 'region' | 'commune' | 'departement', code: string, name: string) => ({ kind, code, name });
      await store.subscriptions.add({ platform: 'slack', workspace: 'T1', channel: 'C1', service: 'ent', place: place('region', '76', 'Occitanie'), createdBy: 'U1' });
      await store.subscriptions.add({ platform: 'discord', workspace: '111111111111111111', channel: '222222222222222222', service: '*', place: place('commune', '31555', 'Toulouse'), createdBy: 'U2' });
      await store.subscriptions.add({ platform: 'discord', workspace: '111111111111111111', channel: '333333333333333333', service: 'ent', place: place('departement', '34', 'Hérault'), levels: ['ecole'], createdBy: 'U3' });
      await store.close();
      const env = { VIGIE_STORE_URL: url };

      const dry = await vigie(['notice', 'publish', '--file', EXAMPLE, '--dry-run', '--json'], env);
      assert.equal(dry.code, 0, dry.stderr);
      const preview = JSON.parse(dry.stdout) as { ok: boolean; dryRun: boolean; targets: { total: number; byPlatform: Record<string, number> } };
      assert.equal(preview.dryRun, true);
      assert.equal(preview.targets.total, 2);
      assert.deepEqual(preview.targets.byPlatform, { slack: 1, discord: 1 });
      assert.match((await vigie(['notice', 'list'], env)).stdout, /^\s*$|aucun|no notice/i);

      const pub = await vigie(['notice', 'publish', '--file', EXAMPLE, '--json'], env);
      assert.equal(pub.code, 0, pub.stderr);
      const published = JSON.parse(pub.stdout) as { ok: boolean; notice: string; incident: string | null };
      assert.equal(published.ok, true);
      assert.ok(published.incident, 'the notice opened an incident');

      const status = await vigie(['notice', 'status', published.notice, '--json'], env);
      assert.equal(status.code, 0, status.stderr);
      const progress = JSON.parse(status.stdout) as { total: number; pending: number; delivered: number };
      assert.equal(progress.total, 2);
      assert.equal(progress.pending + progress.delivered, 2);

      const list = (await vigie(['notice', 'list'], { ...env, TZ: 'Pacific/Auckland' })).stdout;
      assert.match(list, new RegExp(published.notice));
      // Listings on the Paris clock, whatever the machine's zone (--json keeps ISO-8601).
      const publishedAt = (JSON.parse((await vigie(['notice', 'list', '--json'], env)).stdout.trim()) as { publishedAt: string }).publishedAt;
      const paris = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(publishedAt));
      assert.ok(list.includes(`\t${paris} (Paris)\t`), `${paris} in ${list}`);
      assert.doesNotMatch(list, /T\d\d:\d\d:\d\d/);
      assert.match((await vigie(['audit'], { ...env, TZ: 'Pacific/Auckland' })).stdout, /^\d+\t\d{4}-\d\d-\d\d \d\d:\d\d \(Paris\)\t/m);
      const audit = await vigie(['audit', '--json'], env);
      assert.equal(audit.code, 0, audit.stderr);
      const actions = audit.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { action: string }).action);
      assert.ok(actions.includes('incident.open'));
      assert.ok(actions.includes('notice.publish'));

      const answer = await vigie(['ask', '--json', 'ENT Montpellier ?'], env);
      assert.equal((JSON.parse(answer.stdout) as { status: string }).status, 'major_outage');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN the example published THEN publishing the same file again is recognised (exit 0, nothing new); --again is refused as an identical open incident, naming it, exit 1; --again --force opens a second one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-notice-'));
    try {
      const env = { VIGIE_STORE_URL: `sqlite://${join(dir, 'v.sqlite')}` };
      const first = await vigie(['notice', 'publish', '--file', EXAMPLE, '--json'], env);
      assert.equal(first.code, 0, first.stderr);
      const published = JSON.parse(first.stdout) as { notice: string; incident: string };
      const twice = await vigie(['notice', 'publish', '--file', EXAMPLE], env);
      assert.equal(twice.code, 0, twice.stderr);
      assert.match(twice.stdout, new RegExp(`Cet avis a déjà été publié \\(${published.notice}\\)`));
      const again = await vigie(['notice', 'publish', '--file', EXAMPLE, '--again'], env);
      assert.equal(again.code, 1);
      assert.ok(again.stderr.includes(`déjà ouvert : « ${published.incident} »`), again.stderr);
      assert.ok(again.stderr.includes(`« id: ${published.incident} »`), 'how to update it');
      assert.match(again.stderr, /ajoutez --force/);
      const json = await vigie(['notice', 'publish', '--file', EXAMPLE, '--again', '--json'], env);
      assert.equal((JSON.parse(json.stdout) as { openIncident: string }).openIncident, published.incident);
      const forced = await vigie(['notice', 'publish', '--file', EXAMPLE, '--again', '--force', '--json'], env);
      assert.equal(forced.code, 0, forced.stderr);
      assert.notEqual((JSON.parse(forced.stdout) as { incident: string }).incident, published.incident);
      assert.equal((await vigie(['notice', 'list'], env)).stdout.trim().split('\n').length, 2, 'two notices: the first and the forced one');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN an invalid notice file THEN exit code 1 with the field named, and nothing published', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-notice-'));
    try {
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, 'services: [ent]\nplaces: Trifouillis-les-Oies\ntext: { fr: "" }\n');
      const r = await vigie(['notice', 'publish', '--file', file], { VIGIE_STORE_URL: `sqlite://${join(dir, 'v.sqlite')}` });
      assert.equal(r.code, 1);
      assert.match(r.stdout + r.stderr, /text/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN notice without a subcommand or an unknown id THEN usage (2) or a clear miss (1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-notice-'));
    try {
      const env = { VIGIE_STORE_URL: `sqlite://${join(dir, 'v.sqlite')}` };
      assert.equal((await vigie(['notice'], env)).code, 2);
      const r = await vigie(['notice', 'status', 'nope'], env);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /nope/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN a notice file with nine problems of every kind THEN all nine are printed at once on stderr, in French by default, in English with --lang en or an English locale; nothing on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-notice-'));
    try {
      const file = join(dir, 'bad.yaml');
      writeFileSync(
        file,
        [
          'services: [ent, nope]',
          'places: Trifouillis-les-Oies',
          'levels: [college, fac]',
          'status: on_fire',
          'colour: red',
          'text: { fr: "" }',
          'source: { name: Rectorat, url: "https://www.ac-toulouse.fr/actualites covid" }',
          'incident: { action: open, recoveryAt: "25:00" }',
          '',
        ].join('\n'),
      );
      const env = { VIGIE_STORE_URL: `sqlite://${join(dir, 'v.sqlite')}` };
      const fr = await vigie(['notice', 'publish', '--file', file], env);
      assert.equal(fr.code, 1);
      assert.equal(fr.stdout, '');
      const expectFr = [/levels\.1 : une de ces valeurs/, /status : une de ces valeurs/, /text\.fr : ne doit pas être vide/, /source\.url : une adresse web complète/, /champ\(s\) inconnu\(s\) : colour/, /un seul service/, /Service inconnu : « nope »/, /Lieu inconnu : « Trifouillis-les-Oies »/, /incident\.recoveryAt : une heure est attendue/];
      for (const line of expectFr) assert.match(fr.stderr, line);
      assert.doesNotMatch(fr.stderr, /Invalid|expected|Unknown/, 'no English in French output');
      for (const en of [await vigie(['notice', 'publish', '--lang', 'en', '--file', file], env), await vigie(['notice', 'publish', '--file', file], { ...env, LANG: 'en_GB.UTF-8' })]) {
        assert.equal(en.code, 1);
        for (const line of [/levels\.1: one of these values/, /text\.fr: must not be empty/, /source\.url: a full web address/, /Unknown place: “Trifouillis-les-Oies”/, /incident\.recoveryAt: a time is expected/]) assert.match(en.stderr, line);
      }
      assert.match((await vigie(['notice', 'list'], env)).stdout, /^\s*$/, 'nothing was published');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
