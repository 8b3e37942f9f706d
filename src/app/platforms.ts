/**
 * The platforms `npm start` knows, registered by name: how each reads its settings from the
 * environment (its token says it is wanted) and how it is built. Only the settings' modules
 * are loaded up front; a platform's adapter and SDK (@slack/bolt, discord.js) are loaded when
 * it is built, that is when its token is configured. A new platform (a web surface) is one
 * more `register` here.
 */
import { PlatformRegistry } from '../platform.js';
import { parseSlackConfig } from '../../adapters/slack/config.js';
import { parseDiscordConfig } from '../../adapters/discord/base/config.js';
import { parseWebConfig } from '../web/config.js';

/**
 * Slack (SLACK_BOT_TOKEN…), Discord (DISCORD_TOKEN…) and the web status page
 * (VIGIE_HTTP_PORT, on by default, beside the chat platforms or the console demo), started in this order.
 */
export function platformRegistry(): PlatformRegistry {
  return new PlatformRegistry()
    .register('slack', {
      configure: (env) => parseSlackConfig(env),
      create: async (config, deps) => (await import('../../adapters/slack/index.js')).createSlackPlatform({ config, ...deps }),
    })
    .register('discord', {
      configure: (env) => parseDiscordConfig(env),
      create: async (config, deps) => (await import('../../adapters/discord/index.js')).createDiscordPlatform({ config, ...deps }),
    })
    .register('web', {
      configure: (env) => parseWebConfig(env),
      create: async (config, deps) => (await import('../web/platform.js')).createWebPlatform({ config, logger: deps.logger }),
      alongside: true,
    });
}
