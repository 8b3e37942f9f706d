/**
 * Delivers notices to Slack channels for the dispatcher. One WebClient per workspace (its
 * own token, so a 429 in one workspace stalls no other), with the client's own retries off
 * and rate-limited calls rejected: the WebClient would otherwise wait out 429s itself and
 * spend its retries on them; this way each call is made once and the dispatcher sees every
 * outcome and Slack's Retry-After in full. Calls are paced per channel and per workspace
 * (pacing.ts), and a pacing wait ends unsent when the dispatcher's signal aborts (shutdown).
 * Each message carries metadata `{ event_type: 'vigie_notice', event_payload: { notice,
 * delivery } }`; a delivery whose outcome is unknown is looked for in conversations.history
 * (or conversations.replies for a thread reply) before anything is resent. `checkAuth`
 * asks auth.test whether a paused workspace's token works again.
 */
import { LogLevel, webApi } from '@slack/bolt';
import type { AuthCheck } from '../../src/delivery/index.js';
import { silentLogger, systemClock, type Clock, type Delivery, type DeliveryTransport, type Logger, type NoticeMessage, type ReconcileResult, type SendFailure, type SendResult, type Templates } from '../../src/index.js';
import { realTimer, type Timer } from '../../src/base/timer.js';
import { failureOf, neededScope } from './delivery-errors.js';
import { boltLogger, redactingLogger } from './logging.js';
import { DEFAULT_PACING, Pacer, type SlackPacing } from './pacing.js';
import { renderReply } from './render.js';

/** The metadata event type of Vigie's notices. */
export const NOTICE_EVENT_TYPE = 'vigie_notice';

/** Options of the Slack transport. */
export interface SlackTransportOptions {
  /** The bot token and Web API URL (`parseSlackConfig`'s result fits). */
  config: { botToken: string; apiUrl?: string };
  /** The content/messages templates a notice's source and time lines are worded from (the core's). */
  templates: Templates;
  /** The token of a workspace (team id); default: the bot token for every workspace. Undefined = not installed there. */
  tokenFor?: (workspace: string) => string | undefined;
  logger?: Logger;
  /** Per-request timeout (default 10 000 ms). */
  timeoutMs?: number;
  /** Client-side pacing (default DEFAULT_PACING: 1 message/s per channel, 48/min per workspace, adapting to 429s). */
  pacing?: SlackPacing;
  /** The clock pacing and Retry-After dates are read on (default the wall clock). */
  clock?: Clock;
  /** What pacing waits sleep on (default real timers; tests use virtual time). */
  timer?: Timer;
  /** Pages of 200 messages looked through when reconciling (default 10). */
  reconcilePages?: number;
}

/** Counts for benches and logs. */
export interface SlackTransportStats {
  requests: number;
  received429: number;
  timeouts: number;
  /** Calls handed back unsent because the workspace was still held by an earlier 429. */
  held: number;
}

/** The Slack DeliveryTransport, with its counters. */
export interface SlackTransport extends DeliveryTransport {
  readonly platform: 'slack';
  readonly stats: SlackTransportStats;
}

type Call = { ok: true; result: Record<string, unknown> } | { ok: false; failure: SendFailure };

/** A pacing wait ended by shutdown: nothing was sent. */
const SHUTDOWN: SendFailure = { ok: false, retry: true, uncertain: false, reason: 'shutdown' };

interface Found {
  metadata?: { event_type?: unknown; event_payload?: { delivery?: unknown } };
  ts?: unknown;
}

/** Creates the Slack transport; clients are made on first use per workspace. */
export function createSlackTransport(options: SlackTransportOptions): SlackTransport {
  const { config } = options;
  const tokenFor = options.tokenFor ?? (() => config.botToken);
  const clock = options.clock ?? systemClock;
  const now = () => clock.now().getTime();
  const pacer = new Pacer(options.pacing ?? DEFAULT_PACING, now, options.timer ?? realTimer);
  const clients = new Map<string, webApi.WebClient | null>();
  const stats: SlackTransportStats = { requests: 0, received429: 0, timeouts: 0, held: 0 };
  // The scope a workspace's last missing_scope named: auth.test must show it before resuming.
  const missingScopes = new Map<string, string>();
  const pages = options.reconcilePages ?? 10;

  function clientOf(workspace: string): webApi.WebClient | null {
    if (clients.has(workspace)) return clients.get(workspace)!;
    const token = tokenFor(workspace);
    const logger = redactingLogger(options.logger ?? silentLogger, token ? [token, config.botToken] : [config.botToken]);
    const client = token
      ? new webApi.WebClient(token, {
          ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
          retryConfig: { retries: 0 },
          rejectRateLimitedCalls: true,
          timeout: options.timeoutMs ?? 10_000,
          logger: boltLogger(logger, LogLevel.WARN),
        })
      : null;
    clients.set(workspace, client);
    return client;
  }

  /** One paced call: waits for its pace (unless shut down or held), then calls once. */
  async function call(d: Delivery, method: string, args: Record<string, unknown>, signal: AbortSignal | undefined): Promise<Call> {
    const client = clientOf(d.workspace);
    if (!client) return { ok: false, failure: { ok: false, retry: false, reason: 'no_token_for_workspace' } };
    const pass = await pacer.take(d.workspace, d.channel, method, signal);
    if (pass.kind === 'aborted' || signal?.aborted) return { ok: false, failure: SHUTDOWN };
    if (pass.kind === 'held') {
      stats.held++;
      return { ok: false, failure: { ok: false, retry: true, rateLimited: true, uncertain: false, retryAfterMs: pass.retryAfterMs, reason: 'rate_limited' } };
    }
    stats.requests++;
    try {
      const result = (await client.apiCall(method, args)) as unknown as Record<string, unknown>;
      pacer.passed(d.workspace, method);
      return { ok: true, result };
    } catch (error) {
      const failure = failureOf(error, now());
      if (failure.rateLimited) {
        stats.received429++;
        pacer.limited(d.workspace, method, pass.sentAt, failure.retryAfterMs ?? 1_000);
      } else {
        pacer.passed(d.workspace, method);
      }
      if (failure.reason === 'timeout') stats.timeouts++;
      const needed = failure.reason === 'missing_scope' ? neededScope(error) : undefined;
      if (needed) missingScopes.set(d.workspace, needed);
      return { ok: false, failure };
    }
  }

  function body(d: Delivery, message: NoticeMessage): Record<string, unknown> {
    const { text, blocks } = renderReply(options.templates, { ...message, actions: [] });
    return { channel: d.channel, text, blocks, link_names: false };
  }

  async function send(d: Delivery, args: Record<string, unknown>, signal: AbortSignal | undefined): Promise<SendResult> {
    const metadata = { event_type: NOTICE_EVENT_TYPE, event_payload: { notice: d.noticeId, delivery: d.id } };
    const sent = await call(d, 'chat.postMessage', { ...args, metadata, unfurl_links: false, unfurl_media: false }, signal);
    if (!sent.ok) return sent.failure;
    const ts = sent.result.ts;
    return typeof ts === 'string' ? { ok: true, ref: ts } : { ok: false, retry: true, uncertain: true, reason: 'bad_response' };
  }

  return {
    platform: 'slack',
    stats,
    post(d, message, signal) {
      return send(d, body(d, message), signal);
    },
    reply(d, rootRef, message, signal) {
      return send(d, { ...body(d, message), thread_ts: rootRef }, signal);
    },
    async edit(d, ref, message, signal) {
      const edited = await call(d, 'chat.update', { ...body(d, message), ts: ref }, signal);
      return edited.ok ? { ok: true, ref } : edited.failure;
    },
    async checkAuth(workspace): Promise<AuthCheck> {
      const client = clientOf(workspace);
      if (!client) return 'refused';
      try {
        const result = (await client.apiCall('auth.test')) as { response_metadata?: { scopes?: unknown } };
        const needed = missingScopes.get(workspace);
        const scopes = result.response_metadata?.scopes;
        if (needed && Array.isArray(scopes) && !scopes.includes(needed)) return 'refused';
        missingScopes.delete(workspace);
        return 'ok';
      } catch (error) {
        const failure = failureOf(error, now());
        // Slack answered and said no; anything else (down, slow, rate limited) tells nothing.
        return failure.botFault || (!failure.retry && (error as { code?: unknown }).code === 'slack_webapi_platform_error') ? 'refused' : 'unknown';
      }
    },
    async reconcile(d, signal): Promise<ReconcileResult> {
      const thread = d.kind === 'update' && d.rootRef ? d.rootRef : null;
      let cursor: string | undefined;
      for (let page = 0; page < pages; page++) {
        const args = { channel: d.channel, include_all_metadata: true, limit: 200, ...(thread ? { ts: thread } : {}), ...(cursor ? { cursor } : {}) };
        const listed = await call(d, thread ? 'conversations.replies' : 'conversations.history', args, signal);
        if (!listed.ok) return listed.failure;
        const messages = (listed.result.messages ?? []) as Found[];
        const found = messages.find((m) => m.metadata?.event_type === NOTICE_EVENT_TYPE && m.metadata.event_payload?.delivery === d.id);
        if (found && typeof found.ts === 'string') return { found: true, ref: found.ts };
        const next = (listed.result.response_metadata as { next_cursor?: unknown } | undefined)?.next_cursor;
        if (typeof next !== 'string' || next === '') break;
        cursor = next;
      }
      return { found: false };
    },
  };
}
