/**
 * What npm start wires for several instances: on PostgreSQL the platform transports draw
 * from limits kept in the database (Discord's under a digest of the token, never the token);
 * on SQLite (one instance) they are left as they are.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../src/store/index.js';
import type { DeliveryTransport } from '../src/delivery/index.js';
import { shareInstances } from '../src/instances.js';
import { silentLogger } from '../src/base/logger.js';
import { freshStoreUrl, pgSkipReason } from './helpers/stores.js';
import { createDiscordTransport } from '../adapters/discord/index.js';
import { sharedTemplates } from './helpers/templates.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.not-a-real-token-but-secret-anyway';

function counting(platform: DeliveryTransport['platform']): DeliveryTransport & { posts: number } {
  const t = {
    platform,
    posts: 0,
    post: async () => (t.posts++, { ok: true as const, ref: String(t.posts) }),
    edit: async () => ({ ok: true as const, ref: '1' }),
    reply: async () => ({ ok: true as const, ref: '2' }),
    reconcile: async () => ({ found: false as const }),
  };
  return t;
}

const delivery = { id: 'n0001.00001', noticeId: 'n0001', noticeSeq: 1, subscriptionIds: [], platform: 'discord', workspace: 'G1', channel: '42', language: 'fr', incidentId: null, kind: 'post', state: 'pending', attempts: 0, lastError: null, failingSince: null, edited: false, messageRef: null, rootRef: null, nextAttemptAt: '2026-12-01T09:00:00.000Z', deadlineAt: '2026-12-02T09:00:00.000Z', createdAt: '2026-12-01T09:00:00.000Z', updatedAt: '2026-12-01T09:00:00.000Z', deliveredAt: null } as const;

describe('instances sharing a store', () => {
  test('GIVEN a SQLite store THEN the transports are used as they are', async () => {
    const { url, cleanup } = await freshStoreUrl('sqlite');
    const store = await openStore(url);
    try {
      const transports = [counting('slack'), counting('discord')];
      assert.deepEqual(shareInstances(store, transports, { logger: silentLogger }).transports, transports);
    } finally {
      await store.close();
      await cleanup();
    }
  });

  test('GIVEN PostgreSQL THEN Discord requests go through the shared limit, kept under a digest of the token', { skip: pgSkipReason() ?? false }, async () => {
    const { url, cleanup } = await freshStoreUrl('postgres');
    const store = await openStore(url);
    try {
      // The Discord transport gives the key its limit is kept under.
      const real = createDiscordTransport({ templates: sharedTemplates(), token: TOKEN });
      real.destroy();
      const discord = Object.assign(counting('discord'), { paceKey: real.paceKey });
      const shared = shareInstances(store, [discord, counting('console')], { logger: silentLogger });
      assert.notEqual(shared.transports[0], discord, 'Discord is wrapped');
      assert.equal(shared.transports[0]!.platform, 'discord');
      assert.equal(shared.transports[1]!.platform, 'console');
      assert.deepEqual(await shared.transports[0]!.post(delivery as never, {} as never), { ok: true, ref: '1' });
      const rows = await store.db.kysely.selectFrom('rate_buckets').select('key').execute();
      assert.equal(rows.length, 1);
      assert.match(rows[0]!.key, /^discord:[0-9a-f]{16}$/);
      assert.equal(rows[0]!.key, `discord:${real.paceKey}`);
      assert.ok(!rows[0]!.key.includes(TOKEN.slice(0, 10)));
      await shared.close();
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
