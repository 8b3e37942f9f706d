import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allClearMs, clockFromEnv, parseEnv } from '../../src/config/env.js';
import { systemClock } from '../../src/base/clock.js';
import { ConfigError } from '../../src/base/errors.js';
import { createLogger, redact, secretsFrom } from '../../src/base/logger.js';
import { PassThrough } from 'node:stream';

describe('configuration from the environment', () => {
  test('GIVEN an empty environment THEN the defaults apply', () => {
    const env = parseEnv({});
    assert.equal(env.VIGIE_STORE_URL, 'sqlite://./data/vigie.sqlite');
    assert.equal(env.VIGIE_DEMO_SCENARIO, '2020-03-17');
    assert.equal(env.VIGIE_DEMO_AT, '10:00');
    assert.equal(env.VIGIE_LOG_LEVEL, 'info');
  });

  test('GIVEN retention and cache variables THEN 90 and 365 days by default, whole days accepted, anything else refused by name; the cache must be redis://', () => {
    const defaults = parseEnv({});
    assert.deepEqual([defaults.VIGIE_RETENTION_DAYS, defaults.VIGIE_AUDIT_RETENTION_DAYS, defaults.VIGIE_CACHE_URL], [90, 365, undefined]);
    const set = parseEnv({ VIGIE_RETENTION_DAYS: '30', VIGIE_AUDIT_RETENTION_DAYS: '3650', VIGIE_CACHE_URL: 'redis://127.0.0.1:6379' });
    assert.deepEqual([set.VIGIE_RETENTION_DAYS, set.VIGIE_AUDIT_RETENTION_DAYS, set.VIGIE_CACHE_URL], [30, 3650, 'redis://127.0.0.1:6379']);
    for (const [variable, bad] of [['VIGIE_RETENTION_DAYS', '0'], ['VIGIE_RETENTION_DAYS', '90d'], ['VIGIE_AUDIT_RETENTION_DAYS', '-1'], ['VIGIE_CACHE_URL', 'postgres://db']] as const) {
      assert.throws(() => parseEnv({ [variable]: bad }), (e: unknown) => e instanceof ConfigError && e.variable === variable, `${variable}=${bad}`);
    }
    assert.throws(
      () => parseEnv({ VIGIE_CACHE_URL: 'memcached://:hunter2@cache/' }),
      (e: unknown) => e instanceof ConfigError && !e.message.includes('hunter2'),
    );
  });

  test('GIVEN VIGIE_ALL_CLEAR_HOURS THEN 24 hours by default, whole hours from 1 to 720 accepted, anything else refused by name', () => {
    assert.equal(parseEnv({}).VIGIE_ALL_CLEAR_HOURS, 24);
    assert.equal(allClearMs(parseEnv({ VIGIE_ALL_CLEAR_HOURS: '6' })), 6 * 3600_000);
    for (const bad of ['0', '721', '1.5', '24h']) {
      assert.throws(() => parseEnv({ VIGIE_ALL_CLEAR_HOURS: bad }), (e: unknown) => e instanceof ConfigError && e.variable === 'VIGIE_ALL_CLEAR_HOURS', bad);
    }
  });

  test('GIVEN VIGIE_NOW THEN the process clock starts there and runs on; a malformed value is refused by name', () => {
    assert.equal(clockFromEnv(parseEnv({})), systemClock);
    const clock = clockFromEnv(parseEnv({ VIGIE_NOW: '2026-03-29T01:30:00+01:00' }));
    assert.ok(clock.now().getTime() >= Date.parse('2026-03-29T00:30:00Z'));
    assert.ok(clock.now().getTime() < Date.parse('2026-03-29T00:31:00Z'));
    for (const bad of ['tomorrow', '2026-03-29T01:30', '2026-02-30T10:00:00Z']) {
      assert.throws(() => parseEnv({ VIGIE_NOW: bad }), (e: unknown) => e instanceof ConfigError && e.variable === 'VIGIE_NOW', bad);
    }
  });

  test('GIVEN redis://, bogus:// or a URL with a password THEN the error says what is accepted (not redis), and never echoes the password', () => {
    for (const url of ['redis://127.0.0.1:6379', 'bogus://x']) {
      assert.throws(
        () => parseEnv({ VIGIE_STORE_URL: url }),
        (e: unknown) => e instanceof ConfigError && /expected sqlite:\/\/PATH .* or memory:\/\//.test(e.message) && !/redis:\/\/HOST/.test(e.message),
      );
    }
    assert.throws(
      () => parseEnv({ VIGIE_STORE_URL: 'mysql://vigie:hunter2@db.example/vigie' }),
      (e: unknown) => e instanceof ConfigError && !e.message.includes('hunter2') && /mysql:\/\/\*\*\*@db\.example/.test(e.message),
    );
  });

  test('GIVEN a PostgreSQL URL (several instances) THEN it is accepted as is', () => {
    for (const url of ['postgres://vigie:hunter2@db.example:5432/vigie', 'postgresql://root@127.0.0.1/test?schema=vigie_preprod']) {
      assert.equal(parseEnv({ VIGIE_STORE_URL: url }).VIGIE_STORE_URL, url);
    }
  });

  test('GIVEN an empty string THEN it counts as not set', () => {
    assert.equal(parseEnv({ VIGIE_LOG_LEVEL: '' }).VIGIE_LOG_LEVEL, 'info');
  });

  test('GIVEN a bad store URL THEN the error names VIGIE_STORE_URL and what is expected', () => {
    assert.throws(
      () => parseEnv({ VIGIE_STORE_URL: 'postgres:db' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.variable === 'VIGIE_STORE_URL' &&
        /sqlite:\/\/PATH/.test(error.message) &&
        /postgres:\/\/USER@HOST/.test(error.message) &&
        /postgres:db/.test(error.message),
    );
  });

  test('GIVEN a bad demo time THEN the error names VIGIE_DEMO_AT', () => {
    assert.throws(() => parseEnv({ VIGIE_DEMO_AT: '25:00' }), /VIGIE_DEMO_AT: .*10:00/);
  });
});

describe('logs never show secrets', () => {
  test('GIVEN a token in the environment WHEN it appears in a log line THEN it is masked', () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-123456789-abcdefghijkl', VIGIE_LOG_LEVEL: 'info' };
    const stream = new PassThrough();
    const logger = createLogger({ level: 'debug', stream, secrets: secretsFrom(env) });
    logger.error('failed with xoxb-123456789-abcdefghijkl', { header: `Bearer ${env.SLACK_BOT_TOKEN}` });
    const out = String(stream.read());
    assert.ok(!out.includes('abcdefghijkl'), out);
    assert.match(out, /\[redacted\]/);
  });

  test('GIVEN passwords inside VIGIE_STORE_URL and VIGIE_CACHE_URL WHEN a driver error quotes them THEN they are masked', () => {
    const env = { VIGIE_STORE_URL: 'postgres://vigie:s3cr%40t-pg@db/vigie', VIGIE_CACHE_URL: 'redis://:r3dis-pass@cache:6379' };
    const stream = new PassThrough();
    const logger = createLogger({ level: 'debug', stream, secrets: secretsFrom(env) });
    logger.error('auth failed for s3cr@t-pg and r3dis-pass', { error: new Error('password s3cr%40t-pg rejected') });
    const out = String(stream.read());
    assert.ok(!/s3cr|r3dis-pass/.test(out), out);
  });

  test('GIVEN a token-shaped string that is not in the environment THEN it is masked too', () => {
    assert.equal(redact('token xapp-1-A0B1C2D3E4-999 here', []), 'token [redacted] here');
  });

  test('GIVEN the level warn THEN info lines are dropped and warnings kept', () => {
    const stream = new PassThrough();
    const logger = createLogger({ level: 'warn', stream });
    logger.info('hidden');
    logger.warn('shown');
    const out = String(stream.read());
    assert.ok(!out.includes('hidden'));
    assert.match(out, /WARN shown/);
  });
});
