/**
 * The Discord DeliveryTransport: official notices posted, edited and replied to through one
 * @discordjs/rest client, with the dispatcher's contract kept in full:
 * - Rate limits are never failures. @discordjs/rest queues short waits (Discord's 50
 *   requests/s, the per-route buckets it learns from X-RateLimit-* headers); a wait longer
 *   than `maxQueueWaitMs` comes back as `rateLimited` with the whole Retry-After, and until
 *   it ends no request of that route (or any, for a global limit) is sent.
 * - A 401 (or an account-wide refusal) is the bot's fault: the platform pauses, and
 *   `checkAuth` gives the REST client its token back (it drops it after a 401) and asks
 *   Discord who the bot is; delivery resumes without a restart.
 * - Exactly once: messages carry nonce = delivery id with enforce_nonce (Discord returns the
 *   existing message for a resend within its nonce window, a few minutes) and a hidden marker
 *   of the delivery id (marker.ts); `reconcile` looks for the marker in the channel's recent
 *   history, so a send whose outcome was unknown is found however long ago it was made.
 * - A shutdown (the AbortSignal) ends waits at once, as certain failures: nothing is sent
 *   after it, and a request already on the wire is let finish.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { DefaultRestOptions, RateLimitError, REST, Routes, type RateLimitData } from 'discord.js';
import { systemClock, type Clock, type Delivery, type DeliveryTransport, type NoticeMessage, type ReconcileResult, type SendFailure, type SendResult, type Templates } from '../../src/index.js';
import type { AuthCheck } from '../../src/delivery/transport.js';
import { hasMarker, withMarker } from './marker.js';
import { renderButtons, renderEmbed } from './base/render.js';
import { mapDiscordError, SHUTDOWN, ShutdownError, unauthorized } from './transport-errors.js';

export { mapDiscordError } from './transport-errors.js';

/** How to reach Discord. */
export interface DiscordTransportOptions {
  /** The bot token (DISCORD_TOKEN). */
  token: string;
  /** The content/messages templates a notice's footer and buttons are worded from (the core's). */
  templates: Templates;
  /** REST base URL without the version (DISCORD_API_URL); default https://discord.com/api. */
  apiUrl?: string;
  /** Milliseconds before one HTTP request is given up as a timeout (default 10 000). */
  timeoutMs?: number;
  /**
   * A rate-limit wait longer than this is not queued: it comes back to the dispatcher as a
   * retry after the whole wait, freeing the channel's slot (default 10 000 ms).
   */
  maxQueueWaitMs?: number;
  /** The client's global pace (default 50, Discord's limit per bot). */
  globalRequestsPerSecond?: number;
  /** Margin added to every rate-limit wait, against clock skew with Discord (default 50 ms, @discordjs/rest's). */
  rateLimitOffsetMs?: number;
  /** How many of a channel's latest messages `reconcile` reads per look (default 100, Discord's most). */
  historyLimit?: number;
  /** The clock long rate-limit waits are counted on: the dispatcher's (default the system clock). */
  clock?: Clock;
}

/** The transport, with its REST client (for events and tests) and a way to release it. */
export interface DiscordTransport extends DeliveryTransport {
  readonly platform: 'discord';
  /** The REST client; the platform's gateway client sends through it too (shared-rest.ts). */
  readonly rest: REST;
  /** The transport's rate-limit waits @discordjs/rest queued (not failures); long ones handed back to the dispatcher. */
  readonly stats: { rateLimitWaits: number; rateLimitsReturned: number };
  checkAuth(workspace: string): Promise<AuthCheck>;
  /** Stops the REST client's sweep timers. */
  destroy(): void;
}

/** Discord caps nonces at 25 characters. */
const NONCE_MAX = 25;

/** The nonce of a delivery: its id, or a stable 25-character digest of a longer id. */
export function nonceOf(deliveryId: string): string {
  return deliveryId.length <= NONCE_MAX ? deliveryId : createHash('sha256').update(deliveryId).digest('base64url').slice(0, NONCE_MAX);
}

const NO_PINGS = { parse: [], replied_user: false };

/** The body of a notice message: the adapter's embed (with the delivery's marker) and buttons, no pings, the nonce. */
export function noticeBody(templates: Templates, d: Pick<Delivery, 'id'>, message: NoticeMessage, replyTo?: string): Record<string, unknown> {
  return {
    embeds: [withMarker(renderEmbed(templates, message), d.id)],
    components: renderButtons(templates, message),
    allowed_mentions: NO_PINGS,
    nonce: nonceOf(d.id),
    enforce_nonce: true,
    ...(replyTo ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {}),
  };
}

/** Discord's epoch (2015-01-01): message ids are milliseconds since then, shifted 22 bits. */
const DISCORD_EPOCH = 1_420_070_400_000;
/** How far before a delivery's creation its message is looked for (clock skew with Discord). */
const SKEW_MS = 60_000;

/** The smallest message id of an instant. */
function snowflakeAt(ms: number): string {
  return (BigInt(Math.max(0, ms - DISCORD_EPOCH)) << 22n).toString();
}

/** What one transport call knows about its requests (see `makeRequest`). */
interface CallState {
  signal: AbortSignal | undefined;
  /** Requests of this call on the wire now. */
  inFlight: number;
}

type Outcome<T> = { ok: true; value: T } | SendFailure;

/** What to do when a signal aborts, per signal: one listener each, however many calls wait on it. */
const abortHandlers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `fn` when `signal` aborts; returns a function that forgets it. */
function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let handlers = abortHandlers.get(signal);
  if (!handlers) {
    const set = new Set<() => void>();
    handlers = set;
    abortHandlers.set(signal, set);
    signal.addEventListener('abort', () => {
      for (const handler of [...set]) handler();
      set.clear();
    }, { once: true });
  }
  handlers.add(fn);
  return () => handlers.delete(fn);
}

/** A message as Discord lists it (the fields reconcile reads). */
interface ListedMessage {
  id: string;
  author?: { id?: string };
  embeds?: { footer?: { text?: string } }[];
}

/**
 * Creates the Discord transport. The lead wires it as
 * `createDiscordTransport({ token: config.token, apiUrl: config.apiUrl })`.
 */
export function createDiscordTransport(options: DiscordTransportOptions): DiscordTransport {
  const maxQueueWaitMs = options.maxQueueWaitMs ?? 10_000;
  const historyLimit = Math.min(100, Math.max(1, options.historyLimit ?? 100));
  const clock = options.clock ?? systemClock;
  const stats = { rateLimitWaits: 0, rateLimitsReturned: 0 };
  const calls = new AsyncLocalStorage<CallState>();
  const baseRequest = DefaultRestOptions.makeRequest;
  const rest = new REST({
    version: '10',
    ...(options.apiUrl ? { api: options.apiUrl } : {}),
    timeout: options.timeoutMs ?? 10_000,
    globalRequestsPerSecond: options.globalRequestsPerSecond ?? 50,
    offset: options.rateLimitOffsetMs ?? 50,
    // `retries` only covers 5xx answers and aborted/reset requests (timeouts): @discordjs/rest
    // would resend them itself, hiding an outcome that may have landed. 0 hands each one to the
    // dispatcher, which records it, backs off and reconciles before resending.
    retries: 0,
    // `rejectOnRateLimit` decides whether a rate limit (a pre-emptive wait on an empty bucket,
    // the global 50/s, or a 429 answer) throws a RateLimitError instead of queueing. Short waits
    // are queued, as @discordjs/rest is built to do; only a long one (a global lock, a channel
    // in slowmode) comes back to the dispatcher, so the channel's slot is not held for minutes.
    // Only the transport's own calls: the gateway client shares this REST client (shared-rest.ts)
    // and its answers to people wait, as discord.js's default does.
    rejectOnRateLimit: (data: RateLimitData) => calls.getStore() !== undefined && data.retryAfter > maxQueueWaitMs,
    // Every request of a call goes through here: after a shutdown, nothing more is sent.
    async makeRequest(url, init) {
      const call = calls.getStore();
      if (call?.signal?.aborted) throw new ShutdownError();
      if (call) call.inFlight++;
      try {
        const response = await baseRequest(url, init);
        // A 429 after a shutdown: @discordjs/rest would wait and send again; Discord did nothing.
        if (call?.signal?.aborted && response.status === 429) throw new ShutdownError();
        return response;
      } finally {
        if (call) call.inFlight--;
      }
    },
  }).setToken(options.token);
  rest.on('rateLimited', () => {
    if (calls.getStore()) stats.rateLimitWaits++;
  });

  // @discordjs/rest forgets the token after a 401 (it calls its own public `setToken(null)`)
  // and then refuses every request with a plain Error that carries no code. The transport
  // watches the token instead of reading that error's text: a call made while it is gone is
  // the bot's refusal, and nothing is sent (checkAuth gives the token back).
  let hasToken = true;
  const setToken = rest.setToken.bind(rest);
  rest.setToken = (token: string) => {
    hasToken = Boolean(token);
    return setToken(token);
  };

  /**
   * Long rate limits, until when (ms on `clock`): 'global', or "METHOD channel" for a route.
   * The transport, not @discordjs/rest, keeps them, on the dispatcher's clock: calls made
   * before the end are answered at once without a request, and the REST client's own record
   * of the wait is dropped so that one clock decides when it is over.
   */
  const locks = new Map<string, number>();
  const lockedFor = (route: string): { ms: number; global: boolean } | null => {
    const now = clock.now().getTime();
    for (const [key, global] of [['global', true], [route, false]] as const) {
      const until = locks.get(key);
      if (until === undefined) continue;
      if (until > now) return { ms: until - now, global };
      locks.delete(key);
    }
    return null;
  };
  const lock = (route: string, error: RateLimitError) => {
    stats.rateLimitsReturned++;
    locks.set(error.global ? 'global' : route, clock.now().getTime() + Math.ceil(error.retryAfter));
    if (error.global) {
      rest.globalReset = -1;
      rest.globalDelay = null;
      rest.globalRemaining = Math.max(1, options.globalRequestsPerSecond ?? 50);
    } else {
      const handler = rest.handlers.get(`${error.hash}:${error.majorParameter}`) as { reset?: unknown } | undefined;
      if (handler && typeof handler.reset === 'number') handler.reset = -1;
    }
  };

  /**
   * One REST call for a route ("METHOD channel"): answered at once while a long rate limit
   * holds it or after a shutdown; otherwise run, and stopped at once by a shutdown unless a
   * request is on the wire (its answer decides, and nothing is sent after it).
   */
  const call = async <T>(route: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<Outcome<T>> => {
    if (signal?.aborted) return { ...SHUTDOWN };
    const locked = lockedFor(route);
    if (locked) return { ok: false, retry: true, rateLimited: true, uncertain: false, retryAfterMs: locked.ms, reason: locked.global ? 'discord_rate_limited_global' : 'discord_rate_limited' };
    if (!hasToken) return unauthorized();
    const state: CallState = { signal, inFlight: 0 };
    const settled = calls.run(state, run).then(
      (value): Outcome<T> => ({ ok: true, value }),
      (error: unknown): Outcome<T> => {
        if (error instanceof RateLimitError) lock(route, error);
        return mapDiscordError(error);
      },
    );
    if (!signal) return settled;
    return new Promise((resolve) => {
      const forget = onAbort(signal, () => {
        if (state.inFlight === 0) resolve({ ...SHUTDOWN });
      });
      void settled.then((outcome) => {
        forget();
        resolve(outcome);
      });
    });
  };

  const send = async (route: string, signal: AbortSignal | undefined, run: () => Promise<unknown>): Promise<SendResult> => {
    const outcome = await call(route, signal, run);
    if (!outcome.ok) return outcome;
    const message = outcome.value as { id?: unknown } | null;
    if (message && typeof message.id === 'string') return { ok: true, ref: message.id };
    return { ok: false, retry: true, uncertain: true, reason: 'bad_response' };
  };

  let botId: string | null = null;
  const whoAmI = async (signal?: AbortSignal): Promise<Outcome<string>> => {
    if (botId) return { ok: true, value: botId };
    const me = await call('GET @me', signal, () => rest.get(Routes.user('@me')));
    if (!me.ok) return me;
    const id = (me.value as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return { ok: false, retry: true, uncertain: true, reason: 'bad_response' };
    botId = id;
    return { ok: true, value: id };
  };

  /** One page of a channel's history; a refusal to read it (no Read Message History) is null. */
  const page = async (d: Delivery, query: Record<string, string>, signal?: AbortSignal): Promise<Outcome<ListedMessage[] | null>> => {
    const listed = await call(`GET ${d.channel}`, signal, () => rest.get(Routes.channelMessages(d.channel), { query: new URLSearchParams({ ...query, limit: String(historyLimit) }) }));
    if (!listed.ok) return listed.reason === 'discord_50001_missing_access' || listed.reason === 'discord_50013_missing_permissions' ? { ok: true, value: null } : listed;
    return { ok: true, value: Array.isArray(listed.value) ? (listed.value as ListedMessage[]) : [] };
  };

  return {
    platform: 'discord',
    // Discord's global limit is per token: instances sharing a store pace together per digest (src/instances.ts).
    paceKey: createHash('sha256').update(options.token).digest('hex').slice(0, 16),
    rest,
    stats,
    post: (d, message, signal) => send(`POST ${d.channel}`, signal, () => rest.post(Routes.channelMessages(d.channel), { body: noticeBody(options.templates, d, message) })),
    reply: (d, rootRef, message, signal) => send(`POST ${d.channel}`, signal, () => rest.post(Routes.channelMessages(d.channel), { body: noticeBody(options.templates, d, message, rootRef) })),
    // The edited first message keeps no marker: only the delivery that posts a message tags it.
    edit: (d, ref, message, signal) =>
      send(`PATCH ${d.channel}`, signal, () => rest.patch(Routes.channelMessage(d.channel, ref), { body: { embeds: [renderEmbed(options.templates, message)], components: renderButtons(options.templates, message), allowed_mentions: NO_PINGS } })),
    /**
     * Looks for the delivery's message among the channel's latest `historyLimit` messages, then
     * (if the channel had more since) among the first `historyLimit` after the delivery was
     * created. Found: one of the bot's messages carrying the delivery's marker. Limits: a
     * message followed by more than that many messages and preceded (since the notice) by more
     * than that many too is not found, and is sent again once the nonce window has passed; so
     * is one in a channel whose history the bot may not read (no Read Message History).
     */
    async reconcile(d, signal): Promise<ReconcileResult> {
      const me = await whoAmI(signal);
      if (!me.ok) return me;
      const found = (messages: ListedMessage[]) => messages.find((m) => m.author?.id === me.value && hasMarker(m, d.id));
      const latest = await page(d, {}, signal);
      if (!latest.ok) return latest;
      if (!latest.value) return { found: false };
      const hit = found(latest.value);
      if (hit) return { found: true, ref: hit.id };
      if (latest.value.length < historyLimit) return { found: false };
      const since = await page(d, { after: snowflakeAt(Date.parse(d.createdAt) - SKEW_MS) }, signal);
      if (!since.ok) return since;
      const early = found(since.value ?? []);
      return early ? { found: true, ref: early.id } : { found: false };
    },
    /** Gives the REST client its token back (it drops it after a 401) and asks Discord who the bot is. */
    async checkAuth(): Promise<AuthCheck> {
      rest.setToken(options.token);
      try {
        // A transport call for the REST options too: a long rate limit comes back at once.
        const me = (await calls.run({ signal: undefined, inFlight: 0 }, () => rest.get(Routes.user('@me')))) as { id?: unknown };
        if (typeof me?.id === 'string') botId = me.id;
        return 'ok';
      } catch (error) {
        return mapDiscordError(error).botFault ? 'refused' : 'unknown';
      }
    },
    destroy() {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
}
