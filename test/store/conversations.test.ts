import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FixedClock } from '../../src/base/clock.js';
import Keyv from 'keyv';
import { conversationKey, openStore, type ConversationContext, type Store } from '../../src/store/index.js';
import { createConversationStore, memoryContextKeyv } from '../../src/store/conversations.js';
import { BoundedTtlMap } from '../../src/store/bounded-map.js';
import { recordingLogger, tempDir } from './helpers.js';

const MINUTE = 60_000;

function context(overrides: Partial<ConversationContext> = {}): ConversationContext {
  return {
    language: 'fr',
    intent: 'status',
    service: 'ent',
    level: null,
    place: { kind: 'region', code: '76', name: 'Occitanie' },
    at: '2020-03-17T09:00:00.000Z',
    ...overrides,
  };
}

describe('store: conversation contexts', () => {
  let cleanup: () => void;
  let store: Store;
  let clock: FixedClock;
  let logger: ReturnType<typeof recordingLogger>;

  beforeEach(async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    clock = new FixedClock(new Date('2020-03-17T09:00:00Z'));
    logger = recordingLogger();
    store = await openStore(`sqlite://${join(tmp.dir, 'vigie.sqlite')}`, { clock, logger });
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  test('GIVEN a context set THEN get returns it with defaults filled in', async () => {
    await store.conversations.set('slack/T1/C1/', context());
    assert.deepEqual(await store.conversations.get('slack/T1/C1/'), { ...context(), alternatives: [], incidents: [] });
  });

  test('GIVEN the default expiry THEN the context is there at 29 minutes and gone at 30', async () => {
    await store.conversations.set('k', context());
    clock.advance(29 * MINUTE);
    assert.notEqual(await store.conversations.get('k'), null);
    clock.advance(1 * MINUTE);
    assert.equal(await store.conversations.get('k'), null);
  });

  test('GIVEN a 5-minute expiry THEN the context is gone after 5 minutes', async () => {
    await store.conversations.set('k', context(), 5 * MINUTE);
    clock.advance(5 * MINUTE);
    assert.equal(await store.conversations.get('k'), null);
  });

  test('GIVEN a newer context set on the same key THEN it replaces the older one and restarts the expiry', async () => {
    await store.conversations.set('k', context({ service: 'ent' }));
    clock.advance(20 * MINUTE);
    await store.conversations.set('k', context({ service: 'cned' }));
    clock.advance(20 * MINUTE);
    assert.equal((await store.conversations.get('k'))?.service, 'cned');
  });

  test('GIVEN two conversations THEN each keeps its own context, and delete forgets only one', async () => {
    await store.conversations.set('a', context({ service: 'ent' }));
    await store.conversations.set('b', context({ service: 'visio' }));
    assert.equal(await store.conversations.delete('a'), true);
    assert.equal(await store.conversations.get('a'), null);
    assert.equal((await store.conversations.get('b'))?.service, 'visio');
    assert.equal(await store.conversations.delete('a'), false);
  });

  test('GIVEN a corrupted context record THEN get returns null and warns', async () => {
    const keyv = memoryContextKeyv();
    const contexts = createConversationStore(keyv, clock, logger);
    await keyv.set('k', { context: { language: 'de' }, expiresAt: clock.now().getTime() + MINUTE });
    assert.equal(await contexts.get('k'), null);
    assert.equal(logger.warnings.length, 1);
  });

  test('GIVEN more contexts than the memory bound THEN the oldest go and memory stays bounded; expired ones go on the next write', async () => {
    // keyv stamps expiry on the wall clock; the map is told the time, so only differences matter.
    // Both ways keyv may hold entries: serialized (a keyv over the bounded map) and as objects (the default memory keyv).
    for (const kept of ['serialized', 'objects'] as const) {
      let wall = Date.now();
      const keyv = kept === 'objects' ? memoryContextKeyv(100, () => wall) : new Keyv({ store: new BoundedTtlMap(100, () => wall) });
      const map = keyv.store as BoundedTtlMap;
      const contexts = createConversationStore(keyv, clock, logger);
      for (let i = 0; i < 250; i++) await contexts.set(`k${i}`, context({ service: 'ent' }));
      assert.equal(map.size, 100, kept);
      assert.equal(await contexts.get('k0'), null, kept);
      assert.equal((await contexts.get('k249'))?.service, 'ent', kept);
      wall += 31 * MINUTE;
      await contexts.set('fresh', context({ service: 'cned' }));
      assert.ok(map.size <= 1, `${kept}: expired entries are dropped, not kept until read`);
    }
  });

  test('GIVEN a full bounded map WHEN entries are written again, deleted, or the map emptied THEN the oldest write is always the one that goes', () => {
    let now = 0;
    const map = new BoundedTtlMap(3, () => now);
    const entry = (expires: number) => ({ value: 'x', expires });
    const keys = () => [...map.keys()].sort();
    for (const k of ['a', 'b', 'c']) map.set(k, entry(100));
    map.set('a', entry(100)); // written again: now the newest
    map.set('d', entry(100));
    assert.deepEqual(keys(), ['a', 'c', 'd'], 'b, the oldest write, went');
    map.delete('c');
    map.set('e', entry(100));
    assert.deepEqual(keys(), ['a', 'd', 'e'], 'nothing more went while under the bound');
    map.set('f', entry(100));
    assert.deepEqual(keys(), ['d', 'e', 'f'], 'a, written again before d, went before it');
    map.clear();
    map.set('g', entry(50));
    map.set('h', entry(100));
    now = 60;
    map.set('i', entry(200));
    assert.deepEqual(keys(), ['h', 'i'], 'after clear(), an expired oldest entry goes on the next write');
    for (let i = 0; i < 1_000; i++) map.set(`n${i}`, entry(200));
    assert.deepEqual(keys(), ['n997', 'n998', 'n999']);
    // One entry stays put while another is written again thousands of times: the long-lived
    // one is still the oldest write, and goes first once the bound is reached.
    map.clear();
    map.set('kept', entry(1_000));
    for (let i = 0; i < 5_000; i++) map.set('busy', entry(1_000));
    map.set('third', entry(1_000));
    assert.deepEqual(keys(), ['busy', 'kept', 'third']);
    map.set('fourth', entry(1_000));
    assert.deepEqual(keys(), ['busy', 'fourth', 'third'], 'kept, the oldest write, went');
    map.set('fifth', entry(1_000));
    assert.deepEqual(keys(), ['fifth', 'fourth', 'third'], 'then busy, written before third');
  });

  test('GIVEN a context read back from memory THEN changing it or the object it was set from changes nothing stored', async () => {
    const contexts = createConversationStore(memoryContextKeyv(), clock, logger);
    const value = context({ alternatives: [{ kind: 'commune', code: '31555', name: 'Toulouse' }] });
    await contexts.set('k', value);
    value.place!.name = 'changed';
    const read = await contexts.get('k');
    assert.equal(read?.place?.name, 'Occitanie');
    read!.alternatives.push({ kind: 'commune', code: '1', name: 'x' });
    assert.equal((await contexts.get('k'))?.alternatives.length, 1);
  });

  test('GIVEN the default memory keyv (read and written without keyv\'s machinery) THEN keyv sees the same entries both ways, and what keyv wrote is still validated', async () => {
    const keyv = memoryContextKeyv();
    const contexts = createConversationStore(keyv, clock, logger);
    await contexts.set('k', context({ service: 'visio' }));
    const raw = (await keyv.get('k')) as { context: { service: string }; expiresAt: number };
    assert.equal(raw.context.service, 'visio');
    assert.equal(raw.expiresAt, clock.now().getTime() + 30 * MINUTE);
    assert.throws(() => {
      raw.context.service = 'changed';
    }, TypeError);
    assert.equal((await contexts.get('k'))?.service, 'visio');
    assert.equal(await keyv.delete('k'), true);
    assert.equal(await contexts.get('k'), null);
    await keyv.set('other', { context: { ...context({ service: 'cned' }), alternatives: [], incidents: [] }, expiresAt: clock.now().getTime() + MINUTE });
    assert.equal((await contexts.get('other'))?.service, 'cned');
    await keyv.set('bad', { context: { ...context(), service: 42 }, expiresAt: clock.now().getTime() + MINUTE });
    assert.equal(await contexts.get('bad'), null);
    assert.equal(logger.warnings.length, 1);
  });

  test('GIVEN two threads of one channel THEN their conversation keys differ, and a channel without thread has its own', () => {
    const base = { platform: 'slack', workspace: 'T1', channel: 'C1' };
    const keys = new Set([
      conversationKey(base),
      conversationKey({ ...base, thread: '111.1' }),
      conversationKey({ ...base, thread: '222.2' }),
      conversationKey({ ...base, workspace: 'T2' }),
    ]);
    assert.equal(keys.size, 4);
  });
});
