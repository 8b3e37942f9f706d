/**
 * The outbox's bulk insert (one statement per 5,000 rows on PostgreSQL, each column passed as
 * an array; one prepared insert per row on SQLite) keeps every value as given: text that an
 * array literal or JSON would have to escape, non-ASCII, nulls and numbers come back equal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { describeStores } from '../helpers/stores.js';
import { admin, publisherOf } from '../delivery/helpers.js';

const AWKWARD = ['C"quoted"', 'C\\back\\slash', 'C{brace},comma', 'NULL', 'null', 'C école 🚨', '  spaced  ', "C'apostrophe", 'C\nnewline'];

describeStores('outbox insert', (kind) => {
  test('GIVEN channel ids that need escaping WHEN a notice is published THEN each delivery is read back with its channel, subscriptions and times as written', () =>
    withStoreBot(async (bot, clock, runtime) => {
      const subscriptions = new Map<string, string>();
      for (const [i, channel] of AWKWARD.entries()) {
        const { subscription } = await runtime.store.subscriptions.add({
          platform: 'slack',
          workspace: i % 2 === 0 ? 'T"1' : 'T{2}',
          channel,
          service: 'ent',
          place: { kind: 'region', code: '76', name: 'Occitanie' },
          createdBy: 'test',
        });
        subscriptions.set(channel, subscription.id);
      }
      const outcome = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis « test ».' } }, admin, 'fr');
      assert.ok(outcome.ok);
      const deliveries = await runtime.store.outbox.listDeliveries(outcome.notice.id);
      assert.deepEqual(deliveries.map((d) => d.channel).sort(), [...AWKWARD].sort());
      const stamp = clock.now().toISOString();
      for (const d of deliveries) {
        assert.equal(d.workspace, AWKWARD.indexOf(d.channel) % 2 === 0 ? 'T"1' : 'T{2}');
        assert.deepEqual(d.subscriptionIds, [subscriptions.get(d.channel)]);
        assert.deepEqual(
          [d.noticeId, d.noticeSeq, d.state, d.kind, d.attempts, d.edited, d.incidentId, d.messageRef, d.rootRef, d.lastError, d.failingSince, d.deliveredAt],
          [outcome.notice.id, outcome.notice.seq, 'pending', 'post', 0, false, null, null, null, null, null, null],
        );
        assert.equal(d.nextAttemptAt, stamp);
        assert.equal(d.createdAt, stamp);
        assert.equal(Date.parse(d.deadlineAt) - Date.parse(stamp), 24 * 3600_000);
      }
      // A claim finds them through the due index, one per channel.
      const claimed = await runtime.store.outbox.claim({ owner: 'test:1:a', now: clock.now(), leaseMs: 30_000, limit: 100, platforms: ['slack'] });
      assert.deepEqual(claimed.map((d) => d.channel).sort(), [...AWKWARD].sort());
    }, TEST_NOW, kind));
  test('GIVEN a notice whose deliveries share some values (one awkward workspace, the notice, times: written once) and differ in others (post or update per channel) THEN each row reads back as written', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      const workspace = 'T"{1},\\ é';
      const subscribe = async (channel: string) =>
        runtime.store.subscriptions.add({ platform: 'slack', workspace, channel, service: 'ent', place: { kind: 'region', code: '76', name: 'Occitanie' }, createdBy: 'test' });
      await subscribe('C1');
      const opened = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: 'Panne.' }, incident: { action: 'open' } }, admin, 'fr');
      assert.ok(opened.ok);
      await subscribe('C2');
      await subscribe('C3');
      const updated = await publisherOf(bot).publish({ text: { fr: 'Mise à jour.' }, incident: { action: 'update', id: opened.notice.incident!.id } }, admin, 'fr');
      assert.ok(updated.ok);
      const rows = (await runtime.store.outbox.listDeliveries(updated.notice.id)).sort((a, b) => a.channel.localeCompare(b.channel));
      assert.deepEqual(
        rows.map((d) => [d.workspace, d.channel, d.kind, d.noticeId, d.incidentId, d.state, d.attempts, d.deliveredAt]),
        [
          [workspace, 'C1', 'update', updated.notice.id, opened.notice.incident!.id, 'pending', 0, null],
          [workspace, 'C2', 'post', updated.notice.id, opened.notice.incident!.id, 'pending', 0, null],
          [workspace, 'C3', 'post', updated.notice.id, opened.notice.incident!.id, 'pending', 0, null],
        ],
      );
      // A notice to a single channel: every column the same for all rows.
      const single = await runtime.store.outbox.listDeliveries(opened.notice.id);
      assert.deepEqual(single.map((d) => [d.workspace, d.channel, d.kind]), [[workspace, 'C1', 'post']]);
    }, TEST_NOW, kind));
});
