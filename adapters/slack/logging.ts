/**
 * Logging for the Slack adapter: our Logger with the Slack secrets masked in messages and
 * fields, and the same logger shaped as bolt's Logger so bolt and the Socket Mode client
 * write through it too.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { redact, type Logger } from '../../src/index.js';

function clean(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: redact(value.message, secrets), ...(code !== undefined ? { code } : {}) };
  }
  if (value === null || typeof value !== 'object') return value;
  try {
    return JSON.parse(redact(JSON.stringify(value), secrets)) as unknown;
  } catch {
    return '[unserialisable]';
  }
}

/** A logger that masks `secrets` (and token-shaped strings) everywhere before writing. */
export function redactingLogger(logger: Logger, secrets: readonly string[]): Logger {
  const wrap =
    (write: Logger['info']) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const safe = fields ? Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, clean(v, secrets)])) : undefined;
      write(redact(message, secrets), safe);
    };
  return { debug: wrap(logger.debug), info: wrap(logger.info), warn: wrap(logger.warn), error: wrap(logger.error) };
}

function line(parts: unknown[]): string {
  return parts
    .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(clean(p, [])) ?? String(p)))
    .join(' ');
}

/** Our (already redacting) logger in the shape bolt expects. */
export function boltLogger(logger: Logger, level: LogLevel = LogLevel.INFO): BoltLogger {
  let current = level;
  return {
    debug: (...msg) => logger.debug(`slack: ${line(msg)}`),
    info: (...msg) => logger.info(`slack: ${line(msg)}`),
    warn: (...msg) => logger.warn(`slack: ${line(msg)}`),
    error: (...msg) => logger.error(`slack: ${line(msg)}`),
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: () => {},
  };
}
