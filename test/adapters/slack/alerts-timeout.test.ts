/**
 * A Slack alert post that Slack stored but whose answer never came (the Web API client's
 * timeout, in real time): the alert desk's next step finds the message by its metadata and
 * edits it, never posting a second one. In the slow suite: the test waits for the timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNEL, MIN, people, setup, textOf, type Setup } from './alerts-rig.js';

describe('Slack alerts: a post whose answer is lost', () => {
  let s: Setup;
  before(async () => {
    // The hung post is held until the fake closes; the client gives up after 5 s, which every
    // other call must beat (in the quick suite's load, 300 ms and then 1.5 s were not always enough).
    s = await setup({ hangMs: 60_000, timeoutMs: 5_000 });
  });
  after(async () => {
    await s.close();
  });

  test('GIVEN Slack stores the alert but the answer never comes (timeout) THEN the next step finds it by its metadata and edits it: one message', async () => {
    await people(s.rig, 'UT', 0, 20);
    // Every chat.postMessage times out; with the fake's seed (2) the first one is stored before it hangs.
    s.rig.api.setFaults({ rate: 1, seed: 2, kinds: ['timeout'], methods: ['chat.postMessage'] });
    s.rig.clock.advance(MIN);
    await s.step();
    s.rig.api.setFaults(null);
    assert.equal(s.rig.api.stats.storedThenHung, 1, 'the message landed though the answer was lost');
    assert.equal(s.messages().length, 1);
    s.rig.clock.advance(MIN);
    await s.step();
    assert.equal(s.messages().length, 1, 'no second message');
    assert.equal(s.rig.api.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL).length, 1);
    assert.ok(s.rig.api.callsTo('chat.update').some((c) => c.args.channel === CHANNEL));
    // From then on, edits go to that message.
    await people(s.rig, 'UT', 20, 30);
    s.rig.clock.advance(MIN);
    await s.step();
    assert.equal(s.messages().length, 1);
    assert.match(textOf(s.messages()[0]!), /30 personne\(s\) en 30 min/);
  });
});
