/**
 * Reports, the pure parts: masking (e-mail addresses, French and international phone numbers,
 * and nothing else), the reporter's pseudonymous key, the random per-process secret's warning,
 * and the desk's rate limit and count over a log in memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { maskReportText, ReportDesk, reporterKey, reportSecret, REPORT_TEXT_MAX, type ReportLog, type ReportRecord } from '../../src/signals/reports.js';
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

test('GIVEN a desk over a log THEN it stores the masked text under the key, asks for the limit of 10 per 10 minutes and counts over 30 minutes', async () => {
  const added: ReportRecord[] = [];
  const asked: { limit: number; since: number; from: number; to: number }[] = [];
  const log: ReportLog = {
    async addUnlessLimited(report, limit, since) {
      asked.push({ limit, since: since.getTime(), from: 0, to: 0 });
      added.push(report);
      return true;
    },
    async reporters(_scope, from, to) {
      asked[asked.length - 1]!.from = from.getTime();
      asked[asked.length - 1]!.to = to.getTime();
      return 4;
    },
    async reportsBetween() {
      return [];
    },
  };
  const desk = new ReportDesk(log, { secret: 'desk-secret-0123456789', logger: recordingLogger() });
  const at = new Date('2026-12-01T09:00:00Z');
  const outcome = await desk.record({ at, who: { platform: 'discord', workspace: 'G1', user: '42' }, text: 'ENT HS, mail: a@b.fr', service: 'ent', place: { kind: 'region', code: '76' }, level: null });
  assert.deepEqual(outcome, { stored: true, count: 4 });
  assert.deepEqual(added, [{ at, service: 'ent', place: { kind: 'region', code: '76' }, level: null, platform: 'discord', reporter: reporterKey('desk-secret-0123456789', { platform: 'discord', workspace: 'G1', user: '42' }), text: 'ENT HS, mail: [e-mail]' }]);
  assert.deepEqual(asked, [{ limit: 10, since: at.getTime() - 10 * 60_000, from: at.getTime() - 30 * 60_000, to: at.getTime() }]);
});
