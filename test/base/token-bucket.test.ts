/**
 * The one token bucket (src/base/token-bucket.ts), shared by the Slack pacer and the test
 * fakes: a burst of `capacity`, then `perSecond`; a slowed rate refills slower; a clock that
 * goes back refills nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from '../../src/base/token-bucket.js';
import { TokenBucket as FakesBucket } from '../fakes/generic/buckets.js';

test('GIVEN a bucket of 3 at 2 per second THEN 3 go at once, the 4th waits 500 ms, and a second later 2 more are there', () => {
  const b = new TokenBucket({ capacity: 3, perSecond: 2 }, 0);
  for (let i = 0; i < 3; i++) {
    assert.equal(b.waitMs(0), 0);
    b.take(0);
  }
  assert.equal(b.waitMs(0), 500);
  assert.equal(b.waitMs(1_000), 0);
  b.take(1_000);
  b.take(1_000);
  assert.equal(b.waitMs(1_000), 500);
});

test('GIVEN a rate halved and a burst emptied THEN the next token takes twice as long; an earlier time refills nothing', () => {
  const b = new TokenBucket({ capacity: 10, perSecond: 4 }, 0);
  b.empty(0);
  b.rate = 2;
  assert.equal(b.waitMs(0), 500);
  assert.equal(b.waitMs(250), 250);
  assert.equal(b.waitMs(100), 250, 'a time before the last one seen changes nothing');
});

test('GIVEN the fakes\' buckets THEN they are the same bucket as the pacer\'s', () => {
  assert.equal(FakesBucket, TokenBucket);
});
