/**
 * Starts Vigie's Discord adapter (a real discord.js Client) against the fake Discord, with
 * a real SQLite store in a temporary folder and a fixed clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createRuntime, FixedClock, silentLogger, type Logger, type Runtime } from '../../../src/index.js';
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
 * Starts everything; `mentions` switches mention answers on, admins are given by role or user
 * id. By default answers never wait for a deferral (`deadline` NEVER), so tests do not depend on
 * the machine's speed; give a deadline to test the deferred path.
 */
export async function startHarness(options: { mentions?: boolean; adminUsers?: string[]; progressIntervalMs?: number; deadline?: () => Deadline; logger?: Logger; understander?: Understander } = {}): Promise<Harness> {
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
