import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../src/store/index.js';
import { InputError } from '../../src/base/errors.js';
import { makeIncident, recordingLogger } from './helpers.js';
import { describeStores, freshStoreUrl } from '../helpers/stores.js';

describeStores('store: incidents', (kind) => {
  let url: string;
  let cleanup: () => Promise<void>;
  let store: Store;
  let logger: ReturnType<typeof recordingLogger>;

  beforeEach(async () => {
    ({ url, cleanup } = await freshStoreUrl(kind));
    logger = recordingLogger();
    store = await openStore(url, { logger });
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  test('GIVEN an incident put THEN get returns it unchanged and a reopened store still has it', async () => {
    const incident = makeIncident();
    await store.incidents.put(incident);
    assert.deepEqual(await store.incidents.get(incident.id), incident);
    await store.close();
    store = await openStore(url, { logger });
    assert.deepEqual(await store.incidents.get(incident.id), incident);
  });

  test('GIVEN an unknown id THEN get returns null', async () => {
    assert.equal(await store.incidents.get('nothing-here'), null);
  });

  test('GIVEN three incidents THEN list returns them by start time and count says 3', async () => {
    await store.incidents.put(makeIncident({ id: 'c', startedAt: '2020-03-17T09:00:00+01:00' }));
    await store.incidents.put(makeIncident({ id: 'a', startedAt: '2020-03-17T10:00:00+01:00' }));
    // 07:30Z is 08:30 in Paris: before 09:00+01:00 although the string sorts after it.
    await store.incidents.put(makeIncident({ id: 'b', startedAt: '2020-03-17T07:30:00Z' }));
    assert.deepEqual(
      (await store.incidents.list()).map((i) => i.id),
      ['b', 'c', 'a'],
    );
    assert.equal(await store.incidents.count(), 3);
  });

  test('GIVEN an incident put twice THEN the second replaces the first', async () => {
    await store.incidents.put(makeIncident({ status: 'major_outage' }));
    await store.incidents.put(makeIncident({ status: 'degraded_performance' }));
    assert.equal(await store.incidents.count(), 1);
    assert.equal((await store.incidents.get('ent-occitanie'))?.status, 'degraded_performance');
  });

  test('GIVEN a deleted incident THEN it is gone and deleting again says false', async () => {
    await store.incidents.put(makeIncident());
    assert.equal(await store.incidents.delete('ent-occitanie'), true);
    assert.equal(await store.incidents.get('ent-occitanie'), null);
    assert.equal(await store.incidents.delete('ent-occitanie'), false);
    assert.deepEqual(await store.incidents.list(), []);
  });

  test('GIVEN ids with LIKE wildcards and quotes THEN they are stored and found exactly', async () => {
    await store.incidents.put(makeIncident({ id: 'cned_100%' }));
    await store.incidents.put(makeIncident({ id: "ent'; drop table incidents; --" }));
    assert.deepEqual((await store.incidents.list()).map((i) => i.id).sort(), ["ent'; drop table incidents; --", 'cned_100%'].sort());
    assert.equal((await store.incidents.get('cned_1000')), null);
  });

  test('GIVEN 25 incidents (more than @keyv/sqlite pages at once) THEN list returns all 25', async () => {
    for (let i = 0; i < 25; i++) await store.incidents.put(makeIncident({ id: `inc-${String(i).padStart(2, '0')}` }));
    const ids = (await store.incidents.list()).map((i) => i.id);
    assert.equal(new Set(ids).size, 25);
  });

  test('GIVEN a row whose body is not JSON and one that is not an incident THEN both are skipped with a warning', async () => {
    await store.incidents.put(makeIncident());
    await store.incidents.put(makeIncident({ id: 'torn' }));
    await store.incidents.put(makeIncident({ id: 'wrong-shape' }));
    // Written below the repository, as a hand edit or another tool would leave them.
    await store.db.kysely.updateTable('incidents').set({ body: '{"id": "torn"' }).where('id', '=', 'torn').execute();
    await store.db.kysely.updateTable('incidents').set({ body: JSON.stringify({ id: 'wrong-shape', status: 'on fire' }) }).where('id', '=', 'wrong-shape').execute();

    assert.deepEqual(
      (await store.incidents.list()).map((i) => i.id),
      ['ent-occitanie'],
    );
    assert.equal(await store.incidents.get('torn'), null);
    assert.equal(await store.incidents.get('wrong-shape'), null);
    const skipped = logger.warnings.map((w) => String(w.fields?.record ?? ''));
    assert.ok(skipped.includes('incident torn'), 'the non-JSON record is reported');
    assert.ok(skipped.includes('incident wrong-shape'), 'the invalid record is reported');
    const problem = logger.warnings.find((w) => w.fields?.record === 'incident wrong-shape')?.fields?.problem;
    assert.match(String(problem), /status/);
  });


  test('GIVEN an invalid incident THEN put throws an InputError naming the field and stores nothing', async () => {
    const bad = makeIncident({ startedAt: 'tuesday morning' });
    await assert.rejects(store.incidents.put(bad), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /startedAt/);
      return true;
    });
    assert.equal(await store.incidents.count(), 0);
  });
});
