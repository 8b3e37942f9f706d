/**
 * `vigie report "…"` (#15): records a report as a chat message would, with platform 'cli',
 * and says how many people reported the same; `vigie db purge` deletes reports older than
 * VIGIE_REPORT_RETENTION. On a SQLite file and on PostgreSQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/index.js';
import { runVigie } from '../helpers/cli.js';
import { TEST_NOW } from '../helpers/clock.js';
import { describeWithStores, freshStoreUrl } from '../helpers/stores.js';

const SECRET = 'cli-report-secret-0123456789';
const DAY = 24 * 60 * 60 * 1000;
const at = (ms: number) => new Date(TEST_NOW.getTime() + ms).toISOString();

describeWithStores('vigie report', (kind) => {
  test('GIVEN two reports from this terminal THEN both are stored for platform cli, the person counted once, the reply thanks and never says forwarded', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    try {
      const env = { VIGIE_STORE_URL: url, VIGIE_REPORT_SECRET: SECRET };
      const first = await runVigie(['report', "l'ENT ne marche pas à Montpellier, mon 06 12 34 56 78"], { ...env, VIGIE_NOW: at(0) });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Merci, c'est noté\. Vous êtes la première personne à signaler un problème avec ENT à Montpellier depuis 30 min ; aucune information officielle pour l'instant\./);
      // Read as a question by `ask`, it is still a report for `report`.
      const second = await runVigie(['report', '--json', 'ENT Montpellier'], { ...env, VIGIE_NOW: at(60_000) });
      assert.equal(second.code, 0, second.stderr);
      const answer = JSON.parse(second.stdout) as { intent: string; kind: string; answer: { full: string } };
      assert.equal(answer.kind, 'report');
      assert.match(answer.answer.full, /Vous êtes la première personne/);
      assert.doesNotMatch(first.stdout + answer.answer.full, /transm|forward/i);
      assert.doesNotMatch(first.stderr + second.stderr, /VIGIE_REPORT_SECRET is not set/);
      const store = await openStore(url);
      try {
        const rows = await store.db.kysely.selectFrom('reports').selectAll().orderBy('id').execute();
        assert.deepEqual(
          rows.map((r) => [r.platform, r.service, r.place_kind, r.place_code, r.text]),
          [
            ['cli', 'ent', 'commune', '34172', "l'ENT ne marche pas à Montpellier, mon [téléphone]"],
            ['cli', 'ent', 'commune', '34172', 'ENT Montpellier'],
          ],
        );
        assert.equal(rows[0]?.reporter, rows[1]?.reporter);
      } finally {
        await store.close();
      }
      // `ask` only shows how a message is read: nothing stored.
      const asked = await runVigie(['ask', "l'ENT ne marche pas à Montpellier"], { ...env, VIGIE_NOW: at(120_000) });
      assert.equal(asked.code, 0, asked.stderr);
      // Eight days later the purge deletes them (default 7 days); a shorter retention is honoured.
      const kept = await runVigie(['db', 'purge', '--json'], { ...env, VIGIE_NOW: at(6 * DAY), VIGIE_REPORT_RETENTION: '7d' });
      assert.equal((JSON.parse(kept.stdout) as { reports: number }).reports, 0);
      const purged = await runVigie(['db', 'purge'], { ...env, VIGIE_NOW: at(6 * DAY), VIGIE_REPORT_RETENTION: '36h' });
      assert.equal(purged.code, 0, purged.stderr);
      assert.match(purged.stdout, /2 signalement\(s\)\/report\(s\) \(plus de\/older than 36 h\)/);
    } finally {
      await cleanup();
    }
  });

  test('GIVEN no text, or a scenario THEN report refuses with usage (exit 2); a bad VIGIE_REPORT_RETENTION is named', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    try {
      const empty = await runVigie(['report'], { VIGIE_STORE_URL: url });
      assert.equal(empty.code, 2);
      assert.match(empty.stderr, /report needs the text of the report/);
      const scenario = await runVigie(['report', '--scenario', '2020-03-17', 'ENT en panne'], { VIGIE_STORE_URL: url });
      assert.equal(scenario.code, 2);
      const bad = await runVigie(['report', 'ENT en panne'], { VIGIE_STORE_URL: url, VIGIE_REPORT_RETENTION: '7 weeks' });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /VIGIE_REPORT_RETENTION/);
    } finally {
      await cleanup();
    }
  });
});
