/**
 * How the Discord test rig hands dispatches to the real discord.js client: the connection
 * (READY, GUILD_CREATE) always over the fake gateway's WebSocket; then interactions straight
 * into the client in this process (the default, for tests of what the bot does), or over the
 * WebSocket (`gateway: 'socket'`, the end-to-end tests). Both answer the same.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness.js';
import { command, user } from '../../fakes/discord/payloads.js';

async function statutThrough(gateway: 'in-process' | 'socket') {
  const h = await startHarness({ gateway });
  try {
    const i = h.fake.interact(command(h.fake.world, 'status', { question: "l'ENT marche en Occitanie ?" }, { user: user() }));
    const callback = await h.fake.callback(i);
    return { dispatches: [...h.fake.socketDispatches], body: callback.body as { type: number; data: { embeds: unknown[] } } };
  } finally {
    await h.close();
  }
}

describe('Discord test rig: the gateway in-process and over the WebSocket', () => {
  test('GIVEN the default rig THEN the client connected over the WebSocket, and the interaction reached it in-process and was answered', async () => {
    const { dispatches, body } = await statutThrough('in-process');
    assert.deepEqual(dispatches, ['READY', 'GUILD_CREATE']);
    assert.equal(body.type, 4);
    assert.match(JSON.stringify(body.data.embeds), /ENT/);
  });

  test('GIVEN gateway: socket THEN the interaction went over the WebSocket too, and the answer is the same', async () => {
    const socket = await statutThrough('socket');
    const inProcess = await statutThrough('in-process');
    assert.deepEqual(socket.dispatches, ['READY', 'GUILD_CREATE', 'INTERACTION_CREATE']);
    assert.equal(JSON.stringify(socket.body), JSON.stringify(inProcess.body));
  });
});
