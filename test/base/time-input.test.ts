import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parisDate, parseDuration, parseFutureTime, parseTimeInput } from '../../src/base/time-input.js';

describe('times typed by people', () => {
  test('GIVEN HH:MM on a winter day THEN it is read on the Paris clock (UTC+1)', () => {
    assert.equal(parseTimeInput('18:30', '2020-03-17')?.toISOString(), '2020-03-17T17:30:00.000Z');
  });
  test('GIVEN "8h" and "18h30" THEN they are read like 08:00 and 18:30', () => {
    assert.equal(parseTimeInput('8h', '2020-03-17')?.toISOString(), '2020-03-17T07:00:00.000Z');
    assert.equal(parseTimeInput('18h30', '2020-03-17')?.toISOString(), '2020-03-17T17:30:00.000Z');
  });
  test('GIVEN a summer day THEN Paris is UTC+2', () => {
    assert.equal(parseTimeInput('10:00', '2020-06-02')?.toISOString(), '2020-06-02T08:00:00.000Z');
  });
  test('GIVEN an ISO instant with an offset THEN it is taken as is', () => {
    assert.equal(parseTimeInput('2020-03-17T10:00:00+01:00', '2000-01-01')?.toISOString(), '2020-03-17T09:00:00.000Z');
  });
  test('GIVEN a local date-time without offset THEN it is read in Paris time', () => {
    assert.equal(parseTimeInput('2020-03-17T10:00', '2000-01-01')?.toISOString(), '2020-03-17T09:00:00.000Z');
  });
  test('GIVEN garbage THEN null, not an exception', () => {
    for (const bad of ['', 'demain', '25:00', '2020-13-01', '12:60', '\u0000', 'x'.repeat(10_000)]) {
      assert.equal(parseTimeInput(bad, '2020-03-17'), null, bad.slice(0, 20));
    }
  });
  test('GIVEN an instant late in the UTC day THEN parisDate gives the Paris calendar date', () => {
    assert.equal(parisDate(new Date('2020-03-17T23:30:00Z')), '2020-03-18');
  });
});

describe('times that do not exist', () => {
  test('GIVEN 30 February or year 0 THEN null rather than a rolled-over date', () => {
    assert.equal(parseTimeInput('2020-02-30T10:00', '2020-03-17'), null);
    assert.equal(parseTimeInput('2020-02-30T10:00:00+01:00', '2020-03-17'), null);
    assert.equal(parseTimeInput('0000-01-01T00:00Z', '2020-03-17'), null);
    assert.equal(parseTimeInput('2020-02-29T10:00', '2020-03-17')?.toISOString(), '2020-02-29T09:00:00.000Z');
  });
});

describe('relative times typed by admins', () => {
  test('GIVEN "+4h", "+1h30", "in 90 min", "dans 2 heures" THEN durations in milliseconds', () => {
    assert.equal(parseDuration('+4h'), 4 * 3600_000);
    assert.equal(parseDuration('+1h30'), 90 * 60_000);
    assert.equal(parseDuration('in 90 min'), 90 * 60_000);
    assert.equal(parseDuration('dans 2 heures'), 2 * 3600_000);
    assert.equal(parseDuration('DANS 45 minutes'), 45 * 60_000);
  });
  test('GIVEN no sign, zero, more than two weeks or words THEN null', () => {
    for (const bad of ['4h', '+0h', '+0 min', '+999h', 'dans longtemps', '+4x', '+', 'in', '-4h']) assert.equal(parseDuration(bad), null, bad);
  });
  test('GIVEN "+4h" 30 minutes before Paris springs forward THEN four real hours later (06:30 local, the clock having jumped an hour)', () => {
    const now = new Date('2026-03-29T01:30:00+01:00');
    const at = parseFutureTime('+4h', now);
    assert.equal(at?.toISOString(), '2026-03-29T04:30:00.000Z');
    assert.equal(at?.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }), '06:30');
  });
  test('GIVEN HH:MM THEN it is read on the Paris day of "now", whatever the machine zone', () => {
    const lateUtc = new Date('2026-12-01T23:30:00Z'); // already 2 December in Paris
    assert.equal(parseFutureTime('08:00', lateUtc)?.toISOString(), '2026-12-02T07:00:00.000Z');
  });
});
