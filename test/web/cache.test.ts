/** A surge costs one render per page and version: the core is read once, then the kept bytes are served. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import type { Core } from '../../src/core.js';
import { silentLogger } from '../../src/base/logger.js';
import { FixedClock } from '../../src/base/clock.js';
import { createWebServer } from '../../src/web/server.js';
import { HTTP_NOW, demoWeb } from './helpers.js';

test('GIVEN 200 concurrent requests for /, a place and summary.json THEN each is rendered once (one read of the incidents each), until the clock steps', async () => {
  const demo = await demoWeb('10:00');
  try {
    let reads = 0;
    const bot = demo.runtime.bot;
    // The core as the server sees it, counting the renders' reads of the incidents.
    const counting = new Proxy(bot, {
      get(target, name, receiver) {
        if (name === 'incidents') return (at?: Date) => (reads++, target.incidents(at));
        const value = Reflect.get(target, name, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as Core;
    const app = createWebServer({ core: counting, logger: silentLogger, clock: new FixedClock(HTTP_NOW) });
    try {
      for (const url of ['/', '/lieu/departement/30', '/api/v2/summary.json']) {
        reads = 0;
        const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => app.inject({ url, headers: i % 2 === 0 ? { 'accept-encoding': 'gzip' } : {} })));
        assert.ok(responses.every((r) => r.statusCode === 200), url);
        assert.equal(reads, 1, `${url}: rendered once`);
        assert.equal(new Set(responses.map((r) => r.headers.etag)).size, 1);
        // The gzip and the plain bodies are the same page.
        const zipped = responses.find((r) => r.headers['content-encoding'] === 'gzip');
        assert.ok(zipped);
        assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), responses.find((r) => !r.headers['content-encoding'])?.body);
      }
      reads = 0;
      demo.clock.advance(60_000);
      await Promise.all(Array.from({ length: 50 }, () => app.inject({ url: '/' })));
      assert.equal(reads, 1, 'a clock step: rendered again, once');
    } finally {
      await app.close();
    }
  } finally {
    await demo.close();
  }
});
