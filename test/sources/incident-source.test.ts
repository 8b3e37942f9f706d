/**
 * The store's incidents as answers see them (src/sources/incident-source.ts): loaded once,
 * then caught up on what another process changed (by change number, taken into the index in
 * place), within the check period and not before; incidents resolved long ago leave.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/index.js';
import { StoreSource } from '../../src/sources/incident-source.js';
import type { Incident } from '../../src/incidents/schema.js';
import { RECENTLY_RESOLVED_MS } from '../../src/incidents/index.js';
import { makeIncident } from '../store/helpers.js';
import { sharedReference } from '../helpers/bot.js';
import { describeWithStores, freshStoreUrl } from '../helpers/stores.js';

const NOW = new Date('2020-03-17T10:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

describeWithStores('incidents from the store, caught up incrementally', (kind) => {
  test('GIVEN another process opening, updating, resolving and deleting incidents THEN answers see it after the check period, and old resolved ones leave', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const reader = await openStore(url);
    const writer = await openStore(url);
    try {
      const { gazetteer } = sharedReference();
      const open = makeIncident({ id: 'open' });
      const recent = makeIncident({ id: 'recent', status: 'operational', phase: 'resolved', resolvedAt: '2020-03-17T09:00:00+01:00' });
      const old = makeIncident({ id: 'old', status: 'operational', phase: 'resolved', startedAt: '2020-03-10T08:00:00+01:00', resolvedAt: '2020-03-10T09:00:00+01:00', updates: [{ ...makeIncident().updates[0]!, at: '2020-03-10T08:00:00+01:00' }] });
      for (const i of [open, recent, old]) await writer.incidents.put(i);
      let monotonic = 0;
      const source = new StoreSource(reader, gazetteer, 1_000, () => monotonic);
      const seen = async (when: Date) => (await source.index(when)).all().map((i: Incident) => `${i.id}:${i.status}`).sort();
      // After the check period, a question answers at once from what it has and starts a look
      // at the store; the questions after that look see the change.
      const afterCheck = async (when: Date) => {
        const first = await seen(when);
        await source.settled();
        return { first, then: await seen(when) };
      };
      assert.deepEqual(await seen(NOW), ['open:major_outage', 'recent:operational']);

      await writer.incidents.put({ ...open, status: 'partial_outage' });
      await writer.incidents.put(makeIncident({ id: 'new', service: 'pronote' }));
      await writer.incidents.delete('recent');
      monotonic += 500;
      assert.deepEqual(await seen(NOW), ['open:major_outage', 'recent:operational'], 'not looked at again within the check period');
      monotonic += 600;
      assert.deepEqual(await afterCheck(NOW), { first: ['open:major_outage', 'recent:operational'], then: ['new:major_outage', 'open:partial_outage'] }, 'the question that notices the period does not wait');
      const index = await source.index(NOW);
      const found = index.find({ service: 'pronote', place: null, level: null, at: NOW });
      assert.deepEqual(found.active.map((i) => i.id), ['new'], 'the index answers lookups with the change');

      // Resolved now; 12 hours later it is no longer worth mentioning.
      await writer.incidents.put({ ...open, status: 'operational', phase: 'resolved', resolvedAt: NOW.toISOString() });
      monotonic += 1_100;
      assert.deepEqual((await afterCheck(NOW)).then, ['new:major_outage', 'open:operational']);
      monotonic += 1_100;
      assert.deepEqual((await afterCheck(at(RECENTLY_RESOLVED_MS + 60_000))).then, ['new:major_outage']);

      // A change this process is told of (its own write, a notification) is waited for.
      await writer.incidents.put(makeIncident({ id: 'told' }));
      source.invalidate();
      assert.deepEqual(await seen(at(RECENTLY_RESOLVED_MS + 60_000)), ['new:major_outage', 'told:major_outage']);
    } finally {
      await reader.close();
      await writer.close();
      await cleanup();
    }
  });
});
