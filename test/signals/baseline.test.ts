import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { baselineOf, sameSlotBefore, strengthOf, windowStart } from '../../src/signals/baseline.js';
import { config, detector, people, at, T0, WEEK, MIN, OCCITANIE, report } from './helpers.js';

describe('Windows and past slots', () => {
  test('GIVEN instants THEN windows start on the quarter-hour', () => {
    assert.equal(windowStart(T0 + 14 * MIN + 59_999, 15 * MIN), T0);
    assert.equal(windowStart(T0 + 15 * MIN, 15 * MIN), T0 + 15 * MIN);
  });

  test('GIVEN a Tuesday 08:15 in Paris THEN the past slots are the four previous Tuesdays at 08:15 Paris time, across the October DST change', () => {
    const start = new Date('2026-11-03T08:15:00+01:00').getTime();
    assert.deepEqual(
      sameSlotBefore(start, 4).map((t) => new Date(t).toISOString()),
      [
        '2026-10-27T07:15:00.000Z', // 08:15 CET
        '2026-10-20T06:15:00.000Z', // 08:15 CEST: 14 days and one hour earlier
        '2026-10-13T06:15:00.000Z',
        '2026-10-06T06:15:00.000Z',
      ],
    );
  });

  test('GIVEN past counts THEN the baseline is their mean over observed slots, never below the floor; no observed slot gives the floor', () => {
    const counts = new Map([[1, 4], [2, 8], [3, 0], [4, 100]]);
    const get = (t: number) => counts.get(t) ?? 0;
    assert.equal(baselineOf(get, [1, 2, 3], 0, 1), 4);
    // Slot 1 was before Vigie was counting (from 2): not evidence of calm.
    assert.equal(baselineOf(get, [2, 1], 2, 1), 8);
    assert.equal(baselineOf(get, [3, 2, 1], 2, 1), 4);
    assert.equal(baselineOf(get, [3], 0, 1), 1);
    assert.equal(baselineOf(get, [1, 2], 10, 1.5), 1.5);
  });
});

describe('Thresholds (content/signals.yaml: elevated ≥ 5 and ≥ 3×, surge ≥ 15 and ≥ 6×)', () => {
  const t = config.thresholds;
  test('GIVEN the floor baseline of 1 THEN 4 is nothing, 5 and 14 are elevated, 15 is a surge', () => {
    assert.equal(strengthOf(4, 1, t), null);
    assert.equal(strengthOf(5, 1, t), 'elevated');
    assert.equal(strengthOf(14, 1, t), 'elevated');
    assert.equal(strengthOf(15, 1, t), 'surge');
  });
  test('GIVEN a baseline of 3 THEN 8 is nothing (< 9), 9 is elevated, 17 is elevated (< 18), 18 is a surge', () => {
    assert.equal(strengthOf(8, 3, t), null);
    assert.equal(strengthOf(9, 3, t), 'elevated');
    assert.equal(strengthOf(17, 3, t), 'elevated');
    assert.equal(strengthOf(18, 3, t), 'surge');
  });

  test('GIVEN 4, then 5 reporters at a place with no history THEN no episode, then an elevated one; 15 make it a surge', () => {
    const d = detector();
    d.ingest(people(4, at(1), OCCITANIE));
    assert.deepEqual(d.step(at(2)).episodes, []);
    d.ingest(people(1, at(3), OCCITANIE, 'ent', 'late'));
    const e = d.step(at(4)).episodes;
    assert.deepEqual(e.map((x) => [x.place.code, x.strength, x.reporters]), [['76', 'elevated', 5]]);
    d.ingest(people(10, at(5), OCCITANIE, 'ent', 'more'));
    assert.equal(d.step(at(6)).episodes[0]!.strength, 'surge');
  });
});

describe('Baseline per weekday and quarter-hour in the detector', () => {
  /** Four past Tuesdays with `n` reporters in Occitanie at 08:00 (and many at 14:00, which must not count). */
  function withHistory(n: number) {
    const d = detector();
    for (let k = 4; k >= 1; k--) {
      d.ingest(people(n, new Date(T0 - k * WEEK + 2 * MIN), OCCITANIE, 'ent', `w${k}`));
      d.ingest(people(40, new Date(T0 - k * WEEK + 6 * 60 * MIN), OCCITANIE, 'ent', `pm${k}`));
      d.step(new Date(T0 - k * WEEK + 7 * 60 * MIN));
    }
    return d;
  }

  test('GIVEN 4 reporters every Tuesday at 08:00 THEN 11 today at 08:00 are usual (< 3 × 4), 12 are elevated', () => {
    const d = withHistory(4);
    d.ingest(people(11, at(1), OCCITANIE));
    const quiet = d.step(at(3));
    assert.deepEqual(quiet.episodes, []);
    d.ingest(people(1, at(4), OCCITANIE, 'ent', 'one-more'));
    const step = d.step(at(5));
    assert.equal(step.episodes.length, 1);
    assert.equal(step.episodes[0]!.baseline, 4);
    assert.equal(step.episodes[0]!.strength, 'elevated');
  });

  test('GIVEN the same history but Vigie counting only since today THEN the past is no evidence and the floor applies (5 are elevated)', () => {
    const d = detector({}, new Date(T0 - 30 * MIN));
    for (let k = 4; k >= 1; k--) d.ingest(people(4, new Date(T0 - k * WEEK + 2 * MIN), OCCITANIE, 'ent', `w${k}`));
    d.ingest(people(5, at(1), OCCITANIE));
    const [e] = d.step(at(3)).episodes;
    assert.equal(e?.baseline, config.baseline.floor);
    assert.equal(e?.strength, 'elevated');
  });

  test('GIVEN a busy Tuesday afternoon every week THEN the morning baseline is still the floor', () => {
    const d = withHistory(0);
    d.ingest(people(5, at(1), OCCITANIE));
    assert.equal(d.step(at(3)).episodes[0]?.baseline, 1);
  });

  test('GIVEN reports older than the weeks the baseline needs THEN they are not kept', () => {
    const d = detector();
    d.step(at(0));
    d.ingest([report(new Date(T0 - 6 * WEEK), 'old', OCCITANIE)]);
    assert.equal(d.stats.ignored, 1);
    assert.equal(d.size().windows, 0);
  });
});
