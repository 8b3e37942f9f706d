/**
 * Discord's answers as neutral delivery results: who pays for a failure. A rate limit is
 * nobody's (wait as told, no attempt spent); 5xx, timeouts and lost connections are
 * transient (retried until the notice's deadline, reconciled first when they may have
 * landed); a refused token or account is the bot's (the platform pauses, no channel is
 * blamed); only a channel's own refusal (gone, no access, no permission) counts against it.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { VigieError, type SendFailure } from '../../src/index.js';

/** Discord error codes that will not change by retrying and are the channel's doing. */
const CHANNEL_CODES: Record<number, string> = {
  10003: 'discord_10003_unknown_channel',
  10004: 'discord_10004_unknown_guild',
  10008: 'discord_10008_unknown_message',
  50001: 'discord_50001_missing_access',
  50013: 'discord_50013_missing_permissions',
  50083: 'discord_50083_archived_thread',
};

/**
 * Codes that refuse the bot's account itself, in every channel of every server: they pause
 * the platform like a 401 instead of counting against each channel (Discord answers a bot
 * removed from one server, or denied one channel, with 50001/50013 there only).
 */
const BOT_CODES: Record<number, string> = {
  40001: 'discord_40001_unauthorized',
  40002: 'discord_40002_account_unverified',
  40004: 'discord_40004_sending_disabled',
  20012: 'discord_20012_not_authorized_for_application',
};

/** Connection errors that mean the request never reached Discord. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Thrown inside the transport when a shutdown stops a request before it was sent. */
export class ShutdownError extends VigieError {
  constructor() {
    super('DELIVERY_SHUTDOWN', 'delivery stopped (shutdown) before the request was sent');
  }
}

/** The result of a call stopped by a shutdown before anything was sent. */
export const SHUTDOWN: SendFailure = Object.freeze({ ok: false, retry: true, uncertain: false, reason: 'shutdown' }) as SendFailure;

/** A refusal of the bot itself (401, or the token dropped after one): the platform pauses. */
export const unauthorized = (reason = 'discord_401_unauthorized'): SendFailure => ({ ok: false, retry: true, uncertain: false, botFault: 'platform', reason });

/** A failed REST call as a neutral result. */
export function mapDiscordError(error: unknown): SendFailure {
  if (error instanceof ShutdownError) return { ...SHUTDOWN };
  if (error instanceof RateLimitError) {
    // Raised before anything was sent, or for a 429: Discord surely did nothing.
    return { ok: false, retry: true, rateLimited: true, uncertain: false, retryAfterMs: Math.max(0, Math.ceil(error.retryAfter)), reason: error.global ? 'discord_rate_limited_global' : 'discord_rate_limited' };
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : -1;
    if (error.status === 401) return unauthorized();
    if (BOT_CODES[code]) return unauthorized(BOT_CODES[code]);
    // 10008 on an edit: the channel's first message was deleted; the dispatcher posts anew.
    if (CHANNEL_CODES[code]) return { ok: false, retry: false, reason: CHANNEL_CODES[code]!, ...(code === 10008 ? { rootGone: true } : {}) };
    if (error.status === 429) return { ok: false, retry: true, rateLimited: true, uncertain: false, reason: 'discord_rate_limited' };
    if (error.status >= 500) return { ok: false, retry: true, uncertain: true, reason: `http_${error.status}` };
    // Any other 4xx (50035 invalid form body…) is our message's fault, not the channel's.
    return { ok: false, retry: false, reason: `discord_${String(error.code)}`, channelFault: false };
  }
  if (error instanceof HTTPError) return { ok: false, retry: true, uncertain: true, reason: `http_${error.status}` };
  const e = error as { name?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'UND_ERR_ABORTED') {
    return { ok: false, retry: true, uncertain: true, reason: 'timeout' };
  }
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  return { ok: false, retry: true, uncertain: !NEVER_SENT.has(code), reason: 'network_error' };
}
