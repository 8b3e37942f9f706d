import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { openStore, type NewSubscription, type Store } from '../../src/store/index.js';
import { InputError } from '../../src/base/errors.js';
import { recordingLogger } from './helpers.js';
import { describeStores, freshStoreUrl } from '../helpers/stores.js';

const toulouse = { kind: 'academie', code: 'toulouse', name: 'Toulouse' } as const;

function input(overrides: Partial<NewSubscription> = {}): NewSubscription {
  return {
    platform: 'slack',
    workspace: 'T1',
    channel: 'C-profs',
    service: 'ent',
    place: toulouse,
    createdBy: 'U42',
    ...overrides,
  };
}

describeStores('store: subscriptions', (kind) => {
  let cleanup: () => Promise<void>;
  let url: string;
  let store: Store;
  let clock: FixedClock;

  beforeEach(async () => {
    const fresh = await freshStoreUrl(kind);
    cleanup = fresh.cleanup;
    url = fresh.url;
    clock = new FixedClock(new Date('2020-03-17T08:00:00Z'));
    store = await openStore(fresh.url, { clock, logger: recordingLogger() });
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  test('GIVEN a new subscription THEN it is stored active, for all levels and audiences, stamped by the clock', async () => {
    const { subscription, created } = await store.subscriptions.add(input());
    assert.equal(created, true);
    assert.equal(subscription.active, true);
    assert.equal(subscription.failures, 0);
    assert.deepEqual(subscription.levels, []);
    assert.equal(subscription.audience, 'all');
    assert.equal(subscription.createdAt, '2020-03-17T08:00:00.000Z');
    assert.deepEqual(await store.subscriptions.get(subscription.id), subscription);
  });

  test('GIVEN the same channel subscribed twice to the same service and place THEN one record remains, with the first creation', async () => {
    const first = await store.subscriptions.add(input({ levels: ['college'] }));
    clock.advance(3_600_000);
    const second = await store.subscriptions.add(input({ levels: ['lycee'], createdBy: 'U99', place: { ...toulouse, name: 'Académie de Toulouse' } }));
    assert.equal(second.created, false);
    assert.equal(second.subscription.id, first.subscription.id);
    assert.equal(second.subscription.createdAt, first.subscription.createdAt);
    assert.equal(second.subscription.createdBy, 'U42');
    assert.deepEqual(second.subscription.levels, ['lycee']);
    assert.equal((await store.subscriptions.listAll()).length, 1);
  });

  test('GIVEN subscriptions differing by workspace, channel, service or place THEN each is its own record', async () => {
    await store.subscriptions.add(input());
    await store.subscriptions.add(input({ workspace: 'T2' }));
    await store.subscriptions.add(input({ channel: 'C-parents' }));
    await store.subscriptions.add(input({ service: '*' }));
    await store.subscriptions.add(input({ place: { kind: 'region', code: '76', name: 'Occitanie' } }));
    await store.subscriptions.add(input({ platform: 'discord', workspace: 'G1', channel: '123' }));
    assert.equal((await store.subscriptions.listAll()).length, 6);
  });

  test('GIVEN subscriptions on two platforms THEN list filters by platform, workspace and channel', async () => {
    await store.subscriptions.add(input());
    await store.subscriptions.add(input({ service: 'cned' }));
    await store.subscriptions.add(input({ channel: 'C-parents' }));
    await store.subscriptions.add(input({ platform: 'discord', workspace: 'G1', channel: '123' }));
    assert.equal((await store.subscriptions.list({ platform: 'slack' })).length, 3);
    const inChannel = await store.subscriptions.list({ platform: 'slack', workspace: 'T1', channel: 'C-profs' });
    assert.deepEqual(inChannel.map((s) => s.service).sort(), ['cned', 'ent']);
    assert.equal((await store.subscriptions.list({ workspace: 'G1' }))[0]?.platform, 'discord');
    assert.equal((await store.subscriptions.list()).length, 4);
  });

  test('GIVEN delivery failures recorded and the channel subscribed again THEN it is active with no failures', async () => {
    const { subscription } = await store.subscriptions.add(input());
    const failed = await store.subscriptions.update(subscription.id, { failures: 5, active: false });
    assert.equal(failed?.active, false);
    assert.equal((await store.subscriptions.get(subscription.id))?.failures, 5);
    const again = await store.subscriptions.add(input());
    assert.equal(again.subscription.active, true);
    assert.equal(again.subscription.failures, 0);
  });

  test('GIVEN a removed subscription THEN it is gone, and removing or updating it again finds nothing', async () => {
    const { subscription } = await store.subscriptions.add(input());
    assert.equal(await store.subscriptions.remove(subscription.id), true);
    assert.equal(await store.subscriptions.get(subscription.id), null);
    assert.equal(await store.subscriptions.remove(subscription.id), false);
    assert.equal(await store.subscriptions.update(subscription.id, { failures: 1 }), null);
  });

  test('GIVEN another process writing subscriptions WHEN this one targets notices THEN it sees every addition, pause and removal at its next use', async () => {
    const other = await openStore(url, { clock, logger: recordingLogger() });
    try {
      const target = async () => (await store.subscriptions.candidates({ services: ['ent'], places: [toulouse], ancestors: [] })).map((s) => s.channel).sort();
      assert.deepEqual(await target(), []);
      const a = await other.subscriptions.add(input({ channel: 'C-a' }));
      const b = await other.subscriptions.add(input({ channel: 'C-b' }));
      await other.subscriptions.add(input({ channel: 'C-cned', service: 'cned' }));
      assert.deepEqual(await target(), ['C-a', 'C-b']);
      await other.subscriptions.update(b.subscription.id, { active: false });
      assert.deepEqual(await target(), ['C-a']);
      assert.equal(await other.subscriptions.remove(a.subscription.id), true);
      assert.deepEqual(await target(), []);
      await other.subscriptions.add(input({ channel: 'C-a' }));
      await other.subscriptions.update(b.subscription.id, { active: true });
      assert.deepEqual(await target(), ['C-a', 'C-b']);
      // What this process writes itself is seen as well.
      await store.subscriptions.add(input({ channel: 'C-c' }));
      assert.deepEqual(await target(), ['C-a', 'C-b', 'C-c']);
    } finally {
      await other.close();
    }
  });

  test('GIVEN an unknown platform THEN add throws an InputError naming the field', async () => {
    await assert.rejects(
      store.subscriptions.add(input({ platform: 'teams' as never })),
      (error: unknown) => error instanceof InputError && /platform/.test(error.message),
    );
    assert.deepEqual(await store.subscriptions.listAll(), []);
  });
});
