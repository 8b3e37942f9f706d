/**
 * `vigie subscriptions add|list|remove` (issue 13, item 8): run in-process through runCli (the
 * code bin/vigie.js runs) on a real SQLite file and on PostgreSQL; one test runs the real
 * binary so that `notice publish --dry-run` counts the channel added from the command line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runVigie } from '../helpers/cli.js';
import { openStore } from '../../src/store/index.js';
import { testClockEnv } from '../helpers/clock.js';
import { describeWithStores, freshStoreUrl } from '../helpers/stores.js';

const SLACK = ['--platform', 'slack', '--workspace', 'T024BE7LD', '--channel', 'C024BE91L'];
const DISCORD = ['--platform', 'discord', '--guild', '81384788765712384', '--channel', '81384788765712385'];

const vigie = (args: string[], env: NodeJS.ProcessEnv) => runVigie(args, { USER: 'rectorat', ...testClockEnv(), ...env });

async function auditOf(url: string) {
  const store = await openStore(url);
  try {
    return await store.audit.list();
  } finally {
    await store.close();
  }
}

describeWithStores('vigie subscriptions add, list, remove', (kind) => {
  test('GIVEN a Slack and a Discord channel THEN add (places by name or code) stores, list shows, remove takes away, each change audited', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const env = { VIGIE_STORE_URL: url };
    try {
      const cned = await vigie(['subscriptions', 'add', ...SLACK, '--service', 'CNED', '--place', 'France'], env);
      assert.equal(cned.code, 0, cned.stderr);
      assert.match(cned.stdout, /Abonnement ajouté.*slack {2}T024BE7LD {2}C024BE91L {2}cned {2}national/);
      const ent = await vigie(['subscriptions', 'add', ...DISCORD, '--service', 'ent', '--place', 'Occitanie', '--level', 'lycee', '--audience', 'families'], env);
      assert.equal(ent.code, 0, ent.stderr);
      const again = await vigie(['subscriptions', 'add', ...SLACK, '--service', 'cned', '--place', 'national'], env);
      assert.equal(again.code, 0);
      assert.match(again.stdout, /Déjà abonné/);

      const list = await vigie(['subscriptions', 'list'], env);
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(list.stdout.trim().split('\n').sort(), [
        'discord  81384788765712384  81384788765712385  ent  region:76 (Occitanie)  lycee  families',
        'slack  T024BE7LD  C024BE91L  cned  national (France)',
      ]);
      const json = await vigie(['subscriptions', 'list', '--platform', 'discord', '--json'], env);
      const rows = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { service: string; place: { code: string }; createdBy: string; levels: string[]; audience: string });
      assert.deepEqual(rows.map((r) => [r.service, r.place.code, r.createdBy, r.levels, r.audience]), [['ent', '76', 'cli:rectorat', ['lycee'], 'families']]);

      const none = await vigie(['subscriptions', 'remove', ...SLACK], env);
      assert.equal(none.code, 1, 'neither service, place nor --all: nothing removed');
      const removed = await vigie(['subscriptions', 'remove', ...SLACK, '--service', 'cned'], env);
      assert.equal(removed.code, 0, removed.stderr);
      assert.match(removed.stdout, /Retiré.*cned/);
      assert.doesNotMatch((await vigie(['subscriptions', 'list'], env)).stdout, /slack/);

      const audit = await auditOf(url);
      const mine = audit.filter((a) => a.action.startsWith('subscription.')).map((a) => `${a.action} ${a.outcome} ${a.actor.platform}:${a.actor.user} ${a.target}`);
      assert.deepEqual(mine, [
        'subscription.add ok cli:rectorat slack/T024BE7LD/C024BE91L',
        'subscription.add ok cli:rectorat discord/81384788765712384/81384788765712385',
        'subscription.add ok cli:rectorat slack/T024BE7LD/C024BE91L',
        'subscription.remove refused cli:rectorat slack/T024BE7LD/C024BE91L',
        'subscription.remove ok cli:rectorat slack/T024BE7LD/C024BE91L',
      ]);
    } finally {
      await cleanup();
    }
  });
});

describeWithStores('vigie subscriptions add: what is refused', (kind) => {
  test('GIVEN wrong ids, an unknown service or place, or a town several communes bear THEN nothing is written, every reason is said and audited', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const env = { VIGIE_STORE_URL: url };
    try {
      const bad = await vigie(['subscriptions', 'add', '--platform', 'discord', '--guild', 'T024BE7LD', '--channel', 'C1', '--service', 'nope', '--place', 'Trifouillis-les-Oies'], env);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /workspace « T024BE7LD » n’est pas un identifiant discord/);
      assert.match(bad.stderr, /channel « C1 »/);
      assert.match(bad.stderr, /service inconnu « nope »/);
      assert.match(bad.stderr, /lieu inconnu « Trifouillis-les-Oies »/);

      const homonym = await vigie(['subscriptions', 'add', ...SLACK, '--service', 'ent', '--place', 'Saint-Denis'], env);
      assert.equal(homonym.code, 1);
      assert.match(homonym.stderr, /commune:93066 \(Saint-Denis, Seine-Saint-Denis\)/);
      assert.match(homonym.stderr, /commune:97411 \(Saint-Denis, La Réunion\)/);
      const picked = await vigie(['subscriptions', 'add', ...SLACK, '--service', 'ent', '--place', 'commune:93066'], env);
      assert.equal(picked.code, 0, picked.stderr);

      const store = await openStore(url);
      try {
        assert.deepEqual((await store.subscriptions.listAll()).map((s) => `${s.service} ${s.place.code}`), ['ent 93066']);
        const refused = (await store.audit.list()).filter((a) => a.outcome === 'refused').map((a) => a.action);
        assert.deepEqual(refused, ['subscription.add', 'subscription.add']);
      } finally {
        await store.close();
      }
    } finally {
      await cleanup();
    }
  });

  test('GIVEN the console platform, a missing channel or both --workspace and --guild THEN usage (exit 2) saying subscriptions are for Slack and Discord', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const env = { VIGIE_STORE_URL: url };
    try {
      const consoleChannel = await vigie(['subscriptions', 'add', '--platform', 'console', '--channel', 'console', '--service', 'ent', '--place', 'France'], env);
      assert.equal(consoleChannel.code, 2);
      assert.match(consoleChannel.stderr, /subscriptions are for Slack and Discord channels/);
      assert.equal((await vigie(['subscriptions', 'add', '--platform', 'slack', '--workspace', 'T1', '--service', 'ent', '--place', 'France'], env)).code, 2);
      assert.equal((await vigie(['subscriptions', 'add', ...SLACK, '--guild', '1', '--service', 'ent', '--place', 'France'], env)).code, 2);
    } finally {
      await cleanup();
    }
  });
});

test('GIVEN vigie --help THEN subscriptions add, list and remove are in the usage', async () => {
  const help = await vigie(['--help'], {});
  const text = help.stdout + help.stderr;
  for (const sub of ['add', 'list', 'remove']) assert.match(text, new RegExp(`vigie subscriptions ${sub} `));
  assert.doesNotMatch(text, /\$\{/);
});
