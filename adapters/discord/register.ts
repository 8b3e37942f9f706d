/**
 * `npm run discord:register`: registers the slash commands with Discord, on one server when
 * DISCORD_GUILD_ID is set (instant, for testing), globally otherwise (all servers).
 */
import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import { ConfigError, loadReferenceData } from '../../src/index.js';
import { commandDefinitions, type ServiceChoice } from './base/commands.js';
import { parseDiscordConfig, type DiscordConfig } from './base/config.js';

/** What was registered, and where. */
export interface RegisterResult {
  scope: 'guild' | 'global';
  commands: string[];
}

/** Puts the full command list (replacing the previous one) through the REST API. */
export async function registerCommands(
  config: Pick<DiscordConfig, 'token' | 'applicationId' | 'guildId' | 'apiUrl'>,
  services: readonly ServiceChoice[],
): Promise<RegisterResult> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const body = commandDefinitions(services);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  const saved = (await rest.put(route, { body })) as { name: string }[];
  return { scope: config.guildId ? 'guild' : 'global', commands: saved.map((c) => c.name) };
}

async function main(): Promise<number> {
  const { config: loadEnv } = await import('dotenv');
  loadEnv({ quiet: true });
  const config = parseDiscordConfig(process.env);
  if (!config) throw new ConfigError('DISCORD_TOKEN', 'required to register the commands (got nothing)');
  const { content } = loadReferenceData(process.env.VIGIE_CONTENT_DIR || undefined);
  const result = await registerCommands(config, content.services);
  const where = result.scope === 'guild' ? `on server ${config.guildId}` : 'globally';
  process.stdout.write(`Registered ${result.commands.map((c) => `/${c}`).join(', ')} ${where}.\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      // Never print the token: only the error's message (discord.js does not include it).
      process.stderr.write(`discord:register: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
