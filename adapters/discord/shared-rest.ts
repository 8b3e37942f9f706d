/**
 * One REST client per token: the gateway Client adopts the transport's.
 *
 * The problem: discord.js 14 builds a REST client in every Client's constructor (BaseClient:
 * `this.rest = new REST(this.options.rest)`), and @discordjs/rest keeps its rate-limit state
 * (the global 50 requests/s, the route buckets learnt from X-RateLimit-* headers, a global 429's
 * reset) per REST instance. A platform whose transport has its own REST client would track one
 * token's limits twice: an answer to a person sent while deliveries wait out a global 429 would
 * be sent into it, and the two together could pass 50 requests/s.
 *
 * There is no supported option for it: ClientOptions.rest takes RESTOptions only, never a REST
 * instance (discord.js 14.28). So the Client's public `rest` property is replaced before the
 * gateway connects (the WebSocketManager reads `client.rest` at connect time, for the gateway
 * information) and the REST built by the constructor is released (its sweep intervals cleared).
 * Two things upstream does with `client.rest` are kept away from the shared client:
 * - `Client#destroy()` calls `this.rest.setToken(null)`: the stopped client gets its own REST
 *   back just before, so stopping the adapter (or a failed login, which destroys the client)
 *   never leaves the transport without its token while deliveries run. Requests the stopped
 *   client still makes fail for want of a token, as they did before.
 * - `BaseClient#destroy()` clears the REST's sweep intervals: with its own REST back, that
 *   touches only that one; the transport's `destroy()` clears the shared one's.
 * `Client#login(token)` sets the same token on the shared client, which is harmless.
 *
 * Because `rest` is replaced on a class that does not expect it, this is done only on the
 * discord.js versions it was checked against (DISCORDJS_SHARED_REST_VERSIONS); on another one it
 * warns and leaves the client its own REST (two rate-limit trackers, as before), and
 * test/adapters/discord/shared-rest.test.ts fails until someone checks the new version.
 */
import { REST, version as discordJsVersion, type Client } from 'discord.js';
import type { Logger } from '../../src/index.js';

/** The discord.js versions (major.minor) whose Client construction, connect and destroy this was checked against. */
export const DISCORDJS_SHARED_REST_VERSIONS: readonly string[] = ['14.28'];

/** What adopting the REST client did. */
export type ShareRestResult = 'shared' | 'skipped-version' | 'skipped-missing';

/** Makes `client` (not yet logged in) send every REST request through `rest`. */
export function shareRest(client: Client, rest: REST, logger: Logger, installedVersion: string = discordJsVersion): ShareRestResult {
  const majorMinor = installedVersion.split('.').slice(0, 2).join('.');
  if (!DISCORDJS_SHARED_REST_VERSIONS.includes(majorMinor)) {
    logger.warn('discord.js version not checked for sharing the REST client: interactions and deliveries track rate limits apart', { version: installedVersion, checked: DISCORDJS_SHARED_REST_VERSIONS });
    return 'skipped-version';
  }
  const own = (client as { rest?: unknown }).rest;
  if (!(own instanceof REST)) {
    logger.warn('discord.js client has no REST client to replace: interactions and deliveries track rate limits apart', { version: installedVersion });
    return 'skipped-missing';
  }
  own.clearHashSweeper();
  own.clearHandlerSweeper();
  client.rest = rest;
  const destroy = client.destroy;
  client.destroy = async function destroyOwnRest(this: Client): Promise<void> {
    client.rest = own;
    return destroy.call(client);
  };
  return 'shared';
}
