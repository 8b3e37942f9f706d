/**
 * Configuration from the environment (or .env through dotenv), validated once with zod.
 * A bad value stops startup with the variable's name and what was expected.
 */
import { z } from 'zod';
import { ConfigError } from '../base/errors.js';
import { parseTimeInput } from '../base/time-input.js';
import { ShiftedClock, systemClock, type Clock } from '../base/clock.js';
import { SECRET_VARIABLE } from '../base/logger.js';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A number of days to keep something, 1 to 36,500 (100 years). */
const days = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,5}$/, 'expected a whole number of days')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 36_500, 'expected between 1 and 36500 days')
    .default(fallback);

/** Every variable Vigie reads, with its default. `.env.example` documents each one. */
export const envSchema = z.object({
  VIGIE_STORE_URL: z
    .string()
    .regex(
      /^(sqlite:\/\/.+|memory:\/\/|postgres(ql)?:\/\/.+)$/i,
      'expected sqlite://PATH (a file, created on first run), postgres://USER@HOST:PORT/DATABASE (several instances) or memory:// (kept in memory, lost on exit)',
    )
    .default('sqlite://./data/vigie.sqlite'),
  VIGIE_CACHE_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/i, 'expected redis://HOST:PORT (shared follow-up contexts for several instances); leave unset to keep them in memory')
    .optional(),
  /** How long a delivery claimed by an instance that died stays its own before the others take it (ms). */
  VIGIE_DELIVERY_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  VIGIE_RETENTION_DAYS: days(90),
  VIGIE_AUDIT_RETENTION_DAYS: days(365),
  /**
   * How long people's reports (their masked text included) are kept: "7d", "48h" or a number
   * of days; between 1 hour and 365 days. In milliseconds once parsed.
   */
  VIGIE_REPORT_RETENTION: z
    .string()
    .regex(/^\d{1,5}\s*(d|h)?$/i, 'expected a duration such as 7d or 48h (a bare number is days)')
    .transform((v) => Number(/^\d+/.exec(v)![0]) * (/h$/i.test(v) ? 3_600_000 : 86_400_000))
    .refine((ms) => ms >= 3_600_000 && ms <= 365 * 86_400_000, 'expected between 1 hour and 365 days')
    .default(7 * 86_400_000),
  /**
   * The key of reporters' pseudonyms (HMAC-SHA256 of platform, workspace and user); the same on
   * every instance. Unset: a random one per process (a warning says what that costs).
   */
  VIGIE_REPORT_SECRET: z.string().min(16, 'expected at least 16 characters (a long random string)').optional(),
  /**
   * Hours an official resolution counts as an all-clear: answers say "operational" for the
   * service and place it covered only within them, then "unknown" (no official information).
   */
  VIGIE_ALL_CLEAR_HOURS: z
    .string()
    .regex(/^\d{1,4}$/, 'expected a whole number of hours')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 720, 'expected between 1 and 720 hours (30 days)')
    .default(24),
  VIGIE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  VIGIE_CONTENT_DIR: z.string().min(1).optional(),
  VIGIE_DEMO_SCENARIO: z.string().regex(/^[\w.-]+$/, 'expected a scenario name from content/scenarios').default('2020-03-17'),
  VIGIE_DEMO_AT: z.string().regex(HH_MM, 'expected a time of day such as 10:00').default('10:00'),
  VIGIE_LANGUAGE: z.enum(['fr', 'en']).default('fr'),
  /** On SIGTERM/SIGINT, how long requests already sent may take to finish (ms, default 10 000). */
  VIGIE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /**
   * Automated checks of the services' public addresses (content/probes.yaml): off by default,
   * so nothing leaves the machine unless an operator turns them on.
   */
  VIGIE_PROBES: z.enum(['on', 'off'], { message: 'expected on or off' }).default('off'),
  /** The language of crowd-signal alerts in the operators' alert channels (default French). */
  VIGIE_ALERT_LANGUAGE: z.enum(['fr', 'en'], { message: 'expected fr or en' }).default('fr'),
  VIGIE_NOW: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'expected an ISO-8601 instant with its offset, such as 2026-03-29T01:30:00+01:00')
    .refine((v) => parseTimeInput(v, '2000-01-01') !== null, 'expected a date that exists, between 2000 and 2100')
    .optional(),
});
export type Env = z.infer<typeof envSchema>;

/**
 * The clock a process runs on: the wall clock, or, with `VIGIE_NOW`, a clock that starts at
 * that instant and runs on (rehearsals, replays of a day, tests of whole processes).
 */
export function clockFromEnv(env: Pick<Env, 'VIGIE_NOW'>): Clock {
  return env.VIGIE_NOW ? new ShiftedClock(new Date(env.VIGIE_NOW)) : systemClock;
}

/** The all-clear window of VIGIE_ALL_CLEAR_HOURS, in milliseconds. */
export function allClearMs(env: Pick<Env, 'VIGIE_ALL_CLEAR_HOURS'>): number {
  return env.VIGIE_ALL_CLEAR_HOURS * 3600_000;
}

export { SECRET_VARIABLE };

/** Validates the environment; throws ConfigError naming the first bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings in .env mean "not set", as people write `SLACK_BOT_TOKEN=` to disable a platform.
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined && value !== '') cleaned[key] = value;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, `${issue.message} (got ${describeValue(variable, cleaned[variable])})`);
  }
  return parsed.data;
}

function describeValue(variable: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (SECRET_VARIABLE.test(variable)) return 'a value that is hidden because it is a secret';
  // A URL may carry a password (postgres://user:secret@host): never echo it.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*@/i.test(value)) return JSON.stringify(value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@').slice(0, 80));
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** Loads .env (when present) into process.env without overriding what is already set. */
export async function loadDotenv(path = '.env'): Promise<void> {
  const { config } = await import('dotenv');
  config({ path, quiet: true });
}
