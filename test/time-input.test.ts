import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parisDate, parseTimeInput } from '../src/time-input.js';

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
