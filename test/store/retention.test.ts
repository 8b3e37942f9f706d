/**
 * Retention (VIGIE_RETENTION_DAYS, VIGIE_AUDIT_RETENTION_DAYS): notices published and
 * delivered through the real dispatcher (on a fake platform, in virtual time), then the clock
 * moves on by months and the purge decides what goes. On a SQLite file and on PostgreSQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { describeStores } from '../helpers/stores.js';
import { VirtualTimer } from '../helpers/virtual-time.js';
import { admin, dispatcherOf, publisherOf, startFake, subscribeChannels } from '../delivery/helpers.js';
import { purgeExpired, RetentionJob, type PurgeCounts } from '../../src/store/index.js';
import type { Runtime } from '../../src/runtime.js';

const DAY = 24 * 60 * 60 * 1000;
const notice = (text: string, extra: Record<string, unknown> = {}) => ({ services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: text, en: text }, ...extra });

async function counts(runtime: Runtime) {
  const k = runtime.store.db.kysely;
  const n = async (table: 'notices' | 'deliveries' | 'root_messages' | 'audit') => Number((await k.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { notices: await n('notices'), deliveries: await n('deliveries'), rootMessages: await n('root_messages'), audit: await n('audit') };
}

describeStores('store: retention', (kind) => {
  test('GIVEN delivered notices THEN they and their deliveries go after 90 days, not before; audit entries after 365 days', () =>
    withStoreBot(async (bot, clock, runtime) => {
      const { fake, transport } = await startFake();
      try {
        await subscribeChannels(runtime.store, 3);
        const first = await publisherOf(bot).publish(notice('Premier avis.'), admin, 'fr');
        assert.ok(first.ok);
        await dispatcherOf(bot, transport).drain();
        clock.advance(10 * DAY);
        const second = await publisherOf(bot).publish(notice('Second avis.'), admin, 'fr');
        assert.ok(second.ok);
        await dispatcherOf(bot, transport).drain();
        // Day 99: the first notice is 99 days old, the second 89.
        clock.advance(89 * DAY);
        const purged = await purgeExpired(runtime.store.db, clock.now(), { days: 90, auditDays: 365 });
        assert.deepEqual({ deliveries: purged.deliveries, notices: purged.notices }, { deliveries: 3, notices: 1 });
        assert.equal(await runtime.store.outbox.getNotice(first.notice.id), null);
        assert.notEqual(await runtime.store.outbox.getNotice(second.notice.id), null);
        assert.equal((await runtime.store.outbox.progress(second.notice.id))?.delivered, 3);
        assert.equal(purged.audit, 0, 'the audit log is kept longer');
        // Day 366: the audit entries of day 0 go, those of day 10 stay.
        clock.advance(267 * DAY);
        const later = await purgeExpired(runtime.store.db, clock.now(), { days: 90, auditDays: 365 });
        assert.ok(later.audit >= 1);
        const audit = await runtime.store.audit.list();
        assert.ok(audit.length >= 1 && audit.every((e) => Date.parse(e.at) >= clock.now().getTime() - 365 * DAY), JSON.stringify(audit.map((e) => e.at)));
        assert.deepEqual(await counts(runtime), { notices: 0, deliveries: 0, rootMessages: 0, audit: audit.length });
      } finally {
        await fake.stop();
      }
    }, TEST_NOW, kind));

  test('GIVEN an old notice with deliveries still pending THEN the pending ones and the notice stay; only finished ones go', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 4);
      const published = await publisherOf(bot).publish(notice('Avis.'), admin, 'fr');
      assert.ok(published.ok);
      const [done, failed] = await runtime.store.outbox.listDeliveries(published.notice.id);
      await runtime.store.outbox.saveDelivery({ ...done!, state: 'delivered', deliveredAt: clock.now().toISOString(), messageRef: 'm1' });
      await runtime.store.outbox.saveDelivery({ ...failed!, state: 'failed', lastError: 'channel_not_found' });
      clock.advance(200 * DAY);
      const purged = await purgeExpired(runtime.store.db, clock.now(), { days: 90, auditDays: 365 });
      assert.deepEqual({ deliveries: purged.deliveries, notices: purged.notices }, { deliveries: 2, notices: 0 });
      const progress = await runtime.store.outbox.progress(published.notice.id);
      assert.equal(progress?.pending, 2, '`vigie notice status` still shows what is left');
    }, TEST_NOW, kind));

  test('GIVEN notices about an incident still open THEN nothing about it goes, however old; once resolved, it goes 90 days later', () =>
    withStoreBot(async (bot, clock, runtime) => {
      const { fake, transport } = await startFake();
      try {
        await subscribeChannels(runtime.store, 2);
        const opened = await publisherOf(bot).publish(notice("L'ENT est en panne.", { incident: { action: 'open' } }), admin, 'fr');
        assert.ok(opened.ok && opened.notice.incident);
        await dispatcherOf(bot, transport).drain();
        const before = await counts(runtime);
        assert.equal(before.rootMessages, 2);
        clock.advance(200 * DAY);
        const purged = await purgeExpired(runtime.store.db, clock.now(), { days: 90, auditDays: 365 });
        assert.deepEqual({ ...purged, audit: 0 }, { deliveries: 0, notices: 0, rootMessages: 0, audit: 0, reports: 0 });
        // The update still edits and threads under the first message of each channel.
        const resolved = await publisherOf(bot).publish({ text: { fr: 'Rétabli.', en: 'Fixed.' }, incident: { action: 'resolve', id: opened.notice.incident.id } }, admin, 'fr');
        assert.ok(resolved.ok);
        assert.equal(resolved.targets.updates, 2);
        await dispatcherOf(bot, transport).drain();
        clock.advance(91 * DAY);
        await purgeExpired(runtime.store.db, clock.now(), { days: 90, auditDays: 365 });
        const after = await counts(runtime);
        assert.deepEqual({ ...after, audit: 0 }, { notices: 0, deliveries: 0, rootMessages: 0, audit: 0 });
      } finally {
        await fake.stop();
      }
    }, TEST_NOW, kind));

  test('GIVEN the retention job started THEN it purges at once and again each day, on the injected clock, until stopped', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeChannels(runtime.store, 2);
      const published = await publisherOf(bot).publish(notice('Avis.'), admin, 'fr');
      assert.ok(published.ok);
      for (const d of await runtime.store.outbox.listDeliveries()) await runtime.store.outbox.saveDelivery({ ...d, state: 'delivered', deliveredAt: clock.now().toISOString() });
      const runs: { at: number; counts: PurgeCounts }[] = [];
      let ran: () => void = () => undefined;
      const job = new RetentionJob({
        db: runtime.store.db,
        clock,
        timer: new VirtualTimer(clock),
        policy: { days: 90, auditDays: 365 },
        onRun: (c) => {
          runs.push({ at: clock.now().getTime(), counts: c });
          ran();
        },
      });
      const nextRun = () => new Promise<void>((resolve) => (ran = resolve));
      const start = clock.now().getTime();
      let waiting = nextRun();
      job.start();
      await waiting;
      assert.equal(runs[0]?.counts.deliveries, 0, 'at start, nothing is old enough');
      // Ninety days later in virtual time (a run each day), the notice has gone.
      while (clock.now().getTime() < start + 91 * DAY) {
        waiting = nextRun();
        await waiting;
      }
      await job.stop();
      assert.equal(runs.length, 92);
      assert.ok(runs.every((r, i) => r.at === start + i * DAY), 'one run a day');
      const purgedOn = runs.findIndex((r) => r.counts.deliveries > 0);
      assert.equal(purgedOn, 91);
      assert.equal(await runtime.store.outbox.getNotice(published.notice.id), null);
    }, TEST_NOW, kind));
});
