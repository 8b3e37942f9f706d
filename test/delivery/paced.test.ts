/**
 * The shared-pace wrapper around a transport: it waits for the slot the shared limits give
 * before each request, ends that wait at once on shutdown without sending, and never sends
 * when the limits cannot be read.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import type { Delivery, DeliveryTransport } from '../../src/delivery/index.js';
import { discordPlan, pacedTransport, slackPlan } from '../../src/delivery/paced.js';
import type { RateLimit, SharedPace } from '../../src/store/rate-buckets.js';
import { VirtualTimer } from '../helpers/virtual-time.js';

const delivery = (channel = 'C1'): Delivery => ({
  id: 'n0001.00001',
  noticeId: 'n0001',
  noticeSeq: 1,
  subscriptionIds: ['s1'],
  platform: 'slack',
  workspace: 'T1',
  channel,
  language: 'fr',
  incidentId: null,
  kind: 'post',
  state: 'pending',
  attempts: 0,
  lastError: null,
  failingSince: null,
  edited: false,
  messageRef: null,
  rootRef: null,
  nextAttemptAt: '2026-12-01T09:00:00.000Z',
  deadlineAt: '2026-12-02T09:00:00.000Z',
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  deliveredAt: null,
});

/** A transport that records when (on `clock`) each request reached it. */
function recording(clock: FixedClock) {
  const calls: { op: string; at: number }[] = [];
  const transport: DeliveryTransport = {
    platform: 'slack',
    post: async () => (calls.push({ op: 'post', at: clock.now().getTime() }), { ok: true, ref: '1.0' }),
    edit: async () => (calls.push({ op: 'edit', at: clock.now().getTime() }), { ok: true, ref: '1.0' }),
    reply: async () => (calls.push({ op: 'reply', at: clock.now().getTime() }), { ok: true, ref: '2.0' }),
    reconcile: async () => (calls.push({ op: 'reconcile', at: clock.now().getTime() }), { found: false }),
    checkAuth: async () => 'refused',
  };
  return { calls, transport };
}

/** A pace that answers the given waits in turn and remembers what it was asked. */
function scriptedPace(waits: number[]): SharedPace & { asked: RateLimit[][] } {
  const asked: RateLimit[][] = [];
  return {
    asked,
    async reserve(limits) {
      asked.push([...limits]);
      return waits.shift() ?? 0;
    },
  };
}

describe('paced transport (limits shared by instances)', () => {
  test('GIVEN the shared limits say wait 1.5 s THEN the post reaches the platform 1.5 s later, not before', async () => {
    const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
    const { calls, transport } = recording(clock);
    const paced = pacedTransport(transport, scriptedPace([1_500]), slackPlan(), new VirtualTimer(clock));
    const start = clock.now().getTime();
    assert.deepEqual(await paced.post(delivery(), { headline: 'x' } as never), { ok: true, ref: '1.0' });
    assert.deepEqual(calls, [{ op: 'post', at: start + 1_500 }]);
  });

  test('GIVEN Slack THEN posts and replies draw from the channel\'s and the workspace\'s limits, edits and lookups from the workspace\'s Tier 3; Discord counts every request in one bot-wide limit', async () => {
    const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
    const slack = scriptedPace([]);
    const { transport } = recording(clock);
    const p = pacedTransport(transport, slack, slackPlan(), new VirtualTimer(clock));
    await p.post(delivery('C7'), {} as never);
    await p.reply(delivery('C7'), '1.0', {} as never);
    await p.edit(delivery('C7'), '1.0', {} as never);
    await p.reconcile(delivery('C7'));
    assert.deepEqual(
      slack.asked.map((limits) => limits.map((l) => l.key)),
      [['slack:T1/C7', 'slack:T1'], ['slack:T1/C7', 'slack:T1'], ['slack:T1#tier3'], ['slack:T1#tier3']],
    );
    const discord = scriptedPace([]);
    const d = pacedTransport({ ...transport, platform: 'discord' }, discord, discordPlan('abc'), new VirtualTimer(clock));
    await d.post(delivery('1'), {} as never);
    await d.edit(delivery('2'), '9', {} as never);
    await d.reconcile(delivery('3'));
    assert.deepEqual(discord.asked.flat(), [0, 1, 2].map(() => ({ key: 'discord:abc', capacity: 1, perSecond: 49 })));
    assert.equal(await d.checkAuth!('T1'), 'refused', 'checkAuth goes through unpaced');
  });

  test('GIVEN shutdown during the wait THEN the wait ends at once with a retryable failure that sent nothing (not uncertain, reason "shutdown")', async () => {
    const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
    const { calls, transport } = recording(clock);
    const timer = new VirtualTimer(clock);
    const paced = pacedTransport(transport, scriptedPace([3_600_000]), slackPlan(), timer);
    const abort = new AbortController();
    const pending = paced.post(delivery(), {} as never, abort.signal);
    await new Promise((resolve) => setTimeout(resolve, 5));
    abort.abort();
    assert.deepEqual(await pending, { ok: false, retry: true, uncertain: false, reason: 'shutdown' });
    assert.equal(timer.elapsedMs, 0, 'no time passed: the hour-long wait ended at once');
    assert.deepEqual(calls, []);
    assert.deepEqual(await paced.reply(delivery(), '1.0', {} as never, abort.signal), { ok: false, retry: true, uncertain: false, reason: 'shutdown' });
    assert.deepEqual(calls, []);
  });

  test('GIVEN a hold of 2 s and the shared slot 30 s away THEN nothing is sent and the try is a rate limit to come back when the slot nears (no try counted, not uncertain); a slot within the hold is waited for', async () => {
    const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
    const { calls, transport } = recording(clock);
    const asked: number[] = [];
    const answers: ({ waitMs: number } | { laterMs: number })[] = [{ laterMs: 29_000 }, { waitMs: 1_200 }];
    const pace: SharedPace = {
      reserve: async () => assert.fail('a hold is given: reserveWithin only'),
      reserveWithin: async (_limits, withinMs) => (asked.push(withinMs), answers.shift()!),
    };
    const paced = pacedTransport(transport, pace, slackPlan(), new VirtualTimer(clock), 2_000);
    assert.deepEqual(await paced.post(delivery(), {} as never), { ok: false, retry: true, uncertain: false, rateLimited: true, retryAfterMs: 29_000, reason: 'shared_pace_later' });
    assert.deepEqual(calls, []);
    const start = clock.now().getTime();
    assert.deepEqual(await paced.post(delivery(), {} as never), { ok: true, ref: '1.0' });
    assert.deepEqual(calls, [{ op: 'post', at: start + 1_200 }]);
    assert.deepEqual(asked, [2_000, 2_000]);
  });

  test('GIVEN the shared limits cannot be read (store down) THEN nothing is sent and the try is retryable, not uncertain', async () => {
    const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
    const { calls, transport } = recording(clock);
    const failing: SharedPace = { reserve: async () => Promise.reject(new Error('connection refused')) };
    const paced = pacedTransport(transport, failing, slackPlan(), new VirtualTimer(clock));
    assert.deepEqual(await paced.post(delivery(), {} as never), { ok: false, retry: true, uncertain: false, reason: 'shared_pace_unavailable' });
    assert.deepEqual(calls, []);
  });
});
