/**
 * Reports (#15, items 1 and 2): messages read as reports, through the bot, on a real SQLite
 * file and a real PostgreSQL: what is stored (pseudonymous, masked), what detection reads back,
 * retention, the per-reporter rate limit, one person counting once, and the reply's words;
 * the desk's counts from memory agreeing with the store's, across a restart; the rate limit
 * under concurrent reports (one desk, and two instances on one PostgreSQL); nothing
 * acknowledged lost at stop; a failed write answered as not recorded.
 */
import { test } from 'node:test';
import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/index.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { renderText } from '../../src/answer/index.js';
import { purgeExpired } from '../../src/store/index.js';
import { reporterKey, type ReportRecord } from '../../src/signals/reports.js';
import { openStore } from '../../src/store/index.js';
import type { ConversationRef } from '../../src/base/types.js';
import { TEST_NOW } from '../helpers/clock.js';
import { sharedReference } from '../helpers/reference.js';
import { describeStores, freshStoreUrl, type StoreKind } from '../helpers/stores.js';
import { makeIncident, recordingLogger } from './helpers.js';

const SECRET = 'test-report-secret-0123456789';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

async function withReports(kind: StoreKind, fn: (runtime: Runtime, clock: FixedClock) => Promise<void>): Promise<void> {
  const { url, cleanup } = await freshStoreUrl(kind);
  const clock = new FixedClock(new Date(TEST_NOW));
  try {
    const runtime = await createRuntime({ storeUrl: url, clock, reference: sharedReference(), reportSecret: SECRET });
    try {
      await fn(runtime, clock);
    } finally {
      await runtime.close();
    }
  } finally {
    await cleanup();
  }
}

/** A Slack user of workspace T0SCHOOL writing in a channel. */
const slack = (user: string): ConversationRef => ({ platform: 'slack', workspace: 'T0SCHOOL', channel: 'C0GENERAL', user });

async function rows(runtime: Runtime) {
  return runtime.store.db.kysely.selectFrom('reports').selectAll().orderBy('id').execute();
}

/** The reply's first message and whole text. */
async function say(runtime: Runtime, conversation: ConversationRef, text: string) {
  const { query, reply } = await runtime.bot.ask({ conversation, text });
  return { query, reply, first: reply.brief?.facts.join('\n') ?? '', full: renderText(reply) };
}

const ENT_OCCITANIE = "l'ENT ne marche plus en Occitanie";

describeStores('reports', (kind) => {
  test('GIVEN a report naming a town, with an e-mail address and phone numbers THEN the row keeps service, finest place, level and platform, the text masked and no trace of the raw ids', () =>
    withReports(kind, async (runtime) => {
      const text = "L'ENT du collège ne marche pas à Montpellier depuis ce matin, écrivez-moi à claire.martin@exemple.fr ou au 06 12 34 56 78 (sinon +33 6 98 76 54 32)";
      const { query, reply } = await say(runtime, slack('U0RAWPARENT42'), text);
      assert.equal(query.intent, 'report');
      assert.equal(reply.kind, 'report');
      const [row, more] = await rows(runtime);
      assert.equal(more, undefined);
      assert.ok(row);
      assert.deepEqual(
        { service: row.service, place: [row.place_kind, row.place_code], containers: [row.region, row.academie, row.departement], level: row.level, platform: row.platform, at: row.at },
        { service: 'ent', place: ['commune', '34172'], containers: ['76', 'montpellier', '34'], level: 'college', platform: 'slack', at: TEST_NOW.toISOString() },
      );
      assert.equal(row.text, "L'ENT du collège ne marche pas à Montpellier depuis ce matin, écrivez-moi à [e-mail] ou au [téléphone] (sinon [téléphone])");
      assert.equal(row.reporter, reporterKey(SECRET, { platform: 'slack', workspace: 'T0SCHOOL', user: 'U0RAWPARENT42' }));
      const stored = JSON.stringify(row);
      for (const raw of ['U0RAWPARENT42', 'T0SCHOOL', 'C0GENERAL', 'claire.martin', 'exemple.fr', '06 12 34 56 78', '98 76 54 32']) assert.ok(!stored.includes(raw), `${raw} is not stored`);
    }));

  test('GIVEN reports arriving together, one with half a surrogate pair and one with a quote and a backslash THEN all are stored in one go, the texts as written (the half pair as U+FFFD)', () =>
    withReports(kind, async (runtime) => {
      const texts = ["l'ENT ne marche plus en Occitanie \ud83d", "l'ENT ne marche plus en Occitanie \\ \" '); drop table reports; --", "l'ENT ne marche plus en Occitanie 😀"];
      const replies = await Promise.all(texts.map((text, i) => say(runtime, slack(`U${i}`), text)));
      assert.ok(replies.every((r) => /^Merci, c'est noté\./.test(r.first)));
      assert.deepEqual((await rows(runtime)).map((r) => r.text).sort(), [texts[0]!.replace('\ud83d', '\ufffd'), texts[1]!, texts[2]!].sort());
    }));

  test('GIVEN corrupted rows among the reports THEN reportsBetween skips each with a warning and gives the others', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const logger = recordingLogger();
    const clock = new FixedClock(new Date(TEST_NOW));
    try {
      const runtime = await createRuntime({ storeUrl: url, clock, logger, reference: sharedReference(), reportSecret: SECRET });
      try {
        await say(runtime, slack('U1'), ENT_OCCITANIE);
        const base = { service: 'ent', place_kind: 'region', place_code: '76', region: '76', academie: '', departement: '', level: null, platform: 'slack', reporter: 'c'.repeat(64), text: 'x' };
        const at = TEST_NOW.toISOString();
        await runtime.store.db.kysely
          .insertInto('reports')
          .values([
            { ...base, at: 'yesterday' },
            { ...base, at, reporter: 'U0RAWID' },
            { ...base, at, place_kind: 'planet' },
            { ...base, at, level: 'university' },
            // An hour earlier, written without milliseconds: still a report.
            { ...base, at: new Date(TEST_NOW.getTime() - 60 * MINUTE).toISOString().replace(/\.\d{3}Z$/, 'Z'), place_kind: null, place_code: null },
          ])
          .execute();
        const read = await runtime.store.reports.reportsBetween(new Date(TEST_NOW.getTime() - DAY), new Date(TEST_NOW.getTime() + MINUTE));
        assert.deepEqual(read.map((r) => r.place), [null, { kind: 'region', code: '76' }], "the one written without milliseconds, then the bot's report");
        assert.equal(logger.warnings.filter((w) => /a stored report is invalid; skipped/.test(w.message)).length, 3, "three bad rows in the window ('yesterday' sorts after it)");
      } finally {
        await runtime.close();
      }
    } finally {
      await cleanup();
    }
  });

  test('GIVEN reports at several times THEN reportsBetween gives those in [from, to), oldest first, without their text', () =>
    withReports(kind, async (runtime, clock) => {
      const start = clock.now();
      await say(runtime, slack('U1'), ENT_OCCITANIE);
      clock.advance(5 * MINUTE);
      await say(runtime, { platform: 'discord', workspace: 'G1', channel: 'c', user: 'U2' }, 'Pronote ne marche pas chez moi à Lille');
      clock.advance(5 * MINUTE);
      await say(runtime, slack('U3'), "l'ENT ne marche pas");
      const all = await runtime.store.reports.reportsBetween(start, new Date(start.getTime() + 10 * MINUTE));
      assert.deepEqual(
        all.map((r) => ({ at: r.at.getTime() - start.getTime(), service: r.service, place: r.place, platform: r.platform })),
        [
          { at: 0, service: 'ent', place: { kind: 'region', code: '76' }, platform: 'slack' },
          { at: 5 * MINUTE, service: 'pronote', place: { kind: 'commune', code: '59350' }, platform: 'discord' },
        ],
        'the end is excluded',
      );
      assert.ok(all.every((r) => /^[0-9a-f]{64}$/.test(r.reporter) && !('text' in r)));
      const later = await runtime.store.reports.reportsBetween(new Date(start.getTime() + 10 * MINUTE), new Date(start.getTime() + 11 * MINUTE));
      assert.deepEqual(later.map((r) => r.place), [null]);
    }));

  test('GIVEN reports 8 and 6 days old THEN the purge deletes the older (VIGIE_REPORT_RETENTION, default 7 days); 48 h deletes both', () =>
    withReports(kind, async (runtime, clock) => {
      await say(runtime, slack('U1'), ENT_OCCITANIE);
      clock.advance(2 * DAY);
      await say(runtime, slack('U2'), ENT_OCCITANIE);
      clock.advance(6 * DAY);
      const purged = await purgeExpired(runtime.store.db, clock.now(), { days: 90, auditDays: 365 });
      assert.equal(purged.reports, 1);
      assert.equal((await rows(runtime)).length, 1);
      const shorter = await purgeExpired(runtime.store.db, clock.now(), { days: 90, auditDays: 365, reportMs: 48 * 60 * MINUTE });
      assert.equal(shorter.reports, 1);
      assert.equal((await rows(runtime)).length, 0);
    }));

  test('GIVEN one person reporting 12 times in 10 minutes THEN 10 are stored, every reply still thanks; 10 minutes later one more is stored', async () =>
    withReports(kind, async (runtime, clock) => {
      for (let i = 0; i < 12; i++) {
        const { first } = await say(runtime, slack('U0FLOOD'), ENT_OCCITANIE);
        assert.match(first, /^Merci, c'est noté\./);
        clock.advance(45_000);
      }
      assert.equal((await rows(runtime)).length, 10);
      clock.advance(10 * MINUTE);
      await say(runtime, slack('U0FLOOD'), ENT_OCCITANIE);
      assert.equal((await rows(runtime)).length, 11);
    }));

  test('GIVEN one person reporting 50 times and two others THEN the reply counts 3 people; a report from Montpellier counts for Occitanie; after 30 minutes they no longer count', () =>
    withReports(kind, async (runtime, clock) => {
      for (let i = 0; i < 50; i++) {
        await say(runtime, slack('U0SAME'), ENT_OCCITANIE);
        clock.advance(20_000);
      }
      await say(runtime, { platform: 'discord', workspace: 'G1', channel: 'c', user: 'U0SAME' }, ENT_OCCITANIE); // another platform, another person
      const montpellier = await say(runtime, slack('U0OTHER'), "l'ENT ne marche pas à Montpellier");
      assert.match(montpellier.first, /^Merci, c'est noté\. Vous êtes la première personne à signaler un problème avec ENT à Montpellier depuis 30 min/);
      const { first } = await say(runtime, slack('U0SAME'), ENT_OCCITANIE);
      assert.equal(first, "Merci, c'est noté. 3 personnes ont signalé un problème avec ENT en Occitanie depuis 30 min ; aucune information officielle pour l'instant.");
      // Another service in the same place is counted apart.
      const pronote = await say(runtime, slack('U0SAME'), 'Pronote ne marche plus en Occitanie');
      assert.match(pronote.first, /Vous êtes la première personne à signaler un problème avec Pronote en Occitanie/);
      clock.advance(31 * MINUTE);
      const later = await say(runtime, slack('U0NEW'), ENT_OCCITANIE);
      assert.match(later.first, /Vous êtes la première personne/);
    }));

  test('GIVEN an incident known THEN the count leaves out "no official information" and the known incident follows; in English too; never "forwarded"', () =>
    withReports(kind, async (runtime) => {
      await runtime.store.incidents.put(makeIncident());
      runtime.bot.source.invalidate();
      await say(runtime, slack('U1'), ENT_OCCITANIE);
      const { reply, first, full } = await say(runtime, slack('U2'), ENT_OCCITANIE);
      assert.deepEqual(reply.incidents, ['ent-occitanie']);
      const [counted, match] = first.split('\n');
      assert.equal(counted, "Merci, c'est noté. 2 personnes ont signalé un problème avec ENT en Occitanie depuis 30 min.");
      assert.match(match ?? '', /^Un incident connu correspond : /);
      const english = await say(runtime, slack('U3'), "I can't log in to the ENT in Occitanie, it's not working for me");
      assert.equal(english.reply.language, 'en');
      assert.match(english.first, /^Thank you, noted\. 3 people have reported a problem with ENT in Occitanie in the last 30 min\.\n/);
      for (const text of [full, english.full]) assert.doesNotMatch(text, /transm|forward|ne transmet/i);
    }));

  test('GIVEN a report with @everyone, <!channel>, a user mention and a link THEN no reply text carries them unescaped; the masked text is kept for admins', () =>
    withReports(kind, async (runtime) => {
      const text = "@everyone <!channel> <@U0BOSS> l'ENT est en panne en Occitanie, voir https://phishing.example/login et [ici](https://phishing.example/x)";
      const { reply, full } = await say(runtime, slack('U1'), text);
      assert.equal(reply.kind, 'report');
      const everything = JSON.stringify(reply) + full;
      assert.doesNotMatch(everything, /@everyone|<!channel>|<@U0BOSS>|phishing\.example/);
      const [row] = await rows(runtime);
      assert.equal(row?.text, text);
    }));

  test('GIVEN a question that is not a report THEN nothing is stored; the CLI\'s ask stores nothing either', () =>
    withReports(kind, async (runtime) => {
      await say(runtime, slack('U1'), "l'ENT est en panne en Occitanie ?");
      await runtime.bot.ask({ conversation: { platform: 'cli', channel: 'cli' }, text: ENT_OCCITANIE });
      assert.equal((await rows(runtime)).length, 0);
      const { reply } = await runtime.bot.report({ conversation: { platform: 'cli', channel: 'cli', user: 'me' }, text: "ENT Occitanie" });
      assert.equal(reply.kind, 'report');
      assert.equal((await rows(runtime)).length, 1);
    }));

  test('GIVEN three people in Hérault and four in Gard (one of them writing 10 times) THEN the reply counts 7 for Occitanie, as the store counts; after a restart the next counts 8 and the limit still holds', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const clock = new FixedClock(new Date(TEST_NOW));
    try {
      let runtime = await createRuntime({ storeUrl: url, clock, reference: sharedReference(), reportSecret: SECRET });
      try {
        for (const user of ['H1', 'H2', 'H3']) await say(runtime, slack(user), "l'ENT ne marche pas dans l'Hérault");
        for (const user of ['G1', 'G2', 'G3', 'G4']) await say(runtime, slack(user), "l'ENT ne marche pas dans le Gard");
        for (let i = 0; i < 9; i++) await say(runtime, slack('G1'), "l'ENT ne marche pas dans le Gard"); // G1's ten in 10 minutes
        clock.advance(MINUTE);
        const { first } = await say(runtime, slack('H1'), ENT_OCCITANIE);
        assert.equal(first, "Merci, c'est noté. 7 personnes ont signalé un problème avec ENT en Occitanie depuis 30 min ; aucune information officielle pour l'instant.");
        const stored = await runtime.store.reports.reporters({ service: 'ent', place: { kind: 'region', code: '76' } }, new Date(clock.now().getTime() - 30 * MINUTE), clock.now());
        assert.equal(stored, 7, "the store's own count agrees");
      } finally {
        await runtime.close();
      }
      // A restart: the new process reads the last 30 minutes back.
      clock.advance(MINUTE);
      runtime = await createRuntime({ storeUrl: url, clock, reference: sharedReference(), reportSecret: SECRET });
      try {
        const { first } = await say(runtime, slack('NEW'), ENT_OCCITANIE);
        assert.match(first, /^Merci, c'est noté\. 8 personnes ont signalé un problème avec ENT en Occitanie depuis 30 min/);
        const gard = await say(runtime, slack('G2'), "l'ENT ne marche pas dans le Gard");
        assert.match(gard.first, /^Merci, c'est noté\. 4 personnes ont signalé un problème avec ENT dans le 30 \(Gard\)/);
        const before = (await rows(runtime)).length;
        const over = await say(runtime, slack('G1'), "l'ENT ne marche pas dans le Gard");
        assert.match(over.first, /^Merci, c'est noté\. 4 personnes/);
        assert.equal((await rows(runtime)).length, before, "G1's ten reports before the restart still count against the limit");
      } finally {
        await runtime.close();
      }
    } finally {
      await cleanup();
    }
  });

  test('GIVEN 30 reports of one person at the same instant, through the bot and straight to the store THEN 10 are stored each time', () =>
    withReports(kind, async (runtime) => {
      const replies = await Promise.all(Array.from({ length: 30 }, () => say(runtime, slack('U0BURST'), ENT_OCCITANIE)));
      assert.ok(replies.every((r) => /^Merci, c'est noté\. Vous êtes la première personne/.test(r.first)));
      assert.equal((await rows(runtime)).length, 10);
      // The store's own check, without the desk: concurrent transactions for one reporter.
      const record = (i: number): ReportRecord => ({ at: TEST_NOW, service: 'ent', place: null, level: null, platform: 'slack', reporter: 'b'.repeat(64), text: `r${i}` });
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => runtime.store.reports.addBatch([record(i * 3), record(i * 3 + 1), record(i * 3 + 2)], 10, 10 * MINUTE)));
      assert.equal(outcomes.flat().filter(Boolean).length, 10);
      assert.equal((await rows(runtime)).filter((r) => r.reporter === 'b'.repeat(64)).length, 10);
    }));

  if (kind === 'postgres') {
    test('GIVEN two instances on one PostgreSQL and one person reporting to both at the same instant THEN 10 are stored in all, round after round', async () => {
      const { url, cleanup } = await freshStoreUrl(kind);
      const clock = new FixedClock(new Date(TEST_NOW));
      const a = await createRuntime({ storeUrl: url, clock, reference: sharedReference(), reportSecret: SECRET });
      const b = await createRuntime({ storeUrl: url, clock, reference: sharedReference(), reportSecret: SECRET });
      try {
        for (let round = 0; round < 5; round++) {
          const user = `U0TWICE${round}`;
          // Straight to the stores, 10 and 10 in concurrent transactions, then through both desks.
          const reporter = reporterKey(SECRET, { platform: 'slack', workspace: 'T0SCHOOL', user });
          const record = (i: number): ReportRecord => ({ at: clock.now(), service: 'ent', place: null, level: null, platform: 'slack', reporter, text: `r${i}` });
          const both = await Promise.all([
            ...Array.from({ length: 10 }, (_, i) => a.store.reports.addBatch([record(i)], 10, 10 * MINUTE)),
            ...Array.from({ length: 10 }, (_, i) => b.store.reports.addBatch([record(10 + i)], 10, 10 * MINUTE)),
          ]);
          assert.equal(both.flat().filter(Boolean).length, 10, `round ${round}: straight to the stores`);
          clock.advance(11 * MINUTE);
          const desks = await Promise.all([
            ...Array.from({ length: 15 }, () => a.reports.record({ at: clock.now(), who: { platform: 'slack', workspace: 'T0SCHOOL', user }, text: 'x', service: 'ent', place: null, level: null })),
            ...Array.from({ length: 15 }, () => b.reports.record({ at: clock.now(), who: { platform: 'slack', workspace: 'T0SCHOOL', user }, text: 'x', service: 'ent', place: null, level: null })),
          ]);
          assert.equal(desks.filter((o) => o.stored).length, 10, `round ${round}: through the two desks`);
          const stored = await a.store.db.kysely.selectFrom('reports').select('at').where('reporter', '=', reporter).execute();
          assert.equal(stored.length, 20, `round ${round}: 10 and 10, 11 minutes apart`);
          clock.advance(11 * MINUTE);
        }
      } finally {
        await a.close();
        await b.close();
        await cleanup();
      }
    });
  }

  test('GIVEN reports taken and the runtime closed right after THEN every acknowledged report is in the store when it opens again', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const clock = new FixedClock(new Date(TEST_NOW));
    try {
      const runtime = await createRuntime({ storeUrl: url, clock, reference: sharedReference(), reportSecret: SECRET });
      await say(runtime, slack('U0FIRST'), ENT_OCCITANIE);
      const direct = Array.from({ length: 25 }, (_, i) => runtime.reports.record({ at: clock.now(), who: { platform: 'slack', workspace: 'T0SCHOOL', user: `U${i}` }, text: 'ENT HS', service: 'ent', place: { kind: 'region', code: '76' }, level: null }));
      const viaBot = Array.from({ length: 10 }, (_, i) => say(runtime, slack(`U0BOT${i}`), ENT_OCCITANIE));
      await runtime.close();
      const outcomes = await Promise.all(direct);
      assert.ok(outcomes.every((o) => o.stored), 'the desk took them before close: all written');
      const answers = await Promise.all(viaBot);
      const acknowledged = answers.filter((a) => /^Merci, c'est noté\./.test(a.first)).length;
      for (const a of answers) assert.match(a.first, /^Merci, c'est noté\.|n'a pas pu être enregistré/);
      const store = await openStore(url);
      try {
        const kept = await store.db.kysely.selectFrom('reports').select('reporter').execute();
        assert.equal(kept.length, 1 + 25 + acknowledged);
      } finally {
        await store.close();
      }
    } finally {
      await cleanup();
    }
  });

  test('GIVEN the write failing THEN the reply says the report was not recorded; once it works again the next is stored and counted without it', () =>
    withReports(kind, async (runtime) => {
      await say(runtime, slack('U1'), ENT_OCCITANIE);
      await sql`alter table reports rename to reports_away`.execute(runtime.store.db.kysely);
      const failed = await say(runtime, slack('U2'), ENT_OCCITANIE);
      assert.match(failed.first, /^Merci pour votre message\. Il n'a pas pu être enregistré pour l'instant : réessayez dans un moment\./);
      assert.doesNotMatch(failed.full, /c'est noté/);
      await sql`alter table reports_away rename to reports`.execute(runtime.store.db.kysely);
      const next = await say(runtime, slack('U3'), ENT_OCCITANIE);
      assert.match(next.first, /^Merci, c'est noté\. 2 personnes ont signalé/);
      assert.equal((await rows(runtime)).length, 2);
    }));
});
