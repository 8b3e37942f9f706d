/**
 * The test helper for virtual time (test/helpers/virtual-time.ts): time jumps to the earliest
 * wake-up only once the real work in progress has settled, and never between a store call's
 * end and the code that continues after it (which would see a later clock than the call's
 * outcome was written at).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { InFlight, VirtualTimer } from './virtual-time.js';

const T0 = new Date('2026-12-01T09:00:00Z');
const HOUR = 3_600_000;

/** A store call that takes `ms` of real time (as a PostgreSQL query does on a loaded machine). */
const slowCall = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('VirtualTimer with InFlight', () => {
  test('GIVEN a sleeper and the real pause running out while a store call is in flight THEN the clock stays put until the code after the call has run, then jumps', async () => {
    const clock = new FixedClock(T0);
    const inFlight = new InFlight();
    // A 1-ms pause: it runs out (several times) during the 60-ms call.
    const timer = new VirtualTimer(clock, { settleMs: 1, inFlight });
    const poll = timer.sleep(HOUR);
    const seen: number[] = [];
    // A try: two store calls one after the other, the clock read after each (as a try writes its outcome).
    await inFlight.track(slowCall(60));
    seen.push(clock.now().getTime());
    await inFlight.track(slowCall(30));
    seen.push(clock.now().getTime());
    assert.deepEqual(seen, [T0.getTime(), T0.getTime()], 'no jump between a store call and what follows it');
    await poll;
    assert.equal(clock.now().getTime(), T0.getTime() + HOUR, 'the sleeper woke at its time once the work was done');
    assert.equal(timer.elapsedMs, HOUR);
  });

  test('GIVEN sleepers and nothing in flight THEN the clock jumps to each wake-up in turn', async () => {
    const clock = new FixedClock(T0);
    const timer = new VirtualTimer(clock, { inFlight: new InFlight() });
    const woke: number[] = [];
    await Promise.all([5_000, 1_000, 3_000].map((ms) => timer.sleep(ms).then(() => woke.push(clock.now().getTime() - T0.getTime()))));
    assert.deepEqual(woke, [1_000, 3_000, 5_000]);
  });
});
