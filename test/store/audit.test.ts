import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { openStore, type NewAuditEntry, type Store } from '../../src/store/index.js';
import { recordingLogger } from './helpers.js';
import { describeStores, freshStoreUrl } from '../helpers/stores.js';

const entry = (action: string, overrides: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  actor: { platform: 'slack', user: 'U42' },
  action,
  outcome: 'ok',
  ...overrides,
});

describeStores('store: audit log', (kind) => {
  let url: string;
  let cleanup: () => Promise<void>;
  let store: Store;
  let clock: FixedClock;

  beforeEach(async () => {
    ({ url, cleanup } = await freshStoreUrl(kind));
    clock = new FixedClock(new Date('2020-03-17T08:00:00Z'));
    store = await openStore(url, { clock, logger: recordingLogger() });
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  test('GIVEN entries appended THEN they are numbered 1, 2, 3 and stamped with the clock time', async () => {
    const a = await store.audit.append(entry('incident.open', { target: 'ent-occitanie' }));
    clock.advance(60_000);
    const b = await store.audit.append(entry('notice.publish', { outcome: 'refused', detail: 'not an admin' }));
    const c = await store.audit.append(entry('subscription.add'));
    assert.deepEqual([a.seq, b.seq, c.seq], [1, 2, 3]);
    assert.equal(a.at, '2020-03-17T08:00:00.000Z');
    assert.equal(b.at, '2020-03-17T08:01:00.000Z');
    assert.deepEqual(await store.audit.list(), [a, b, c]);
  });

  test('GIVEN a reopened store THEN numbering continues after the last entry', async () => {
    await store.audit.append(entry('a'));
    await store.audit.append(entry('b'));
    await store.close();
    store = await openStore(url, { clock });
    assert.equal((await store.audit.append(entry('c'))).seq, 3);
  });

  test('GIVEN 12 entries THEN list with a limit gives the most recent ones, oldest first', async () => {
    for (let i = 1; i <= 12; i++) await store.audit.append(entry(`action-${i}`));
    assert.deepEqual(
      (await store.audit.list({ limit: 3 })).map((e) => e.action),
      ['action-10', 'action-11', 'action-12'],
    );
    assert.equal((await store.audit.list({ limit: 0 })).length, 0);
  });

  test('GIVEN entries over an hour THEN since and afterSeq keep only the later ones', async () => {
    await store.audit.append(entry('early'));
    clock.advance(3_600_000);
    await store.audit.append(entry('late'));
    assert.deepEqual(
      (await store.audit.list({ since: '2020-03-17T08:30:00Z' })).map((e) => e.action),
      ['late'],
    );
    assert.deepEqual(
      (await store.audit.list({ afterSeq: 1 })).map((e) => e.action),
      ['late'],
    );
  });

  test('GIVEN a detail starting with a colon THEN it reads back unchanged', async () => {
    await store.audit.append(entry('x', { detail: ':warning: quota' }));
    assert.equal((await store.audit.list())[0]?.detail, ':warning: quota');
  });
});
