import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSignalsConfig, signalsFileSchema } from '../../src/content/signals-schema.js';
import { ContentError } from '../../src/base/errors.js';

const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const shipped = loadSignalsConfig();

/** Loads a signals.yaml written from the shipped one with some top-level fields replaced. */
function loadWith(fields: Record<string, unknown>): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-signals-'));
  temps.push(dir);
  writeFileSync(join(dir, 'signals.yaml'), JSON.stringify({ ...shipped, ...fields }));
  return loadSignalsConfig(dir);
}

describe('content/signals.yaml', () => {
  test('GIVEN the shipped file THEN it holds the thresholds of the issue: elevated ≥ 5 and ≥ 3×, surge ≥ 15 and ≥ 6×, 15-minute windows, one voice per 30 minutes, 4 weeks of baseline', () => {
    assert.deepEqual(shipped.thresholds, { elevated: { minReporters: 5, ratio: 3 }, surge: { minReporters: 15, ratio: 6 } });
    assert.equal(shipped.windowMinutes, 15);
    assert.equal(shipped.reporterOnceMinutes, 30);
    assert.equal(shipped.calmMinutes, 30);
    assert.equal(shipped.baseline.weeks, 4);
    assert.ok(shipped.baseline.floor > 0);
  });

  test('GIVEN a surge weaker than elevated THEN loading fails naming the field', () => {
    assert.throws(
      () => loadWith({ thresholds: { elevated: { minReporters: 5, ratio: 3 }, surge: { minReporters: 4, ratio: 6 } } }),
      (e: unknown) => e instanceof ContentError && /thresholds\.surge\.minReporters/.test(e.message) && /signals\.yaml/.test(e.message),
    );
  });

  test('GIVEN a window that does not divide an hour, an unknown field, or a missing floor THEN the schema refuses each', () => {
    assert.equal(signalsFileSchema.safeParse({ ...shipped, windowMinutes: 7 }).success, false);
    assert.equal(signalsFileSchema.safeParse({ ...shipped, windowMinute: 15 }).success, false);
    assert.equal(signalsFileSchema.safeParse({ ...shipped, baseline: { weeks: 4 } }).success, false);
    assert.equal(signalsFileSchema.safeParse({ ...shipped, dominantShare: 1.5 }).success, false);
    assert.equal(signalsFileSchema.safeParse(shipped).success, true);
  });
});
