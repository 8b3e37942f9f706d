/**
 * Coded failures: one registry of namespaced codes; thrown failures carry their code (and the
 * variable or field they are about); callers tell failures apart by code, never by text; the
 * outbox lets out StoreErrors only, never zod's or the driver's errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, ERROR_CODE_LIST, StoreError, VigieError, codeOf, hasCode, type ErrorCode } from '../../src/base/errors.js';
import { parseEnv } from '../../src/config/env.js';
import { isUsageError, UsageError } from '../../src/app/cli-usage.js';
import { errorReply } from '../../src/answer/index.js';
import { createTemplates } from '../../src/content/templates.js';
import { openStore } from '../../src/store/index.js';
import type { Delivery } from '../../src/store/delivery.js';
import { FixedClock } from '../../src/base/clock.js';
import { postToResponseUrl } from '../../adapters/slack/respond.js';
import { ShutdownError } from '../../adapters/discord/transport-errors.js';
import { sharedReference } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { freshStoreUrl } from '../helpers/stores.js';

const ROOT = join(import.meta.dirname, '..', '..');
const NAMESPACES = ['CONTENT', 'CONFIG', 'INPUT', 'STORE', 'CLI', 'ADAPTER', 'DELIVERY', 'SLACK', 'DISCORD', 'SUBSCRIPTION', 'INCIDENT', 'ALERT', 'WEB'];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('the registry of failure codes', () => {
  test('GIVEN the registry THEN every code is unique (whatever the case), namespaced AREA_WHAT by a known area, and says what it means', () => {
    const folded = ERROR_CODE_LIST.map((c) => c.toLowerCase());
    assert.equal(new Set(folded).size, folded.length, 'no two codes differ only by case');
    for (const code of ERROR_CODE_LIST) {
      assert.match(code, /^[A-Z]+(_[A-Z]+)+$/, code);
      assert.ok(NAMESPACES.includes(code.split('_')[0]!), `${code}: a known area`);
      assert.ok(ERROR_CODES[code].length > 10, `${code}: described`);
    }
  });

  test('GIVEN the code of src/ and adapters/ THEN every code it names is registered, and every registered code is used', () => {
    const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'adapters'))].filter((f) => !f.endsWith(join('base', 'errors.ts')));
    // errors.ts itself counts after its registry (the subclasses' codes).
    const registry = readFileSync(join(ROOT, 'src', 'base', 'errors.ts'), 'utf8');
    const text = [...files.map((f) => readFileSync(f, 'utf8')), registry.slice(registry.indexOf('} as const;'))].join('\n');
    // Where a code is given: new VigieError('X', …), super('X', …), failure('X', …), hasCode(e, 'X'), code: 'X_Y'.
    const named = new Set([...text.matchAll(/(?:VigieError\(|super\(|failure\(|hasCode\([^,()]+, |code: )'([A-Z]+_[A-Z_]+)'/g)].map((m) => m[1]!));
    for (const code of named) assert.ok(code in ERROR_CODES, `${code} is registered`);
    for (const code of ERROR_CODE_LIST) assert.ok(text.includes(`'${code}'`), `${code} is used`);
  });
});

describe('failures carry their code', () => {
  test('GIVEN an invalid environment variable THEN the error is CONFIG_INVALID and names the variable', () => {
    assert.throws(
      () => parseEnv({ VIGIE_RETENTION_DAYS: 'ninety' }),
      (e: unknown) => codeOf(e) === 'CONFIG_INVALID' && (e as { variable?: string }).variable === 'VIGIE_RETENTION_DAYS',
    );
  });

  test('GIVEN a response_url that refuses the answer THEN the Slack adapter throws SLACK_RESPOND_FAILED with the status', async () => {
    const server = createServer((_req, res) => {
      res.statusCode = 410;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      await assert.rejects(postToResponseUrl(url, 'bonjour'), (e: unknown) => hasCode(e, 'SLACK_RESPOND_FAILED') && (e as { status?: number }).status === 410);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('GIVEN a Discord request stopped by a shutdown THEN its error is DELIVERY_SHUTDOWN', () => {
    assert.equal(codeOf(new ShutdownError()), 'DELIVERY_SHUTDOWN');
  });

  test('GIVEN the outbox handed a record that does not match its schema, or a store that is closed THEN it throws StoreErrors (STORE_RECORD_INVALID, STORE_FAILED), never zod\'s or the driver\'s error', async () => {
    const { url, cleanup } = await freshStoreUrl('sqlite');
    try {
      const store = await openStore(url, { clock: new FixedClock(new Date(TEST_NOW)) });
      await assert.rejects(store.outbox.saveDelivery({ id: 'd1', state: 'nowhere' } as unknown as Delivery), (e: unknown) => {
        assert.ok(e instanceof StoreError, String(e));
        assert.equal(e.code, 'STORE_RECORD_INVALID');
        assert.match(e.message, /^outbox\.saveDelivery: invalid record: /);
        return true;
      });
      assert.equal(await store.outbox.getNotice('none'), null, 'a store that works answers as before');
      await store.close();
      await assert.rejects(store.outbox.getNotice('none'), (e: unknown) => e instanceof StoreError && e.code === 'STORE_FAILED' && e.cause !== undefined);
    } finally {
      await cleanup();
    }
  });

  test('GIVEN a closed store THEN every repository on the database (incidents, subscriptions, audit, pauses) throws a StoreError naming the call, the driver\'s error kept as its cause', async () => {
    const { url, cleanup } = await freshStoreUrl('sqlite');
    try {
      const store = await openStore(url, { clock: new FixedClock(new Date(TEST_NOW)) });
      assert.deepEqual(await store.incidents.list(), [], 'an open store answers');
      await store.close();
      const calls: [string, () => Promise<unknown>][] = [
        ['incidents.get', () => store.incidents.get('x')],
        ['incidents.listOpen', () => store.incidents.listOpen()],
        ['subscriptions.list', () => store.subscriptions.list()],
        ['subscriptions.get', () => store.subscriptions.get('x')],
        ['audit.list', () => store.audit.list()],
        ['pauses.list', () => store.pauses.list()],
      ];
      for (const [where, call] of calls) {
        await assert.rejects(call(), (e: unknown) => {
          assert.ok(e instanceof StoreError, `${where}: ${String(e)}`);
          assert.equal(e.code, 'STORE_FAILED');
          assert.ok(e.message.startsWith(`${where}: `), e.message);
          assert.ok(e.cause instanceof Error, `${where}: the driver's error is kept`);
          return true;
        });
      }
    } finally {
      await cleanup();
    }
  });
});

describe('callers branch on codes', () => {
  test('GIVEN errors whose text reads alike THEN only the CLI_USAGE one (or parseArgs\' own) is a usage error', () => {
    assert.equal(isUsageError(new UsageError('commande inconnue « x »', 'unknown command "x"')), true);
    assert.equal(isUsageError(Object.assign(new TypeError("Unknown option '--x'"), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' })), true);
    assert.equal(isUsageError(new VigieError('INPUT_INVALID', 'unknown command "x"')), false, 'same text, other code');
    assert.equal(isUsageError(new Error('unknown command "x"')), false, 'text alone says nothing');
    const codes: (ErrorCode | undefined)[] = [new UsageError('x', 'x'), new StoreError('x'), new Error('x'), 'x'].map(codeOf);
    assert.deepEqual(codes, ['CLI_USAGE', 'STORE_FAILED', undefined, undefined]);
  });
});

describe('the apology', () => {
  test('GIVEN a reference id THEN the error reply, in French and English, is of kind error and gives that id', () => {
    const templates = createTemplates(sharedReference().content.messages);
    for (const lang of ['fr', 'en'] as const) {
      const reply = errorReply(templates, lang, 'ab12cd34', new Date(TEST_NOW));
      assert.equal(reply.kind, 'error');
      assert.equal(reply.language, lang);
      assert.equal(reply.headline, templates.t(lang, 'error.headline'));
      assert.match(reply.sections[0]!.text, /ab12cd34/);
      assert.equal(reply.time, new Date(TEST_NOW).toISOString());
    }
  });
});
