/**
 * The core owns its platforms (src/platform.ts): registered by name, built only when
 * configured, started in order through the Core, and all stopped (the last first) even when
 * one of them throws or hangs, each failure logged with its code.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger, hasCode, type Core } from '../src/index.js';
import { PlatformGroup, PlatformRegistry, type Platform } from '../src/platform.js';
import { platformRegistry } from '../src/app/platforms.js';
import type { Templates } from '../src/content/templates.js';

/** The registry's test platforms word nothing. */
const NO_TEMPLATES: Templates = { t: (_lang, key) => key, has: () => false };

/** A logger whose lines are kept, as JSON-able text. */
function keptLogger(): { logger: ReturnType<typeof createLogger>; lines: () => string[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { logger: createLogger({ level: 'debug', stream, clock: () => new Date('2026-12-01T09:00:00Z') }), lines: () => chunks.join('').split('\n').filter(Boolean) };
}

/** A platform that records what happens to it in `events`. */
function recording(name: string, events: string[], behaviour: { stop?: 'throw' | 'hang'; start?: 'throw' } = {}): Platform {
  return {
    name,
    async start(core: Core) {
      events.push(`start ${name} ${core.now().toISOString()}`);
      if (behaviour.start === 'throw') throw new Error(`${name} cannot connect`);
    },
    async stop() {
      events.push(`stop ${name}`);
      if (behaviour.stop === 'throw') throw new Error(`${name} socket already closed`);
      if (behaviour.stop === 'hang') await new Promise(() => {});
    },
  };
}

const core = { now: () => new Date('2026-12-01T09:00:00Z') } as Core;

describe('platforms owned by the core', () => {
  test('GIVEN three platforms WHEN the middle one throws on stop THEN the others stop all the same, the last first, and the failure is logged with a code', async () => {
    const events: string[] = [];
    const { logger, lines } = keptLogger();
    const group = new PlatformGroup([recording('slack', events), recording('discord', events, { stop: 'throw' }), recording('web', events)], logger);
    await group.start(core);
    await group.stop();
    assert.deepEqual(events, [
      'start slack 2026-12-01T09:00:00.000Z',
      'start discord 2026-12-01T09:00:00.000Z',
      'start web 2026-12-01T09:00:00.000Z',
      'stop web',
      'stop discord',
      'stop slack',
    ]);
    const failed = lines().filter((l) => l.includes('did not stop'));
    assert.equal(failed.length, 1, lines().join('\n'));
    assert.match(failed[0]!, /WARN adapter did not stop cleanly/);
    assert.match(failed[0]!, /"adapter":"discord"/);
    assert.match(failed[0]!, /"code":"ADAPTER_STOP_FAILED"/);
    assert.match(failed[0]!, /discord socket already closed/);
    assert.equal(lines().filter((l) => l.includes('adapter started')).length, 3);
  });

  test('GIVEN a platform that never finishes stopping THEN the next one is stopped after the bound, and the hang is logged with a code', async () => {
    const events: string[] = [];
    const { logger, lines } = keptLogger();
    const group = new PlatformGroup([recording('slack', events), recording('discord', events, { stop: 'hang' })], logger);
    await group.start(core);
    await group.stop(20);
    assert.deepEqual(events.slice(2), ['stop discord', 'stop slack']);
    assert.match(lines().find((l) => l.includes('did not stop in time')) ?? '', /"adapter":"discord".*"code":"ADAPTER_STOP_LATE"/);
  });

  test('GIVEN a platform that fails to start THEN the failure is thrown, those after it are not started, and stop still reaches every one', async () => {
    const events: string[] = [];
    const { logger } = keptLogger();
    const group = new PlatformGroup([recording('slack', events, { start: 'throw' }), recording('discord', events)], logger);
    await assert.rejects(group.start(core), /slack cannot connect/);
    await group.stop();
    assert.deepEqual(events, ['start slack 2026-12-01T09:00:00.000Z', 'stop discord', 'stop slack']);
  });

  test('GIVEN a registry THEN only the platforms whose settings are present are built, in registration order, and a name is taken once', async () => {
    const built: string[] = [];
    const registry = new PlatformRegistry()
      .register('slack', { configure: (env) => env.SLACK_TOKEN ?? null, create: async (token) => (built.push(`slack ${token}`), recording('slack', [])) })
      .register('discord', { configure: (env) => env.DISCORD_TOKEN ?? null, create: async (token) => (built.push(`discord ${token}`), recording('discord', [])) });
    assert.deepEqual(registry.names(), ['slack', 'discord']);
    assert.deepEqual(registry.configured({}), []);
    const configured = registry.configured({ DISCORD_TOKEN: 'd', SLACK_TOKEN: 's' });
    assert.deepEqual(configured.map((p) => p.name), ['slack', 'discord']);
    assert.deepEqual(built, [], 'nothing built before it is asked for');
    const { logger } = keptLogger();
    for (const p of configured) await p.create({ logger, templates: NO_TEMPLATES });
    assert.deepEqual(built, ['slack s', 'discord d']);
    assert.throws(() => registry.register('slack', { configure: () => null, create: async () => recording('slack', []) }), (e: unknown) => hasCode(e, 'ADAPTER_REGISTERED_TWICE'));
  });

  test('GIVEN npm start’s registry THEN it knows Slack, Discord and the web; without a token only the web (beside the console demo), and none with VIGIE_HTTP_PORT=off', () => {
    const registry = platformRegistry();
    assert.deepEqual(registry.names(), ['slack', 'discord', 'web']);
    assert.deepEqual(registry.configured({}).map((p) => [p.name, p.alongside]), [['web', true]]);
    assert.deepEqual(registry.configured({ VIGIE_HTTP_PORT: 'off' }), []);
  });
});
