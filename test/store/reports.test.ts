/**
 * Reports (#15, items 1 and 2): messages read as reports, through the bot, on a real SQLite
 * file and a real PostgreSQL: what is stored (pseudonymous, masked), what detection reads back,
 * retention, the per-reporter rate limit, one person counting once, and the reply's words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/index.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { renderText } from '../../src/answer/index.js';
import { purgeExpired } from '../../src/store/index.js';
import { reporterKey } from '../../src/signals/reports.js';
import type { ConversationRef } from '../../src/base/types.js';
import { TEST_NOW } from '../helpers/clock.js';
import { sharedReference } from '../helpers/reference.js';
import { describeStores, freshStoreUrl, type StoreKind } from '../helpers/stores.js';
import { makeIncident } from './helpers.js';

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
});
