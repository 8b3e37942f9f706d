/**
 * Logging for the Slack adapter: our Logger with the Slack secrets masked in messages and
 * fields, and the same logger shaped as bolt's Logger so bolt, the Web API client and the
 * Socket Mode client write through it too. Their lines are made safe before they are
 * written: no `response_url` (it lets anyone post in the channel for 30 minutes), no Socket
 * Mode ticket URL, no message text (parents write their children's names): payloads become
 * a short summary (type, ids, lengths), web addresses keep only their origin.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { redact, type Logger } from '../../src/index.js';

// A web or WebSocket address: everything after its origin may be a capability.
const URL_PATTERN = /\b(?:https?|wss?):\/\/[^\s"'<>()\\]+/gi;

/** `text` with every web address cut to its origin ("https://hooks.slack.com/…"). */
export function withoutUrlPaths(text: string): string {
  return text.replace(URL_PATTERN, (url) => {
    const origin = /^[a-z]+:\/\/[^/?#]*/i.exec(url)?.[0] ?? '';
    // Web API method URLs name the method only: worth keeping for an operator.
    if (/^https?:\/\/[^/?#]+\/api\/[\w.]+$/i.test(url)) return url;
    return url.length > origin.length ? `${origin}/…` : origin;
  });
}

// Fields of Slack payloads an operator may need; everything else is left out.
const KEPT = ['type', 'subtype', 'command', 'callback_id', 'envelope_id', 'event_id', 'ok', 'error', 'response_action', 'channel_type', 'retry_attempt'] as const;

/** A payload reduced to what identifies it: type, ids, and the lengths of texts. */
export function summarize(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return depth > 1 ? `[${value.length}]` : value.slice(0, 5).map((v) => summarize(v, depth + 1));
  if (!value || typeof value !== 'object') return typeof value === 'string' ? `[${value.length} chars]` : value;
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of KEPT) if (typeof v[key] === 'string' || typeof v[key] === 'boolean' || typeof v[key] === 'number') out[key] = v[key];
  const idOf = (x: unknown) => (typeof x === 'string' ? x : typeof (x as { id?: unknown } | null)?.id === 'string' ? (x as { id: string }).id : undefined);
  for (const key of ['team', 'team_id', 'user', 'user_id', 'channel', 'channel_id']) {
    const id = idOf(v[key]);
    if (id && /^[A-Z0-9]{2,20}$/.test(id)) out[key] = id;
  }
  if (typeof v.text === 'string') out.text_length = v.text.length;
  if (Array.isArray(v.blocks)) out.blocks = v.blocks.length;
  if (Array.isArray(v.actions)) out.actions = v.actions.map((a) => (a as { action_id?: unknown }).action_id).filter((a) => typeof a === 'string');
  if (depth < 2) for (const key of ['payload', 'event', 'body']) if (v[key] && typeof v[key] === 'object') out[key] = summarize(v[key], depth + 1);
  return out;
}

/** A bolt / Socket Mode / Web API log line made safe: JSON payloads summarized, addresses cut. */
export function safeLine(text: string): string {
  let out = text;
  const start = out.search(/[{[]/);
  if (start >= 0) {
    const tail = out.slice(start);
    const end = Math.max(tail.lastIndexOf('}'), tail.lastIndexOf(']'));
    let json: string | null = null;
    try {
      json = JSON.stringify(summarize(JSON.parse(tail.slice(0, end + 1)) as unknown));
    } catch {
      // Not JSON (or cut): say how long it was, not what it said.
    }
    out = `${out.slice(0, start)}${json ?? `[${tail.length} chars]`}${json ? tail.slice(end + 1) : ''}`;
  }
  return withoutUrlPaths(out);
}

function clean(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: withoutUrlPaths(redact(value.message, secrets)), ...(code !== undefined ? { code } : {}) };
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
  return safeLine(
    parts
      .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : (JSON.stringify(p) ?? String(p))))
      .join(' '),
  );
}

const RANK: Record<LogLevel, number> = { [LogLevel.DEBUG]: 10, [LogLevel.INFO]: 20, [LogLevel.WARN]: 30, [LogLevel.ERROR]: 40 };

/**
 * Our (already redacting) logger in the shape bolt expects. Lines below `level` are dropped
 * before they are even formatted (bolt formats payloads for debug lines on every event).
 * The level is Vigie's: bolt's clients each try to set their own (INFO) on a shared logger,
 * and those calls are ignored.
 */
export function boltLogger(logger: Logger, level: LogLevel = LogLevel.INFO): BoltLogger {
  const at = (l: LogLevel, write: (m: string) => void) => (...msg: unknown[]) => {
    if (RANK[l] >= RANK[level]) write(`slack: ${line(msg)}`);
  };
  return {
    debug: at(LogLevel.DEBUG, (m) => logger.debug(m)),
    info: at(LogLevel.INFO, (m) => logger.info(m)),
    warn: at(LogLevel.WARN, (m) => logger.warn(m)),
    error: at(LogLevel.ERROR, (m) => logger.error(m)),
    setLevel: () => {},
    getLevel: () => level,
    setName: () => {},
  };
}
