/**
 * Delivers notices to Slack channels for the dispatcher. One WebClient per workspace (its
 * own token, so a 429 in one workspace stalls no other), the client's own retries off and
 * rate-limited calls rejected, so the dispatcher sees every outcome and Slack's Retry-After.
 * Each message carries metadata `{ event_type: 'vigie_notice', event_payload: { notice,
 * delivery } }`; a delivery whose outcome is unknown is looked for in conversations.history
 * (or conversations.replies for a thread reply) before anything is resent.
 */
import { LogLevel, webApi } from '@slack/bolt';
import { silentLogger, type Delivery, type DeliveryTransport, type Logger, type NoticeMessage, type ReconcileResult, type SendResult } from '../../src/index.js';
import { failureOf } from './delivery-errors.js';
import { boltLogger, redactingLogger } from './logging.js';
import { DEFAULT_PACING, Pacer, type SlackPacing } from './pacing.js';
import { renderReply } from './render.js';

/** The metadata event type of Vigie's notices. */
export const NOTICE_EVENT_TYPE = 'vigie_notice';

/** Options of the Slack transport. */
export interface SlackTransportOptions {
  /** The bot token and Web API URL (`parseSlackConfig`'s result fits). */
  config: { botToken: string; apiUrl?: string };
  /** The token of a workspace (team id); default: the bot token for every workspace. Undefined = not installed there. */
  tokenFor?: (workspace: string) => string | undefined;
  logger?: Logger;
  /** Per-request timeout (default 10 000 ms). */
  timeoutMs?: number;
  /** Client-side pacing of chat.postMessage (default: 1 message/s per channel). */
  pacing?: SlackPacing;
  /** Pages of 200 messages looked through when reconciling (default 10). */
  reconcilePages?: number;
}

/** Counts for benches and logs. */
export interface SlackTransportStats {
  requests: number;
  received429: number;
  timeouts: number;
}

/** The Slack DeliveryTransport, with its counters. */
export interface SlackTransport extends DeliveryTransport {
  readonly platform: 'slack';
  readonly stats: SlackTransportStats;
}

type Call = { ok: true; result: Record<string, unknown> } | { ok: false; failure: Extract<SendResult, { ok: false }> };

interface Found {
  metadata?: { event_type?: unknown; event_payload?: { delivery?: unknown } };
  ts?: unknown;
}

/** Creates the Slack transport; clients are made on first use per workspace. */
export function createSlackTransport(options: SlackTransportOptions): SlackTransport {
  const { config } = options;
  const tokenFor = options.tokenFor ?? (() => config.botToken);
  const pacer = new Pacer(options.pacing ?? DEFAULT_PACING);
  const clients = new Map<string, webApi.WebClient | null>();
  const stats: SlackTransportStats = { requests: 0, received429: 0, timeouts: 0 };
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

  async function call(d: Delivery, method: string, args: Record<string, unknown>): Promise<Call> {
    const client = clientOf(d.workspace);
    if (!client) return { ok: false, failure: { ok: false, retry: false, reason: 'no_token_for_workspace' } };
    stats.requests++;
    try {
      const result = (await client.apiCall(method, args)) as unknown as Record<string, unknown>;
      return { ok: true, result };
    } catch (error) {
      const failure = failureOf(error);
      if (failure.reason === 'rate_limited') stats.received429++;
      if (failure.reason === 'timeout') stats.timeouts++;
      return { ok: false, failure };
    }
  }

  function body(d: Delivery, message: NoticeMessage): Record<string, unknown> {
    const { text, blocks } = renderReply({ ...message, actions: [] });
    return { channel: d.channel, text, blocks, link_names: false };
  }

  async function send(d: Delivery, args: Record<string, unknown>): Promise<SendResult> {
    await pacer.take(d.workspace, d.channel);
    const metadata = { event_type: NOTICE_EVENT_TYPE, event_payload: { notice: d.noticeId, delivery: d.id } };
    const sent = await call(d, 'chat.postMessage', { ...args, metadata, unfurl_links: false, unfurl_media: false });
    if (!sent.ok) return sent.failure;
    const ts = sent.result.ts;
    return typeof ts === 'string' ? { ok: true, ref: ts } : { ok: false, retry: true, uncertain: true, reason: 'bad_response' };
  }

  return {
    platform: 'slack',
    stats,
    post(d, message) {
      return send(d, body(d, message));
    },
    reply(d, rootRef, message) {
      return send(d, { ...body(d, message), thread_ts: rootRef });
    },
    async edit(d, ref, message) {
      const edited = await call(d, 'chat.update', { ...body(d, message), ts: ref });
      return edited.ok ? { ok: true, ref } : edited.failure;
    },
    async reconcile(d): Promise<ReconcileResult> {
      const thread = d.kind === 'update' && d.rootRef ? d.rootRef : null;
      let cursor: string | undefined;
      for (let page = 0; page < pages; page++) {
        const args = { channel: d.channel, include_all_metadata: true, limit: 200, ...(thread ? { ts: thread } : {}), ...(cursor ? { cursor } : {}) };
        const listed = await call(d, thread ? 'conversations.replies' : 'conversations.history', args);
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
