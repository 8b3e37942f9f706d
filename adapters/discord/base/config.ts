/**
 * The Discord adapter's configuration from the environment, validated once with zod.
 * No DISCORD_TOKEN means Discord is off (null). Errors name the variable and never show a
 * secret value.
 */
import { z } from 'zod';
import { ConfigError } from '../../../src/index.js';

const SNOWFLAKE = /^\d{17,20}$/;
const snowflakeList = (what: string) =>
  z
    .string()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string().regex(SNOWFLAKE, `a comma-separated list of ${what} ids (17 to 20 digits)`)));

/** Every variable the Discord adapter reads. */
export const discordEnvSchema = z.object({
  DISCORD_TOKEN: z.string().min(20, 'a bot token from the Developer Portal (Bot → Reset Token)'),
  DISCORD_APPLICATION_ID: z.string().regex(SNOWFLAKE, 'the application id (17 to 20 digits, Developer Portal → General Information)'),
  DISCORD_GUILD_ID: z.string().regex(SNOWFLAKE, 'a server id (17 to 20 digits)').optional(),
  DISCORD_API_URL: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  VIGIE_DISCORD_MENTIONS: z.enum(['on', 'off']).default('off'),
  VIGIE_DISCORD_ADMIN_ROLES: snowflakeList('role').default([]),
  VIGIE_DISCORD_ADMINS: snowflakeList('user').default([]),
  VIGIE_DISCORD_ALERT_CHANNEL: z.string().regex(SNOWFLAKE, 'a channel id (17 to 20 digits) for crowd-signal alerts').optional(),
});

/** The typed configuration. */
export interface DiscordConfig {
  token: string;
  applicationId: string;
  /** Register commands on this server only (instant), instead of globally. */
  guildId?: string;
  /** REST base URL without the version, e.g. "https://discord.com/api" (default) or a proxy. */
  apiUrl?: string;
  /** Answer messages that mention the bot (needs the Guild Messages intent). */
  mentions: boolean;
  adminRoles: string[];
  adminUsers: string[];
  /** The channel crowd-signal alerts are posted in (VIGIE_DISCORD_ALERT_CHANNEL); none: no alerts on Discord. */
  alertChannel?: string;
}

/** Reads the Discord configuration; null when DISCORD_TOKEN is not set. Throws ConfigError naming the variable. */
export function parseDiscordConfig(source: NodeJS.ProcessEnv = process.env): DiscordConfig | null {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(discordEnvSchema.shape)) {
    const value = source[key]?.trim();
    // An empty value means "not set", as in `DISCORD_TOKEN=` to switch Discord off.
    if (value) cleaned[key] = value;
  }
  if (!cleaned.DISCORD_TOKEN) return null;
  const parsed = discordEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = cleaned[variable];
    const shown = got === undefined ? 'nothing' : variable === 'DISCORD_TOKEN' ? 'a value hidden because it is a secret' : JSON.stringify(got.slice(0, 80));
    const problem = got === undefined ? 'required when DISCORD_TOKEN is set' : issue.message;
    throw new ConfigError(variable, `${problem} (got ${shown})`);
  }
  const env = parsed.data;
  return {
    token: env.DISCORD_TOKEN,
    applicationId: env.DISCORD_APPLICATION_ID,
    ...(env.DISCORD_GUILD_ID ? { guildId: env.DISCORD_GUILD_ID } : {}),
    ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
    mentions: env.VIGIE_DISCORD_MENTIONS === 'on',
    adminRoles: env.VIGIE_DISCORD_ADMIN_ROLES,
    adminUsers: env.VIGIE_DISCORD_ADMINS,
    ...(env.VIGIE_DISCORD_ALERT_CHANNEL ? { alertChannel: env.VIGIE_DISCORD_ALERT_CHANNEL } : {}),
  };
}
