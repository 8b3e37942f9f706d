import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressFollower, type FollowState } from '../../src/delivery/follow-progress.js';
import type { NoticeProgress } from '../../src/store/outbox.js';
import { FixedClock } from '../../src/base/clock.js';
import { VirtualTimer } from '../helpers/virtual-time.js';
import { TEST_NOW } from '../helpers/clock.js';

const progress = (pending: number, delivered: number): NoticeProgress =>
  ({ total: pending + delivered, delivered, failed: 0, pending, inFlight: 0, byPlatform: {}, failures: [] }) as unknown as NoticeProgress;

describe('following a notice for its admin', () => {
  test('GIVEN deliveries completing THEN each look is shown until nothing is pending, ending with done', async () => {
    const states = [progress(3, 0), progress(1, 2), progress(0, 3)];
    const follower = new ProgressFollower(async () => states.shift() ?? null, { intervalMs: 1 });
    const seen: [number, FollowState][] = [];
    await follower.follow('n1', async (p, state) => void seen.push([p?.pending ?? -1, state]));
    assert.deepEqual(seen, [[3, 'running'], [1, 'running'], [0, 'done']]);
  });

  test('GIVEN stop() while waiting THEN the follow ends at once with stopped', async () => {
    const follower = new ProgressFollower(async () => progress(5, 0), { intervalMs: 60_000 });
    const seen: FollowState[] = [];
    const following = follower.follow('n1', async (_p, state) => void seen.push(state));
    follower.stop();
    await following;
    assert.deepEqual(seen, ['stopped']);
  });

  test('GIVEN the time bound THEN the follow ends with stopped even if deliveries are still pending', async () => {
    const follower = new ProgressFollower(async () => progress(5, 0), { intervalMs: 1, maxMs: 0 });
    const seen: FollowState[] = [];
    await follower.follow('n1', async (_p, state) => void seen.push(state));
    assert.deepEqual(seen, ['stopped']);
  });

  test('GIVEN deliveries still pending after the default 14 minutes THEN the follow looks every 2 s until then and ends with stopped (virtual time)', async () => {
    const clock = new FixedClock(TEST_NOW);
    const timer = new VirtualTimer(clock, 1);
    let looks = 0;
    const follower = new ProgressFollower(async () => (looks++, progress(5, 0)), {}, { timer, monotonic: () => clock.now().getTime() });
    const seen: FollowState[] = [];
    await follower.follow('n1', async (_p, state) => void seen.push(state));
    assert.equal(looks, (14 * 60_000) / 2000, 'a look every 2 s for 14 minutes');
    assert.equal(seen.length, looks);
    assert.deepEqual(seen.slice(-2), ['running', 'stopped']);
    assert.equal(timer.elapsedMs, 14 * 60_000);
  });
});
