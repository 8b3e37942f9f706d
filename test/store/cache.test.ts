/**
 * Follow-up contexts in the real Redis at 127.0.0.1:6379 (VIGIE_CACHE_URL): shared by
 * instances, given a TTL in Redis, a clear error when Redis is not there at start-up, and
 * questions answered without waiting when it goes away. Each run uses its own key prefix,
 * deleted afterwards.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { FixedClock } from '../../src/base/clock.js';
import { StoreError } from '../../src/base/errors.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { openContextCache } from '../../src/store/index.js';
import { createConversationStore } from '../../src/store/conversations.js';
import { sharedReference } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { freshStoreUrl } from '../helpers/stores.js';
import { recordingLogger } from './helpers.js';

const REDIS = process.env.VIGIE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `vt-${process.pid}-${randomBytes(3).toString('hex')}`;
const CACHE_URL = `${REDIS}?prefix=${PREFIX}`;
const conversation = { platform: 'slack', workspace: 'T1', channel: 'C1', user: 'U1' } as const;

async function redisKeys(): Promise<string[]> {
  const client = createClient({ url: REDIS });
  await client.connect();
  try {
    return await client.keys(`${PREFIX}:*`);
  } finally {
    client.destroy();
  }
}

describe('store: follow-up contexts in Redis (VIGIE_CACHE_URL)', () => {
  let storeUrl: string;
  let cleanupStore: () => Promise<void>;
  const runtimes: Runtime[] = [];
  const clock = new FixedClock(TEST_NOW);
  const instance = async (cacheUrl: string | undefined) => {
    const runtime = await createRuntime({ storeUrl, cacheUrl, clock, reference: sharedReference() });
    runtimes.push(runtime);
    return runtime;
  };

  before(async () => {
    ({ url: storeUrl, cleanup: cleanupStore } = await freshStoreUrl('sqlite'));
  });
  after(async () => {
    for (const r of runtimes) await r.close();
    const client = createClient({ url: REDIS });
    await client.connect();
    const keys = await client.keys(`${PREFIX}:*`);
    if (keys.length > 0) await client.del(keys);
    client.destroy();
    await cleanupStore();
  });

  test('GIVEN two instances sharing one Redis THEN a follow-up asked on the second leans on the question asked on the first', async () => {
    const a = await instance(CACHE_URL);
    const b = await instance(CACHE_URL);
    await a.bot.ask({ conversation, text: "L'ENT marche à Toulouse ?" });
    const followUp = await b.bot.ask({ conversation, text: 'et à Lyon ?' });
    assert.equal(followUp.query.service, 'ent');
    assert.equal(followUp.query.place?.name, 'Lyon');
    // Without the shared cache, the second instance knows nothing of the first question.
    const alone = await instance(undefined);
    assert.equal((await alone.bot.ask({ conversation, text: 'et à Lyon ?' })).query.service, null);
  });

  test('GIVEN a context in Redis THEN Redis itself expires it within 30 minutes, and by the injected clock it is gone at 30 minutes', async () => {
    const keyv = await openContextCache(CACHE_URL, recordingLogger());
    const contexts = createConversationStore(keyv, clock, recordingLogger());
    try {
      await contexts.set('ttl-check', { language: 'fr', intent: 'status', service: 'ent', level: null, place: null, at: TEST_NOW.toISOString() });
      const keys = (await redisKeys()).filter((k) => k.endsWith('ttl-check'));
      assert.equal(keys.length, 1);
      const client = createClient({ url: REDIS });
      await client.connect();
      const ttl = await client.pTTL(keys[0]!);
      client.destroy();
      assert.ok(ttl > 0 && ttl <= 30 * 60_000, `a TTL is set in Redis (got ${ttl} ms)`);
      const later = new FixedClock(new Date(TEST_NOW.getTime() + 30 * 60_000));
      assert.equal(await createConversationStore(keyv, later, recordingLogger()).get('ttl-check'), null);
      assert.notEqual(await contexts.get('ttl-check'), null);
    } finally {
      await contexts.close();
    }
  });

  test('GIVEN Redis not answering at start-up THEN opening fails with the address and never the password', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await assert.rejects(openContextCache(`redis://:hunter22@127.0.0.1:${port}`, recordingLogger()), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, new RegExp(`cannot reach the cache redis://127\\.0\\.0\\.1:${port}`));
      assert.match(error.message, /VIGIE_CACHE_URL/);
      assert.doesNotMatch(error.message, /hunter22/);
      return true;
    });
  });

  test('GIVEN Redis lost while running THEN questions are still answered, without follow-up context, and the outage is logged once', async () => {
    const proxy = await tcpProxy(6379);
    const logger = recordingLogger();
    const keyv = await openContextCache(`redis://127.0.0.1:${proxy.port}?prefix=${PREFIX}`, logger);
    const contexts = createConversationStore(keyv, clock, logger);
    try {
      await contexts.set('lost', { language: 'fr', intent: 'status', service: 'ent', level: null, place: null, at: TEST_NOW.toISOString() });
      assert.notEqual(await contexts.get('lost'), null);
      await proxy.cut();
      for (let i = 0; i < 5; i++) {
        // A hang here (commands queued until Redis is back) fails the test instead of waiting.
        assert.equal(await noHang(contexts.get('lost')), null);
        await noHang(contexts.set('lost', { language: 'fr', intent: 'status', service: 'cned', level: null, place: null, at: TEST_NOW.toISOString() }));
      }
      const outage = logger.warnings.filter((w) => /context|Redis/i.test(w.message));
      assert.ok(outage.length >= 1 && outage.length <= 2, `logged once per outage, not per question (got ${JSON.stringify(outage.map((w) => w.message))})`);
    } finally {
      await contexts.close();
    }
  });
});

/** Fails when `promise` takes more than 5 s (it should take milliseconds): a hang, not a speed check. */
async function noHang<T>(promise: Promise<T>): Promise<T> {
  let handle: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (handle = setTimeout(() => reject(new Error('hung waiting for Redis')), 5_000)))]);
  } finally {
    clearTimeout(handle);
  }
}

/** A TCP proxy to a local port that can be cut (connections dropped, port closed), as Redis going away. */
async function tcpProxy(target: number): Promise<{ port: number; cut: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
