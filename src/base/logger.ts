/**
 * A small leveled logger writing one line per event to stderr. Secret values found in the
 * environment are masked in every line, so a token can never reach the logs.
 */

/** Names of variables whose values must never be logged. */
export const SECRET_VARIABLE = /(TOKEN|SECRET|PASSWORD|KEY)$/;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** What the core logs through. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything (tests, batch CLI). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Collects the secret values of the environment so they can be masked. */
export function secretsFrom(env: NodeJS.ProcessEnv): string[] {
  const secrets = Object.entries(env)
    .filter(([key, value]) => SECRET_VARIABLE.test(key) && typeof value === 'string' && value.length >= 6)
    .map(([, value]) => value as string);
  // Passwords inside URLs (VIGIE_STORE_URL=postgres://user:secret@host, VIGIE_CACHE_URL).
  for (const [key, value] of Object.entries(env)) {
    if (!key.endsWith('_URL') || !value) continue;
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(value)?.[1];
    if (password && password.length >= 4) secrets.push(password, safeDecode(password));
  }
  return [...new Set(secrets)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Replaces every secret value (and token-shaped strings) in a text by a mask. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  // Slack and Discord token shapes, in case one arrives from somewhere else than the environment.
  return out
    .replace(/\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{8,}/g, '[redacted]')
    .replace(/\b[MN][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}/g, '[redacted]');
}

/** A logger writing `time level message {fields}` lines to a stream. */
export function createLogger(options: {
  level?: LogLevel;
  stream?: NodeJS.WritableStream;
  secrets?: readonly string[];
  clock?: () => Date;
}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const stream = options.stream ?? process.stderr;
  const secrets = options.secrets ?? [];
  const now = options.clock ?? (() => new Date());
  const write = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < threshold) return;
    let line = `${now().toISOString()} ${level.toUpperCase()} ${message}`;
    if (fields && Object.keys(fields).length > 0) line += ` ${safeJson(fields)}`;
    stream.write(`${redact(line, secrets)}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

function safeJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message, code: (value as { code?: unknown }).code } : value,
    );
  } catch {
    return '{"fields":"unserialisable"}';
  }
}
