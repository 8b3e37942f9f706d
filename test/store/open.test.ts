import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, parseStoreUrl } from '../../src/store/index.js';
import { StoreError } from '../../src/base/errors.js';
import { makeIncident, tempDir } from './helpers.js';
import { freshPgUrl, pgSkipReason, TEST_PG_URL } from '../helpers/stores.js';

describe('store: opening', () => {
  test('GIVEN a relative sqlite path THEN it is resolved from the working directory', () => {
    assert.deepEqual(parseStoreUrl('sqlite://./data/vigie.sqlite', '/srv/vigie'), {
      kind: 'sqlite',
      path: '/srv/vigie/data/vigie.sqlite',
    });
    assert.deepEqual(parseStoreUrl('sqlite:///var/lib/vigie.sqlite', '/srv/vigie'), {
      kind: 'sqlite',
      path: '/var/lib/vigie.sqlite',
    });
  });

  test('GIVEN a sqlite path in folders that do not exist THEN they are created and the file opens', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const store = await openStore('sqlite://./nested/deeper/vigie.sqlite', { cwd: dir });
      await store.incidents.put(makeIncident());
      await store.close();
      assert.ok(existsSync(join(dir, 'nested', 'deeper', 'vigie.sqlite')));
    } finally {
      cleanup();
    }
  });

  test('GIVEN another scheme (redis://, ftp://) THEN the StoreError names VIGIE_STORE_URL and what is expected, without echoing the URL', async () => {
    for (const url of ['redis://admin:hunter22@127.0.0.1:6379', 'ftp://admin:hunter22@db/vigie']) {
      await assert.rejects(openStore(url), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.match(error.message, /VIGIE_STORE_URL/);
        assert.match(error.message, /sqlite:\/\/PATH/);
        assert.match(error.message, /postgres:\/\//);
        assert.match(error.message, /memory:\/\//);
        assert.doesNotMatch(error.message, /hunter22/);
        return true;
      });
    }
    await assert.rejects(openStore('sqlite://'), /VIGIE_STORE_URL: expected a file path/);
  });

  test('GIVEN PostgreSQL that does not answer THEN a StoreError names the place without the password, quickly', async () => {
    await assert.rejects(openStore('postgres://admin:hunter22@127.0.0.1:1/vigie'), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, /cannot reach the store postgres:\/\/admin@127\.0\.0\.1:1\/vigie/);
      assert.doesNotMatch(error.message, /hunter22/);
      return true;
    });
  });

  test('GIVEN a folder that cannot be created (/proc, a file in the way) THEN openStore fails at once with the place and the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-store-'));
    try {
      writeFileSync(join(dir, 'file'), 'x');
      const cases: [string, RegExp][] = [
        ['sqlite:///proc/vigie-nope/deeper/v.sqlite', /\/proc\/vigie-nope cannot be created/],
        [`sqlite://${join(dir, 'file', 'sub', 'v.sqlite')}`, /file is not a folder/],
      ];
      for (const [url, expected] of cases) {
        await assert.rejects(openStore(url), (error: unknown) => error instanceof StoreError && expected.test(error.message) && /VIGIE_STORE_URL/.test(error.message), url);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN a file that is not a database THEN openStore throws a StoreError naming the file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'notes.sqlite');
      writeFileSync(file, 'these are not the pages of a database '.repeat(200));
      await assert.rejects(openStore(`sqlite://${file}`), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.ok(error.message.includes(file));
        return true;
      });
    } finally {
      cleanup();
    }
  });

  test('GIVEN memory:// THEN the repositories work, and a second memory store starts empty', async () => {
    const a = await openStore('memory://');
    await a.incidents.put(makeIncident());
    const first = await a.audit.append({ actor: { platform: 'cli', user: 'me' }, action: 'x', outcome: 'ok' });
    const second = await a.audit.append({ actor: { platform: 'cli', user: 'me' }, action: 'y', outcome: 'ok' });
    assert.deepEqual([first.seq, second.seq], [1, 2]);
    assert.equal((await a.incidents.list()).length, 1);
    const b = await openStore('memory://');
    assert.equal(await b.incidents.count(), 0);
    await a.close();
    await b.close();
  });
});

describe('store: opening PostgreSQL', { skip: pgSkipReason() ?? false }, () => {
  test('GIVEN two stores in two schemas of one database THEN neither sees the other, and reopening a schema finds its data', async () => {
    const first = await freshPgUrl();
    const second = await freshPgUrl();
    try {
      const a = await openStore(first.url);
      const b = await openStore(second.url);
      await a.incidents.put(makeIncident({ id: 'only-in-a' }));
      assert.equal(await b.incidents.count(), 0);
      assert.match(a.description, new RegExp(`\\(schema ${first.schema}\\)$`));
      await a.close();
      await b.close();
      const again = await openStore(first.url);
      assert.equal((await again.incidents.get('only-in-a'))?.id, 'only-in-a');
      await again.close();
    } finally {
      await first.cleanup();
      await second.cleanup();
    }
  });

  test('GIVEN a database that does not exist THEN a StoreError names the place and the reason, without the password', async () => {
    const url = new URL(TEST_PG_URL);
    url.password = 'hunter22';
    url.pathname = '/vigie_no_such_database';
    await assert.rejects(openStore(url.toString()), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, /vigie_no_such_database/);
      assert.match(error.message, /does not exist/);
      assert.doesNotMatch(error.message, /hunter22/);
      return true;
    });
  });
});
