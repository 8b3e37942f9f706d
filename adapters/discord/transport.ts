/**
 * The Discord DeliveryTransport: official notices posted, edited and replied to through one
 * @discordjs/rest client. @discordjs/rest keeps Discord's limits (50 requests/s per bot, the
 * per-route buckets it learns from X-RateLimit-* headers) by queueing; everything else (5xx,
 * timeouts, network errors, permanent refusals) comes back to the dispatcher as a neutral
 * result. Messages are sent with nonce = delivery id and enforce_nonce, so a resend of a
 * message whose outcome was unknown returns the message that already exists.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes, type RateLimitData } from 'discord.js';
import type { Delivery, DeliveryTransport, NoticeMessage, ReconcileResult, SendFailure, SendResult } from '../../src/index.js';
import { renderButtons, renderEmbed } from './render.js';

/** How to reach Discord. */
export interface DiscordTransportOptions {
  /** The bot token (DISCORD_TOKEN). */
  token: string;
  /** REST base URL without the version (DISCORD_API_URL); default https://discord.com/api. */
  apiUrl?: string;
  /** Milliseconds before one HTTP request is given up as a timeout (default 10 000). */
  timeoutMs?: number;
  /**
   * A rate-limit wait longer than this is not queued: it comes back to the dispatcher as a
   * retry after that delay, freeing the channel's slot (default 10 000 ms).
   */
  maxQueueWaitMs?: number;
  /** The client's global pace (default 50, Discord's limit per bot). */
  globalRequestsPerSecond?: number;
  /** Margin added to every rate-limit wait, against clock skew with Discord (default 50 ms, @discordjs/rest's). */
  rateLimitOffsetMs?: number;
}

/** The transport, with its REST client (for events and tests) and a way to release it. */
export interface DiscordTransport extends DeliveryTransport {
  readonly platform: 'discord';
  readonly rest: REST;
  /** Rate-limit waits @discordjs/rest went through (queued, not failures). */
  readonly stats: { rateLimitWaits: number };
  /** Stops the REST client's sweep timers. */
  destroy(): void;
}

/** Discord caps nonces at 25 characters. */
const NONCE_MAX = 25;

/** The nonce of a delivery: its id, or a stable 25-character digest of a longer id. */
export function nonceOf(deliveryId: string): string {
  return deliveryId.length <= NONCE_MAX ? deliveryId : createHash('sha256').update(deliveryId).digest('base64url').slice(0, NONCE_MAX);
}

/** Discord error codes that will not change by retrying, with their stable reason. */
const PERMANENT_CODES: Record<number, string> = {
  10003: 'discord_10003_unknown_channel',
  10004: 'discord_10004_unknown_guild',
  10008: 'discord_10008_unknown_message',
  50001: 'discord_50001_missing_access',
  50013: 'discord_50013_missing_permissions',
  50083: 'discord_50083_archived_thread',
};

/** A failed REST call as a neutral result. */
export function mapDiscordError(error: unknown): SendFailure {
  if (error instanceof RateLimitError) {
    // Raised before anything was sent (or for a 429): Discord surely did nothing.
    return { ok: false, retry: true, uncertain: false, retryAfterMs: Math.max(0, Math.ceil(error.retryAfter)), reason: error.global ? 'discord_rate_limited_global' : 'discord_rate_limited' };
  }
  if (error instanceof DiscordAPIError) {
    const known = typeof error.code === 'number' ? PERMANENT_CODES[error.code] : undefined;
    // 10008 on an edit: the channel's first message was deleted; the dispatcher posts anew.
    if (known) return { ok: false, retry: false, reason: known, ...(error.code === 10008 ? { rootGone: true } : {}) };
    // A bad token is ours to fix, not the channel's: retry (the dispatcher gives up after its
    // attempts without counting it against the subscription).
    if (error.status === 401) return { ok: false, retry: true, uncertain: false, reason: 'discord_401_unauthorized' };
    if (error.status >= 500) return { ok: false, retry: true, uncertain: true, reason: `http_${error.status}` };
    // Any other 4xx (50035 invalid form body…) is our message's fault, not the channel's.
    return { ok: false, retry: false, reason: `discord_${String(error.code)}`, channelFault: false };
  }
  if (error instanceof HTTPError) {
    return { ok: false, retry: true, uncertain: true, reason: `http_${error.status}` };
  }
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'UND_ERR_ABORTED') {
    return { ok: false, retry: true, uncertain: true, reason: 'timeout' };
  }
  if (typeof e?.message === 'string' && e.message.startsWith('Expected token')) {
    // @discordjs/rest drops the token after a 401; nothing was sent.
    return { ok: false, retry: true, uncertain: false, reason: 'discord_401_unauthorized' };
  }
  return { ok: false, retry: true, uncertain: true, reason: 'network_error' };
}

/** The body of a notice message: the adapter's embed and buttons, no pings, tagged with the delivery. */
export function noticeBody(d: Pick<Delivery, 'id'>, message: NoticeMessage, replyTo?: string): Record<string, unknown> {
  return {
    embeds: [renderEmbed(message)],
    components: renderButtons(message),
    allowed_mentions: { parse: [], replied_user: false },
    nonce: nonceOf(d.id),
    enforce_nonce: true,
    ...(replyTo ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {}),
  };
}

/**
 * Creates the Discord transport. The lead wires it as
 * `createDiscordTransport({ token: config.token, apiUrl: config.apiUrl })`.
 */
export function createDiscordTransport(options: DiscordTransportOptions): DiscordTransport {
  const maxQueueWaitMs = options.maxQueueWaitMs ?? 10_000;
  const stats = { rateLimitWaits: 0 };
  const rest = new REST({
    version: '10',
    ...(options.apiUrl ? { api: options.apiUrl } : {}),
    timeout: options.timeoutMs ?? 10_000,
    globalRequestsPerSecond: options.globalRequestsPerSecond ?? 50,
    offset: options.rateLimitOffsetMs ?? 50,
    // `retries` only covers 5xx answers and aborted/reset requests (timeouts): @discordjs/rest
    // would resend them itself, hiding an outcome that may have landed. 0 hands each one to the
    // dispatcher, which records it, backs off and (nonce + enforce_nonce) resends safely.
    retries: 0,
    // `rejectOnRateLimit` decides whether a rate limit (a pre-emptive wait on an empty bucket,
    // the global 50/s, or a 429 answer) throws a RateLimitError instead of queueing. Short waits
    // are queued, as @discordjs/rest is built to do; only a long one (a channel in slowmode, a
    // global lock) comes back as a retry-after so the channel's slot is not held for minutes.
    rejectOnRateLimit: (data: RateLimitData) => data.retryAfter > maxQueueWaitMs,
  }).setToken(options.token);
  rest.on('rateLimited', () => stats.rateLimitWaits++);

  const send = async (call: () => Promise<unknown>): Promise<SendResult> => {
    try {
      const message = (await call()) as { id?: unknown } | null;
      if (message && typeof message.id === 'string') return { ok: true, ref: message.id };
      return { ok: false, retry: true, uncertain: true, reason: 'bad_response' };
    } catch (error) {
      return mapDiscordError(error);
    }
  };

  return {
    platform: 'discord',
    rest,
    stats,
    post: (d, message) => send(() => rest.post(Routes.channelMessages(d.channel), { body: noticeBody(d, message) })),
    reply: (d, rootRef, message) => send(() => rest.post(Routes.channelMessages(d.channel), { body: noticeBody(d, message, rootRef) })),
    edit: (d, ref, message) =>
      send(() =>
        rest.patch(Routes.channelMessage(d.channel, ref), {
          body: { embeds: [renderEmbed(message)], components: renderButtons(message), allowed_mentions: { parse: [], replied_user: false } },
        }),
      ),
    // Discord does not return nonces when listing messages, so there is nothing to search by.
    // Resending is safe instead: with enforce_nonce, Discord answers a post whose nonce it saw
    // from this bot "in the past few minutes" with the existing message. Limit: a delivery left
    // in flight longer than that window (a process down for several minutes mid-send) could be
    // posted twice.
    reconcile: async (): Promise<ReconcileResult> => ({ found: false }),
    destroy() {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
}
