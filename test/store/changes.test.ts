/**
 * Several instances on one PostgreSQL store hear each other's changes at once (LISTEN/NOTIFY):
 * a publication in one instance wakes the dispatcher of another whose poll is 10 minutes; an
 * incident change refreshes its answers; a lost LISTEN connection comes back by itself.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { openStore } from '../../src/store/index.js';
import { listenChanges, type ChangeTopic } from '../../src/store/sql/changes.js';
import { shareInstances } from '../../src/instances.js';
import { Dispatcher } from '../../src/delivery/index.js';
import { silentLogger } from '../../src/base/logger.js';
import { TEST_NOW } from '../helpers/clock.js';
import { sharedReference } from '../helpers/bot.js';
import { freshPgUrl, pgSkipReason, withPgAdmin } from '../helpers/stores.js';
import { admin, publisherOf, startFake, subscribeChannels } from '../delivery/helpers.js';
import { makeIncident, recordingLogger } from './helpers.js';

/** Resolves with the next topic `wait` is given, or rejects after `ms` of real time (a failure, not a measure). */
function nextTopic(ms = 15_000) {
  let resolveNext: ((topic: ChangeTopic) => void) | null = null;
  const seen: ChangeTopic[] = [];
  return {
    seen,
    onChange(topic: ChangeTopic) {
      seen.push(topic);
      resolveNext?.(topic);
      resolveNext = null;
    },
    next(want: ChangeTopic): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${want}" notification (seen: ${seen.join(', ') || 'none'})`)), ms);
        resolveNext = (topic) => {
          if (topic !== want) return void this.next(want).then(resolve, reject).finally(() => clearTimeout(timer));
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}

describe('store: changes heard across instances (PostgreSQL LISTEN/NOTIFY)', { skip: pgSkipReason() ?? false }, () => {
  test('GIVEN two instances on one schema THEN a notice published in one wakes the other\'s dispatcher (10-minute poll), which delivers it', { timeout: 30_000 }, async () => {
    const { url, cleanup } = await freshPgUrl();
    const clock = new FixedClock(new Date(TEST_NOW));
    const runtimes: Runtime[] = [];
    const { fake, transport } = await startFake();
    try {
      const a = await createRuntime({ storeUrl: url, clock, reference: sharedReference() });
      runtimes.push(a);
      const b = await createRuntime({ storeUrl: url, clock, reference: sharedReference() });
      runtimes.push(b);
      await subscribeChannels(a.store, 3);
      const shared = shareInstances(b.store, [transport], { logger: silentLogger });
      let outcomes = 0;
      let allDelivered = () => {};
      const delivered = new Promise<void>((resolve) => (allDelivered = resolve));
      const dispatcher = new Dispatcher({
        store: b.store,
        clock,
        templates: b.bot.templates,
        transports: shared.transports,
        options: { pollMs: 600_000 },
        onOutcome: () => ++outcomes === 3 && allDelivered(),
      });
      shared.listen({ outbox: () => dispatcher.kick(), incidents: () => b.bot.source.invalidate() });
      dispatcher.start();
      // Let the idle dispatcher settle into its 10-minute wait.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const published = await publisherOf(a.bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis.' } }, admin, 'fr');
      assert.ok(published.ok);
      await delivered;
      assert.equal(fake.messages.size, 3);
      await dispatcher.stop();
      await shared.close();
    } finally {
      for (const r of runtimes) await r.close();
      await fake.stop();
      await cleanup();
    }
  });

  test('GIVEN an incident opened by another store (the CLI) THEN the listener hears "incidents"; a rolled-back write says nothing; other schemas are not heard', async () => {
    const mine = await freshPgUrl();
    const other = await freshPgUrl();
    const bot = await openStore(mine.url);
    const cli = await openStore(mine.url);
    const elsewhere = await openStore(other.url);
    const heard = nextTopic();
    const listener = listenChanges(bot.db, heard.onChange, { logger: silentLogger })!;
    try {
      await listener.ready;
      await elsewhere.incidents.put(makeIncident({ id: 'elsewhere' }));
      await assert.rejects(
        cli.write(async (tx) => {
          await cli.incidents.put(makeIncident({ id: 'rolled-back' }), tx);
          throw new Error('abandoned');
        }),
      );
      const incidents = heard.next('incidents');
      await cli.incidents.put(makeIncident({ id: 'from-cli' }));
      await incidents;
      assert.deepEqual(heard.seen, ['incidents'], 'only the committed write of this schema was heard');
    } finally {
      await listener.close();
      for (const s of [bot, cli, elsewhere]) await s.close();
      await mine.cleanup();
      await other.cleanup();
    }
  });

  test('GIVEN the LISTEN connection killed by the server THEN it reconnects, tells every topic once back, and hears later changes', async () => {
    const { url, schema, cleanup } = await freshPgUrl();
    const bot = await openStore(url);
    const cli = await openStore(url);
    const logger = recordingLogger();
    const heard = nextTopic();
    const listener = listenChanges(bot.db, heard.onChange, { logger, retryMs: 50 })!;
    try {
      await listener.ready;
      const back = heard.next('outbox');
      const killed = await withPgAdmin((client) => client.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`, [`vigie-listen:${schema}`]));
      assert.equal(killed.rowCount, 1);
      await back;
      assert.ok(logger.warnings.some((w) => /change notifications lost/.test(w.message)));
      heard.seen.length = 0;
      const later = heard.next('incidents');
      await cli.incidents.put(makeIncident());
      await later;
      assert.deepEqual(heard.seen, ['incidents']);
    } finally {
      await listener.close();
      await bot.close();
      await cli.close();
      await cleanup();
    }
  });
});
