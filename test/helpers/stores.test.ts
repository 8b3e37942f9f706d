/**
 * The PostgreSQL schemas store tests get (test/helpers/stores.ts): a schema a store migrated
 * and a test left is emptied and handed to the next test, which must then see a store with
 * this version's tables, no row, and numbering from 1 again; a schema a test changed, or one still in use, is dropped;
 * `empty: true` always gives a new schema with nothing in it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openStore } from '../../src/store/index.js';
import { makeIncident } from '../store/helpers.js';
import { freshPgUrl, pgSkipReason, withPgAdmin } from './stores.js';

async function schemaExists(schema: string): Promise<boolean> {
  return withPgAdmin(async (client) => (await client.query(`select 1 from pg_catalog.pg_namespace where nspname = $1`, [schema])).rowCount === 1);
}

async function tablesOf(schema: string): Promise<string[]> {
  return withPgAdmin(async (client) =>
    (await client.query<{ tablename: string }>(`select tablename from pg_catalog.pg_tables where schemaname = $1 order by 1`, [schema])).rows.map((r) => r.tablename),
  );
}

const AUDIT = { actor: { platform: 'cli', user: 'test' }, action: 'incident.open', target: 'ent-1', outcome: 'ok' } as const;

const skip = pgSkipReason();
describe('test schemas on PostgreSQL', skip ? { skip } : {}, () => {
  test('GIVEN a test that filled its store and left THEN the next test gets the same schema, with every table, no row, and the audit numbered from 1', async () => {
    const first = await freshPgUrl();
    const store = await openStore(first.url);
    await store.incidents.put(makeIncident());
    assert.equal((await store.incidents.list()).length, 1);
    for (let i = 0; i < 3; i++) await store.audit.append(AUDIT);
    await store.close();
    const tables = await tablesOf(first.schema);
    await first.cleanup();

    const next = await freshPgUrl();
    try {
      assert.equal(next.schema, first.schema, 'the emptied schema is handed on');
      assert.deepEqual(await tablesOf(next.schema), tables);
      const again = await openStore(next.url);
      try {
        assert.deepEqual(await again.incidents.list(), []);
        assert.deepEqual(await again.audit.list({}), []);
        assert.equal((await again.audit.append(AUDIT)).seq, 1);
      } finally {
        await again.close();
      }
    } finally {
      await next.cleanup();
    }
  });

  test('GIVEN a test that renamed a table THEN its schema is dropped, not handed on', async () => {
    const changed = await freshPgUrl();
    const store = await openStore(changed.url);
    await sql`alter table incidents rename to incidents_away`.execute(store.db.kysely);
    await store.close();
    await changed.cleanup();
    assert.equal(await schemaExists(changed.schema), false);
    const next = await freshPgUrl();
    try {
      assert.notEqual(next.schema, changed.schema);
    } finally {
      await next.cleanup();
    }
  });

  test('GIVEN a store still open when its test leaves THEN the schema is dropped, not handed on', async () => {
    const busy = await freshPgUrl();
    const store = await openStore(busy.url);
    try {
      await busy.cleanup();
      assert.equal(await schemaExists(busy.schema), false);
    } finally {
      await store.close();
    }
  });

  test('GIVEN empty: true THEN a new schema with no table, whatever was left before', async () => {
    const left = await freshPgUrl();
    await (await openStore(left.url)).close();
    await left.cleanup();
    const empty = await freshPgUrl({ empty: true });
    try {
      assert.notEqual(empty.schema, left.schema);
      assert.deepEqual(await tablesOf(empty.schema), []);
    } finally {
      await empty.cleanup();
    }
  });
});
