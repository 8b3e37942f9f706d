/**
 * Slack settings from the environment, validated with zod. No SLACK_BOT_TOKEN means Slack is
 * off (null). Socket Mode needs SLACK_APP_TOKEN; HTTP mode is chosen when both
 * SLACK_SIGNING_SECRET and PORT are set. Errors name the variable and never print a secret.
 */
import { z } from 'zod';
import { ConfigError } from '../../src/index.js';

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** A comma-separated list of Slack user ids (VIGIE_SLACK_ADMINS, VIGIE_SLACK_SUBSCRIBERS). */
const userIds = () =>
  z
    .string()
    .transform((s) => s.split(/[\s,]+/).filter((id) => id.length > 0))
    .pipe(z.array(z.string().regex(USER_ID, 'Slack user ids separated by commas, such as U012AB3CD,U045EF6GH')));

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const slackEnvSchema = z.object({
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-\S+$/, 'a bot token starting with xoxb-').optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-\S+$/, 'an app-level token starting with xapp-').optional(),
  SLACK_SIGNING_SECRET: z.string().regex(/^[0-9a-f]{16,}$/i, "the app's signing secret (hexadecimal)").optional(),
  PORT: z.coerce.number().int('a whole number').min(0, 'a port number').max(65535, 'a port number').optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/, error: 'an http(s) URL such as https://slack.com/api/' }).optional(),
  VIGIE_SLACK_ADMINS: userIds().optional(),
  VIGIE_SLACK_SUBSCRIBERS: userIds().optional(),
  // Where crowd-signal alerts go (#15): a channel id, not a name (names change, ids do not).
  VIGIE_SLACK_ALERT_CHANNEL: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id such as C012AB3CD (not a #name)').optional(),
  // The core validates it; here it only says whether bolt's own debug lines are wanted.
  VIGIE_LOG_LEVEL: z.string().optional(),
});

/** What every mode shares. */
interface SlackCommon {
  botToken: string;
  /** Web API base URL (GovSlack, proxies, test fakes); Slack's own when undefined. */
  apiUrl?: string;
  /** Slack user ids allowed to open, update and resolve incidents (and to change subscriptions). */
  admins: string[];
  /**
   * Slack user ids allowed to change channels' subscriptions, besides the workspace's admins
   * and owners and `admins`.
   */
  subscribers: string[];
  /** The channel crowd-signal alerts are posted in (VIGIE_SLACK_ALERT_CHANNEL); none: no alerts on Slack. */
  alertChannel?: string;
  /** The log level (VIGIE_LOG_LEVEL), when set: bolt's own lines follow it. */
  logLevel?: (typeof LOG_LEVELS)[number];
}

/** Validated Slack settings: Socket Mode (no public URL) or HTTP (Events API on PORT). */
export type SlackConfig =
  | (SlackCommon & { mode: 'socket'; appToken: string })
  | (SlackCommon & { mode: 'http'; signingSecret: string; port: number });

const SECRETS = new Set(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET']);

/** Reads Slack settings; null when SLACK_BOT_TOKEN is not set; throws ConfigError naming the variable. */
export function parseSlackConfig(source: NodeJS.ProcessEnv = process.env): SlackConfig | null {
  // Empty strings mean "not set", as in the core's env parsing (`SLACK_BOT_TOKEN=` disables Slack).
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(slackEnvSchema.shape)) {
    const value = source[key]?.trim();
    if (value) cleaned[key] = value;
  }
  const parsed = slackEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = SECRETS.has(variable) ? 'a value that is hidden because it is a secret' : JSON.stringify(cleaned[variable]?.slice(0, 80) ?? '');
    throw new ConfigError(variable, `expected ${issue.message} (got ${got})`);
  }
  const env = parsed.data;
  if (!env.SLACK_BOT_TOKEN) return null;
  const logLevel = LOG_LEVELS.find((l) => l === env.VIGIE_LOG_LEVEL?.toLowerCase());
  const common: SlackCommon = {
    botToken: env.SLACK_BOT_TOKEN,
    admins: env.VIGIE_SLACK_ADMINS ?? [],
    subscribers: env.VIGIE_SLACK_SUBSCRIBERS ?? [],
    ...(env.VIGIE_SLACK_ALERT_CHANNEL ? { alertChannel: env.VIGIE_SLACK_ALERT_CHANNEL } : {}),
    ...(logLevel ? { logLevel } : {}),
    ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/` } : {}),
  };
  if (env.SLACK_SIGNING_SECRET && env.PORT !== undefined) {
    return { ...common, mode: 'http', signingSecret: env.SLACK_SIGNING_SECRET, port: env.PORT };
  }
  if (!env.SLACK_APP_TOKEN) {
    const missing = env.SLACK_SIGNING_SECRET ? 'PORT' : 'SLACK_APP_TOKEN';
    throw new ConfigError(
      missing,
      missing === 'PORT'
        ? 'HTTP mode needs PORT with SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)'
        : 'Socket Mode needs an app-level token starting with xapp- (or set SLACK_SIGNING_SECRET and PORT for HTTP mode)',
    );
  }
  return { ...common, mode: 'socket', appToken: env.SLACK_APP_TOKEN };
}
