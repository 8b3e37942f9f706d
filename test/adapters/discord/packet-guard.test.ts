/**
 * The packet guard wraps a private discord.js method (WebSocketManager#handlePacket): these
 * tests fail when discord.js is upgraded to a version the guard was not checked against, or when
 * the method it wraps disappears, so that someone reads packet-guard.ts again. That the gateway
 * still reaches the wrapped method (discord.js 14.28 calls `this.handlePacket` for every
 * dispatch) is tested end to end in discord.test.ts, with a malformed INTERACTION_CREATE sent
 * by the fake gateway.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, GatewayIntentBits, version } from 'discord.js';
import type { Logger } from '../../../src/index.js';
import { DISCORDJS_GUARDED_VERSIONS, guardPackets } from '../../../adapters/discord/packet-guard.js';

function recorder(): Logger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => errors.push(m) };
}

describe('Discord packet guard', () => {
  test('GIVEN the installed discord.js THEN it is a version the guard was checked against, and the patched method exists', () => {
    assert.ok(DISCORDJS_GUARDED_VERSIONS.includes(version.split('.').slice(0, 2).join('.')), `discord.js ${version}: check packet-guard.ts against it, then add it`);
    const client = new Client({ intents: [GatewayIntentBits.Guilds] });
    const ws = client.ws as unknown as { handlePacket?: unknown };
    assert.equal(typeof ws.handlePacket, 'function', 'WebSocketManager#handlePacket is gone: the guard no longer guards anything');
    void client.destroy();
  });

  test('GIVEN a dispatch whose handler throws THEN the guard logs it and emits a client error instead of throwing', () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds] });
    const logger = recorder();
    assert.equal(guardPackets(client, logger), 'installed');
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const ws = client.ws as unknown as { handlePacket(packet: unknown, shard: unknown): boolean; status: number };
    ws.status = 0; // Ready: discord.js handles the packet now instead of queueing it
    assert.doesNotThrow(() => ws.handlePacket({ t: 'INTERACTION_CREATE', d: { id: '1', type: 2 } }, { id: 0 }));
    assert.equal(errors.length, 1);
    assert.deepEqual(logger.errors, ['discord dispatch could not be handled']);
    void client.destroy();
  });

  test('GIVEN another discord.js version THEN the guard warns and leaves discord.js as it is', () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds] });
    const logger = recorder();
    const before = (client.ws as unknown as { handlePacket: unknown }).handlePacket;
    assert.equal(guardPackets(client, logger, '15.0.0'), 'skipped-version');
    assert.equal((client.ws as unknown as { handlePacket: unknown }).handlePacket, before);
    assert.equal(logger.warnings.length, 1);
    void client.destroy();
  });
});
