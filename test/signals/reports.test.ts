/**
 * Reports, the pure parts: masking (e-mail addresses, French and international phone numbers,
 * and nothing else), the reporter's pseudonymous key, the random per-process secret's warning,
 * and the desk over a log in memory: the rate limit, the count rolled up along the map, one
 * person once, the restart, grouped writes, a failed write, and close.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { maskReportText, ReportDesk, reporterKey, reportSecret, REPORT_TEXT_MAX, type ReportInput, type ReportLog, type ReportRecord } from '../../src/signals/reports.js';
import { sharedReference } from '../helpers/reference.js';
import { recordingLogger } from '../store/helpers.js';

test('GIVEN no VIGIE_REPORT_SECRET THEN one random secret for the process, warned about once, never logged', () => {
  const logger = recordingLogger();
  // A state of its own: the process's may already have warned (test files share processes).
  const state = { secret: null, warned: false };
  const first = reportSecret(undefined, logger, state);
  const second = reportSecret(undefined, logger, state);
  assert.equal(first, second);
  assert.match(first, /^[0-9a-f]{64}$/);
  assert.equal(logger.warnings.length, 1);
  assert.match(logger.warnings[0]!.message, /VIGIE_REPORT_SECRET is not set/);
  assert.ok(!JSON.stringify(logger.warnings).includes(first));
  assert.equal(reportSecret('configured-secret-0123', logger, state), 'configured-secret-0123');
  assert.notEqual(reportSecret(undefined, logger, { secret: null, warned: true }), first, 'another process, another secret');
  assert.equal(logger.warnings.length, 1);
});

test('GIVEN e-mail addresses THEN each is masked', () => {
  assert.equal(maskReportText('écrire à jean.dupont+ent@ac-montpellier.fr ou Élodie_M@laposte.net.'), 'écrire à [e-mail] ou [e-mail].');
});

test('GIVEN French phone numbers in every usual way THEN each is masked', () => {
  for (const phone of ['06 12 34 56 78', '06.12.34.56.78', '06-12-34-56-78', '0612345678', '+33 6 12 34 56 78', '+33612345678', '+33 (0)6 12 34 56 78', '0033 6 12 34 56 78', '04 67 00 00 00']) {
    assert.equal(maskReportText(`appelez le ${phone} svp`), 'appelez le [téléphone] svp', phone);
  }
});

test('GIVEN international phone numbers THEN each is masked', () => {
  for (const phone of ['+44 20 7946 0958', '+1 (555) 123-4567', '+49 30 1234567', '0041 22 123 45 67', '+32 2 555 12 34', '+262 692 12 34 56']) {
    assert.equal(maskReportText(`call ${phone} please`), 'call [téléphone] please', phone);
  }
});

test('GIVEN numbers that are not phone numbers THEN they stay: postal codes, dates, times, classes, years, counts', () => {
  const text = "ENT 34000 Montpellier, le 17/03/2020 à 8 h 10, 3eB, Pronote 59 depuis 2020, 150 élèves, code 12345678, 2026-12-01T10:00";
  assert.equal(maskReportText(text), text);
});

test('GIVEN half of a surrogate pair alone THEN it becomes U+FFFD; whole pairs (emoji) stay', () => {
  assert.equal(maskReportText('ENT \ud83d HS \ude00 ok 😀'), 'ENT \ufffd HS \ufffd ok 😀');
});

test('GIVEN a long text with control characters THEN they are blanked and it is cut to the maximum with an ellipsis', () => {
  assert.equal(maskReportText('a\u0000b\u001bc'), 'a b c');
  const long = maskReportText('x'.repeat(5_000));
  assert.equal(long.length, REPORT_TEXT_MAX);
  assert.ok(long.endsWith('…'));
});

test('GIVEN the same person THEN the same key; another platform, workspace or user THEN another; the key is HMAC-SHA256 of "platform|workspace|user"', () => {
  const key = reporterKey('s3cret-s3cret-s3cret', { platform: 'slack', workspace: 'T1', user: 'U1' });
  assert.equal(key, createHmac('sha256', 's3cret-s3cret-s3cret').update('slack|T1|U1').digest('hex'));
  assert.equal(reporterKey('s3cret-s3cret-s3cret', { platform: 'slack', workspace: 'T1', user: 'U1' }), key);
  const others = [
    reporterKey('s3cret-s3cret-s3cret', { platform: 'discord', workspace: 'T1', user: 'U1' }),
    reporterKey('s3cret-s3cret-s3cret', { platform: 'slack', workspace: 'T2', user: 'U1' }),
    reporterKey('s3cret-s3cret-s3cret', { platform: 'slack', workspace: 'T1', user: 'U2' }),
    reporterKey('another-secret-value', { platform: 'slack', workspace: 'T1', user: 'U1' }),
  ];
  assert.equal(new Set([key, ...others]).size, 5);
  assert.ok(!key.includes('U1'));
});

/** A report log in memory that keeps what it stores, can be told to fail its next writes, and counts its batches. */
function memoryLog() {
  const rows: ReportRecord[] = [];
  const batches: number[] = [];
  const asked: { limit: number; windowMs: number }[] = [];
  let failing = 0;
  const log: ReportLog = {
    async addBatch(batch, limit, windowMs) {
      batches.push(batch.length);
      asked.push({ limit, windowMs });
      if (failing > 0) {
        failing--;
        throw new Error('disk full');
      }
      return batch.map((r) => {
        const n = rows.filter((x) => x.reporter === r.reporter && x.at.getTime() >= r.at.getTime() - windowMs).length;
        if (n >= limit) return false;
        rows.push(r);
        return true;
      });
    },
    async reporters() {
      throw new Error('the desk counts in memory');
    },
    async reportsBetween(from, to) {
      return rows.filter((r) => r.at >= from && r.at < to);
    },
  };
  return { log, rows, batches, asked, failNext: (n: number) => (failing = n) };
}

const AT = new Date('2026-12-01T09:00:00Z');
const MIN = 60_000;
const report = (user: string, place: ReportInput['place'], at = AT, service: string | null = 'ent'): ReportInput => ({
  at,
  who: { platform: 'discord', workspace: 'G1', user },
  text: 'ENT HS',
  service,
  place,
  level: null,
});
const HERAULT = { kind: 'departement', code: '34' } as const;
const GARD = { kind: 'departement', code: '30' } as const;
const OCCITANIE = { kind: 'region', code: '76' } as const;

test('GIVEN a desk over a log THEN it stores the masked text under the key, asks for the limit of 10 per 10 minutes, and counts from memory', async () => {
  const { log, rows, asked } = memoryLog();
  const desk = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger() });
  const outcome = await desk.record({ at: AT, who: { platform: 'discord', workspace: 'G1', user: '42' }, text: 'ENT HS, mail: a@b.fr', service: 'ent', place: OCCITANIE, level: null });
  assert.deepEqual(outcome, { stored: true, count: 1 });
  assert.deepEqual(rows, [{ at: AT, service: 'ent', place: OCCITANIE, level: null, platform: 'discord', reporter: reporterKey('desk-secret-0123456789', { platform: 'discord', workspace: 'G1', user: '42' }), text: 'ENT HS, mail: [e-mail]' }]);
  assert.deepEqual(asked, [{ limit: 10, windowMs: 10 * MIN }]);
});

test('GIVEN three people in Hérault and four in Gard THEN the reply counts 7 for Occitanie and its académie, 3 for Hérault; one person writing 50 times counts once', async () => {
  const { log } = memoryLog();
  const desk = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger(), places: sharedReference().gazetteer });
  const counts: number[] = [];
  for (const user of ['h1', 'h2', 'h3']) counts.push((await desk.record(report(user, HERAULT))).count);
  for (const user of ['g1', 'g2', 'g3', 'g4']) counts.push((await desk.record(report(user, GARD))).count);
  assert.deepEqual(counts, [1, 2, 3, 1, 2, 3, 4], 'each reply counts its own département');
  assert.equal((await desk.record(report('o1', OCCITANIE))).count, 8, 'seven below and the one naming Occitanie');
  assert.equal((await desk.record(report('h1', { kind: 'academie', code: 'montpellier' }))).count, 7, "Hérault and Gard are in the académie de Montpellier; h1 already counted there");
  assert.equal((await desk.record(report('h2', HERAULT))).count, 3, 'Hérault: still its three');
  assert.equal((await desk.record(report('x', { kind: 'commune', code: '34172' }))).count, 1, 'Montpellier: reports naming Hérault do not count for a town in it');
  assert.equal((await desk.record(report('n1', null))).count, 10, 'anywhere: everyone');
  assert.equal((await desk.record(report('p1', OCCITANIE, AT, 'pronote'))).count, 1, 'another service apart');
  assert.equal((await desk.record(report('p2', OCCITANIE, AT, null))).count, 11, 'no service named: people reporting any service there');
  let last = 0;
  for (let i = 0; i < 50; i++) last = (await desk.record(report('loud', OCCITANIE, new Date(AT.getTime() + i * 1_000)))).count;
  assert.equal(last, 10, 'the 50 reports of one person add one');
});

test('GIVEN reports over time THEN a person counts for 30 minutes after their last report, then no more', async () => {
  const { log } = memoryLog();
  const desk = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger(), places: sharedReference().gazetteer });
  await desk.record(report('a', HERAULT, AT));
  await desk.record(report('b', HERAULT, new Date(AT.getTime() + 10 * MIN)));
  await desk.record(report('a', HERAULT, new Date(AT.getTime() + 20 * MIN)));
  assert.equal((await desk.record(report('c', HERAULT, new Date(AT.getTime() + 35 * MIN)))).count, 3, 'a reported again at 20 min, b at 10: both within 30 minutes');
  assert.equal((await desk.record(report('c', HERAULT, new Date(AT.getTime() + 45 * MIN)))).count, 2, 'b is 35 minutes old');
  assert.equal((await desk.record(report('d', GARD, new Date(AT.getTime() + 51 * MIN)))).count, 1);
  assert.equal((await desk.record(report('d', OCCITANIE, new Date(AT.getTime() + 51 * MIN)))).count, 2, 'c (45 min) and d in Occitanie; a (20 min) is gone');
});

test('GIVEN reports already in the log THEN a new desk (a restart) counts them and keeps the rate limit they used up', async () => {
  const { log, rows, batches } = memoryLog();
  const first = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger(), places: sharedReference().gazetteer });
  for (let i = 0; i < 10; i++) await first.record(report('loud', HERAULT, new Date(AT.getTime() + i * 1_000)));
  await first.record(report('other', GARD, new Date(AT.getTime() + 20_000)));
  await first.close();
  const second = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger(), places: sharedReference().gazetteer });
  const after = await second.record(report('loud', OCCITANIE, new Date(AT.getTime() + 60_000)));
  assert.deepEqual(after, { stored: false, count: 2 }, 'over the limit after the restart too; the two people before it counted');
  assert.equal(rows.length, 11);
  assert.equal(batches.length, 11, 'turned away by the warmed limit, without asking the log');
  assert.deepEqual(await second.record(report('loud', OCCITANIE, new Date(AT.getTime() + 10 * MIN + 1_000))), { stored: true, count: 2 }, 'the first report left the 10 minutes');
});

test('GIVEN 30 reports of one person at the same instant THEN 10 are stored, whatever the order the replies come in', async () => {
  const { log, rows, batches } = memoryLog();
  const desk = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger() });
  const outcomes = await Promise.all(Array.from({ length: 30 }, () => desk.record(report('same', HERAULT))));
  assert.equal(outcomes.filter((o) => o.stored).length, 10);
  assert.equal(rows.length, 10);
  assert.deepEqual(batches, [10], 'the other 20 were turned away in memory, never sent to the log');
  assert.ok(outcomes.every((o) => o.count === 1));
});

test('GIVEN reports arriving together THEN they are written in one transaction per turn, at most maxBatch each, and each reply comes after its write', async () => {
  const { log, rows, batches } = memoryLog();
  const desk = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger(), maxBatch: 8 });
  await desk.record(report('first', HERAULT));
  assert.deepEqual(batches, [1]);
  const outcomes = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      desk.record(report(`p${i}`, HERAULT)).then((o) => {
        // Acknowledged only once stored.
        assert.ok(rows.some((r) => r.reporter === reporterKey('desk-secret-0123456789', { platform: 'discord', workspace: 'G1', user: `p${i}` })));
        return o;
      }),
    ),
  );
  assert.deepEqual(batches, [1, 8, 8, 4]);
  assert.ok(outcomes.every((o) => o.stored));
  assert.equal(outcomes.at(-1)!.count, 21);
});

test('GIVEN a batch that fails THEN each of its reports is answered as not recorded, counts nothing and gives its place in the rate limit back; the next batch is written', async () => {
  const { log, rows, failNext } = memoryLog();
  const logger = recordingLogger();
  const desk = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger });
  await desk.record(report('a', HERAULT));
  failNext(1);
  const failed = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => desk.record(report(i === 0 ? 'loud' : `f${i}`, HERAULT))));
  assert.deepEqual(failed.map((f) => f.status), ['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
  assert.match(logger.warnings.map((w) => w.message).join('\n'), /a batch was not written/);
  assert.ok(!JSON.stringify(logger.warnings).includes('desk-secret'), 'no secret in the log');
  assert.equal(rows.length, 1);
  const outcomes: boolean[] = [];
  for (let i = 0; i < 10; i++) outcomes.push((await desk.record(report('loud', HERAULT))).stored);
  assert.deepEqual(outcomes, Array(10).fill(true), 'the failed report took none of the ten places');
  assert.deepEqual(await desk.record(report('b', HERAULT)), { stored: true, count: 3 }, 'a, loud and b; none of the failed ones');
});

test('GIVEN reports queued when the desk closes THEN close writes them before it returns, and a report after it is refused', async () => {
  const { log, rows } = memoryLog();
  const desk = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger() });
  await desk.record(report('a', HERAULT));
  const pending = Array.from({ length: 7 }, (_, i) => desk.record(report(`q${i}`, HERAULT)));
  await desk.close();
  assert.equal(rows.length, 8, 'written by close');
  assert.ok((await Promise.all(pending)).every((o) => o.stored));
  await assert.rejects(desk.record(report('late', HERAULT)), /desk is stopped/);
  assert.equal(rows.length, 8);
});

test('GIVEN another instance storing reports in the same log THEN they join the count once the signals source read through counting() brings them; read twice, they count once', async () => {
  const { log } = memoryLog();
  const places = sharedReference().gazetteer;
  const here = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger(), places });
  const there = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger(), places });
  await here.record(report('a', HERAULT));
  for (const user of ['b', 'c']) await there.record(report(user, GARD, new Date(AT.getTime() + MIN)));
  const later = new Date(AT.getTime() + 2 * MIN);
  assert.equal((await here.record(report('a', OCCITANIE, later))).count, 1, 'not read yet');
  const source = here.counting(log);
  const read = await source.reportsBetween(new Date(AT.getTime() - 60 * MIN), new Date(later.getTime() + 1));
  assert.equal(read.length, 4, 'the source gives what the log has');
  await source.reportsBetween(new Date(AT.getTime() - 60 * MIN), new Date(later.getTime() + 1));
  assert.equal((await here.record(report('d', OCCITANIE, later))).count, 4, 'a, b, c and d');
});

test('GIVEN 12,000 people reporting over two hours THEN the desk holds only about the last 30 minutes of them, and counts those', async () => {
  const { log } = memoryLog();
  const desk = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger(), places: sharedReference().gazetteer });
  const step = 600; // one report every 0.6 s: 3,000 people per 30 minutes
  let last = { stored: false, count: 0 };
  for (let i = 0; i < 12_000; i++) last = await desk.record(report(`p${i}`, HERAULT, new Date(AT.getTime() + i * step)));
  assert.deepEqual(last, { stored: true, count: 3_001 }, 'the people of the last 30 minutes, both ends included (as the store counts)');
  const held = desk.size();
  // Voices: the place and its roll-ups, for the service and any; forgotten a sweep (4,096 reports) after leaving the window.
  assert.ok(held.voices < (3_000 + 4_096) * 10, `voices held: ${held.voices}`);
  assert.ok(held.reporters < 1_000 + 4_096, `reporters held for the rate limit: ${held.reporters}`);
  assert.equal(held.queued, 0);
});
