/**
 * `vigie signals [--json] [--at TIME]` (#15): the open crowd signals computed from the reports
 * in the store, their alert groups and the probes, unconfirmed; counts and places, never what
 * people wrote.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { openStore } from '../../src/store/index.js';
import { placeLocator } from '../../src/runtime.js';
import { runVigie } from '../helpers/cli.js';
import { freshStoreUrl } from '../helpers/stores.js';
import { sharedReference } from '../helpers/reference.js';

/** A Tuesday, 08:10 in Paris. */
const MORNING = Date.parse('2026-12-01T08:10:00+01:00');
const key = (s: string) => createHash('sha256').update(s).digest('hex');
// Montpellier (Hérault), Toulouse (Haute-Garonne), Nîmes (Gard).
const COMMUNES = ['34172', '31555', '30189'];

async function storeWithReports(n: number): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const fresh = await freshStoreUrl('sqlite');
  const store = await openStore(fresh.url, { locate: placeLocator(sharedReference().gazetteer) });
  try {
    for (let i = 0; i < n; i++) {
      await store.reports.addUnlessLimited(
        {
          at: new Date(MORNING + i * 10_000),
          service: 'ent',
          place: { kind: 'commune', code: COMMUNES[i % 3]! },
          level: null,
          platform: 'slack',
          reporter: key(`person-${i}`),
          text: `<@U999> SECRET-${i} https://evil.example l'ENT plante`,
        },
        10,
        new Date(0),
      );
    }
  } finally {
    await store.close();
  }
  return fresh;
}

describe('vigie signals', () => {
  test('GIVEN 7 people reporting the ENT in three cities of Occitanie THEN the listing shows one unconfirmed signal with its reporters, first seen and top places, no related-signals section and no probe; --json the same (with its group); none of their words', async () => {
    const { url, cleanup } = await storeWithReports(7);
    try {
      const env = { VIGIE_STORE_URL: url };
      const out = await runVigie(['signals', '--at', '2026-12-01T08:12+01:00'], env);
      assert.equal(out.code, 0, out.stderr);
      const lines = out.stdout.trim().split('\n');
      assert.equal(lines[0], 'Signaux non confirmés, mardi 1 décembre 2026 à 08:12 (heure de Paris) :');
      assert.equal(lines[1], '• ENT en Occitanie : hausse · 7 personnes sur 30 min, 7 en tout · depuis 8 h 10 · surtout : Hérault (3), Gard (2), Haute-Garonne (2)');
      // One signal in its group: no related-signals section (its own line says it all).
      assert.equal(lines[2], 'Vérifications automatiques : aucune en service.');
      assert.equal(lines.length, 3);
      assert.doesNotMatch(out.stdout, /SECRET|evil|U999/);

      const json = await runVigie(['signals', '--json', '--at', '2026-12-01T08:12+01:00'], env);
      assert.equal(json.code, 0, json.stderr);
      const snapshot = JSON.parse(json.stdout) as { at: string; episodes: { service: string; place: { code: string }; reporters: number; firstSeen: string; topPlaces: { place: { name: string }; reporters: number }[] }[]; groups: unknown[]; probes: unknown[] };
      assert.equal(snapshot.at, '2026-12-01T07:12:00.000Z');
      assert.deepEqual(
        snapshot.episodes.map((e) => [e.service, e.place.code, e.reporters, e.firstSeen, e.topPlaces.map((p) => `${p.place.name}:${p.reporters}`)]),
        [['ent', '76', 7, '2026-12-01T07:10:00.000Z', ['Hérault:3', 'Gard:2', 'Haute-Garonne:2']]],
      );
      assert.equal(snapshot.groups.length, 1);
      assert.deepEqual(snapshot.probes, []);
      assert.doesNotMatch(json.stdout, /SECRET|evil|U999/);

      // Before the reports (--at 8:00), and in English: nothing open.
      const before = await runVigie(['signals', '--at', '2026-12-01T08:00+01:00'], { ...env, LANG: 'en_GB.UTF-8' });
      assert.equal(before.code, 0, before.stderr);
      assert.match(before.stdout, /^No open signal, .*8:00.* \(Paris time\)\.\n/);
    } finally {
      await cleanup();
    }
  });

  test('GIVEN a question after signals THEN it is a usage error (exit 2)', async () => {
    const { url, cleanup } = await storeWithReports(0);
    try {
      const out = await runVigie(['signals', 'ENT'], { VIGIE_STORE_URL: url });
      assert.equal(out.code, 2);
    } finally {
      await cleanup();
    }
  });
});
