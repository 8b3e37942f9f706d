/**
 * Starts Vigie's Discord adapter (a real discord.js Client) against the fake Discord, with
 * a real SQLite store in a temporary folder and a fixed clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createRuntime, FixedClock, silentLogger, type Logger, type Runtime } from '../../../src/index.js';
import type { Client } from 'discord.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../../adapters/discord/index.js';
import type { Deadline } from '../../../adapters/discord/handlers/respond.js';
import { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { sharedReference } from '../../helpers/reference.js';
import type { Understander } from '../../../src/understand/index.js';

/** 17 March 2020, 10:00 in Paris: schools closed, services overloaded. */
export const NOW = new Date('2020-03-17T09:00:00.000Z');

export { sharedReference };

/** A running bot on the fake Discord. */
export interface Harness {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  runtime: Runtime;
  clock: FixedClock;
  close(): Promise<void>;
}

/**
 * Holds every `bot.ask` of `runtime` until `release()`: `asked` settles when the first question
 * arrives; `restore()` puts the real method back (call it in a finally).
 */
export function holdAsks(runtime: Runtime): { asked: Promise<void>; release(): void; restore(): void } {
  const bot = runtime.bot;
  const original = bot.ask;
  const ask = original.bind(bot);
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let started: () => void = () => undefined;
  const asked = new Promise<void>((resolve) => (started = resolve));
  bot.ask = async (inbound) => {
    started();
    await gate;
    return ask(inbound);
  };
  return { asked, release: () => release(), restore: () => void (bot.ask = original) };
}

/** A deadline that never fires: answers are always ready "in time", whatever the machine's load. */
export const NEVER: () => Deadline = () => ({ promise: new Promise<void>(() => undefined), cancel() {} });

/**
 * Hands the fake's dispatches (interactions, messages) to the client in this process, as its
 * gateway connection would after decoding a frame: through the event discord.js's
 * WebSocketManager listens to on its @discordjs/ws manager (the `_ws` field, private upstream;
 * the Raw event, the packet guard and the handlers then run as for a packet off the socket).
 * Throws when that field or its listener is gone (a discord.js upgrade changed it).
 */
function pushInProcess(client: Client): (packet: { op: 0; t: string; s: number; d: unknown }) => void {
  const manager = (client.ws as unknown as { _ws?: { emit(event: string, payload: unknown): boolean; listenerCount(event: string): number } })._ws;
  if (!manager || manager.listenerCount('dispatch') === 0) {
    throw new Error('discord.js no longer has WebSocketManager#_ws with a dispatch listener: the in-process gateway of the test rig needs updating');
  }
  return (packet) => void manager.emit('dispatch', { data: packet, shardId: 0 });
}

/**
 * Starts everything; `mentions` switches mention answers on, admins are given by role or user
 * id. By default answers never wait for a deferral (`deadline` NEVER), so tests do not depend on
 * the machine's speed; give a deadline to test the deferred path. The client connects to the
 * fake's gateway over its WebSocket; the interactions and messages then reach it in-process
 * (`gateway: 'in-process'`, the default) or over the WebSocket too (`'socket'`, the end-to-end
 * tests).
 */
export async function startHarness(options: { mentions?: boolean; adminUsers?: string[]; progressIntervalMs?: number; deadline?: () => Deadline; logger?: Logger; understander?: Understander; gateway?: 'in-process' | 'socket' } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-discord-'));
  const fake = await FakeDiscord.start();
  const clock = new FixedClock(NOW);
  const runtime = await createRuntime({ storeUrl: `sqlite://${join(dir, 'vigie.sqlite')}`, clock, reference: sharedReference(), ...(options.understander ? { understander: options.understander } : {}) });
  const adapter = createDiscordAdapter({
    ...(options.progressIntervalMs ? { progress: { intervalMs: options.progressIntervalMs } } : {}),
    // VIGIE_TEST_DEBUG=1 shows the adapter's log lines when a test needs investigating.
    logger: options.logger ?? (process.env.VIGIE_TEST_DEBUG ? createLogger({ level: 'debug' }) : silentLogger),
    deadline: options.deadline ?? NEVER,
    config: {
      token: 'fake-token-for-tests.0123456789',
      applicationId: fake.world.appId,
      apiUrl: fake.apiUrl,
      mentions: options.mentions ?? false,
      adminRoles: [fake.world.adminRoleId],
      adminUsers: options.adminUsers ?? [],
    },
  });
  await adapter.start(runtime.bot);
  if ((options.gateway ?? 'in-process') === 'in-process') fake.inProcess = pushInProcess(adapter.client!);
  return {
    fake,
    adapter,
    runtime,
    clock,
    async close() {
      await adapter.stop();
      await fake.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
