import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { withStoreBot } from '../helpers/bot.js';
import { GenericFakePlatform } from '../fakes/generic/server.js';
import { seededRandom } from '../../src/base/prng.js';
import { runWorker, workerNow } from './crash-harness.js';
import { admin, publisherOf, subscribeChannels } from './helpers.js';

const WORKER = fileURLToPath(new URL('./crash-worker.ts', import.meta.url));
const ROUNDS = 20;


test('GIVEN 500 targets and a dispatcher killed with SIGKILL at random points, 20 times, on a faulty platform THEN every channel ends with exactly its messages: 0 duplicates, 0 losses', { timeout: 400_000 }, () =>
  withStoreBot(async (bot, clock, runtime) => {
    const storePath = runtime.store.description.replace(/^sqlite:\/\//, '');
    for (let w = 1; w <= 5; w++) await subscribeChannels(runtime.store, 50, { workspace: `T${w}`, platform: 'slack' });
    for (let g = 1; g <= 5; g++) await subscribeChannels(runtime.store, 50, { workspace: `G${g}`, platform: 'discord' });
    const fake = new GenericFakePlatform({ faults: { rate: 0.1, seed: 2020 }, hangMs: 300 });
    const baseUrl = await fake.start();
    const random = seededRandom(17);
    const publisher = publisherOf(bot);
    const outbox = runtime.store.outbox;
    try {
      const opened = await publisher.publish({ services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: 'ENT inaccessible.' }, incident: { action: 'open' } }, admin, 'fr');
      assert.ok(opened.ok);
      assert.equal(opened.targets.total, 500);
      let interrupted = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        if (round === 11) {
          clock.set(workerNow());
          const updated = await publisher.publish({ status: 'partial_outage', text: { fr: 'Retour progressif.' }, incident: { action: 'update', id: opened.notice.incident!.id } }, admin, 'fr');
          assert.ok(updated.ok);
        }
        // Killed between 20 and 700 ms after it starts sending: mid-write, mid-request, mid-retry.
        const run = await runWorker(WORKER, [storePath, baseUrl, String(round)], Math.floor(20 + random() * 680));
        if (run.killed && !run.finished) interrupted++;
      }
      const last = await runWorker(WORKER, [storePath, baseUrl, "99"], null);
      assert.ok(last.finished);
      assert.ok(interrupted >= 10, `at least half the kills interrupted work in progress (${interrupted})`);

      const deliveries = await outbox.listDeliveries();
      assert.equal(deliveries.length, 1000);
      assert.deepEqual(deliveries.filter((d) => d.state !== 'delivered').map((d) => `${d.id} ${d.state} ${d.lastError}`), []);
      const byKey = fake.byKey();
      const duplicates = deliveries.filter((d) => (byKey.get(d.id)?.length ?? 0) > 1).length;
      const losses = deliveries.filter((d) => (byKey.get(d.id)?.length ?? 0) === 0).length;
      assert.deepEqual({ duplicates, losses }, { duplicates: 0, losses: 0 });
      assert.equal(fake.messages.size, 1000, 'nothing else was posted');
      for (const d of deliveries.filter((x) => x.kind === 'update')) {
        const reply = byKey.get(d.id)![0]!;
        const root = fake.messages.get(reply.parent ?? '');
        assert.ok(root && root.parent === null && root.channel === d.channel && root.workspace === d.workspace, `${d.id} replies under its channel's root`);
        assert.match(root.text, /Retour progressif/);
      }
      assert.ok(fake.stats.injectedTimeouts > 0 && fake.stats.injected500 > 0 && fake.stats.injected429 > 0);
    } finally {
      await fake.stop();
    }
  }),
);
