/**
 * A guard around discord.js's gateway packet handler, for one upstream behaviour.
 *
 * The problem: discord.js 14 builds its structures (interactions, messages…) inside the
 * gateway's message callback, which @discordjs/ws calls as `void this.onMessage(...)`. When a
 * payload is not what discord.js expects, the constructor throws there, nobody can catch it,
 * and it becomes an unhandled promise rejection, which ends a Node process by default. Known
 * upstream cases: an INTERACTION_CREATE without `entitlements` ("Cannot read properties of
 * undefined (reading 'reduce')", https://github.com/discordjs/discord.js/issues/10378, closed
 * upstream without a change: 14.28.1's BaseInteraction still reads `data.entitlements.reduce`),
 * and a message with a component type discord.js did not know ("Crash when encountering
 * unknown component", https://github.com/discordjs/discord.js/issues/8599, fixed upstream by
 * discordjs/discord.js#8724, the same class of failure); any payload missing `data` or
 * `message` does the same.
 *
 * There is no supported option for it: discord.js has no hook around packet handling, and a
 * process-wide `unhandledRejection` handler would hide every other bug in the process. So the
 * adapter wraps `client.ws.handlePacket` (marked @private upstream): an exception there is
 * logged (with the dispatch type only) and emitted as a client `error`, and the bot keeps
 * running; unanswered.ts then answers the interaction that was lost. Because the method is
 * private, the guard is installed only on the discord.js version it was written and tested for
 * (DISCORDJS_GUARDED_VERSION); on another version it warns and does nothing, and
 * test/adapters/discord/packet-guard.test.ts fails until someone checks the new version.
 */
import { Events, version as discordJsVersion, type Client } from 'discord.js';
import type { Logger } from '../../src/index.js';
import { safeError } from './base/log-safe.js';

/** The discord.js versions (major.minor) whose private `WebSocketManager#handlePacket(packet, shard)` this guard was checked against. */
export const DISCORDJS_GUARDED_VERSIONS: readonly string[] = ['14.28'];

/** What installing the guard did. */
export type PacketGuardResult = 'installed' | 'skipped-version' | 'skipped-missing';

type PacketHandler = (packet: unknown, shard: unknown) => boolean;

/** Wraps the client's packet handler so a malformed dispatch is logged instead of ending the process. */
export function guardPackets(client: Client, logger: Logger, installedVersion: string = discordJsVersion): PacketGuardResult {
  const majorMinor = installedVersion.split('.').slice(0, 2).join('.');
  if (!DISCORDJS_GUARDED_VERSIONS.includes(majorMinor)) {
    logger.warn('discord.js version not checked for the packet guard: malformed dispatches are not guarded', { version: installedVersion, checked: DISCORDJS_GUARDED_VERSIONS });
    return 'skipped-version';
  }
  const ws = client.ws as unknown as { handlePacket?: PacketHandler };
  const original = ws.handlePacket;
  if (typeof original !== 'function') {
    logger.warn('discord.js packet handler not found: malformed dispatches are not guarded', { version: installedVersion });
    return 'skipped-missing';
  }
  ws.handlePacket = function guarded(this: unknown, packet: unknown, shard: unknown): boolean {
    try {
      return original.call(this, packet, shard);
    } catch (error) {
      const type = (packet as { t?: unknown } | null)?.t;
      logger.error('discord dispatch could not be handled', { type: typeof type === 'string' ? type : 'unknown', error: safeError(error) });
      client.emit(Events.Error, error instanceof Error ? error : new Error(String(error)));
      return true;
    }
  };
  return 'installed';
}
