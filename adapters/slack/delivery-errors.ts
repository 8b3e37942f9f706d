/**
 * What a failed Web API call means for a delivery, and who pays for it:
 * - a rate limit (HTTP 429, `ratelimited`): retry after Slack's Retry-After, in full; nothing
 *   was done, so it is certain and costs no attempt;
 * - a refusal of the app itself in the workspace (token revoked, expired or invalid, app
 *   uninstalled, a scope missing): the workspace is paused, no channel is blamed;
 * - a refusal by one channel (deleted, archived, the bot removed or not allowed to post
 *   there): permanent, and it counts against that channel's subscriptions;
 * - Slack failing on its side (`internal_error`, 5xx, timeouts, connections lost): retried,
 *   and since the message may have landed, looked for before it is sent again.
 */
import type { SendFailure } from '../../src/index.js';

/**
 * Codes that refuse the app in a whole workspace, whatever the channel: its token
 * (`invalid_auth`, `not_authed`, `token_revoked`, `token_expired`, `account_inactive` — the
 * bot's user or the workspace was deleted), its grant (`missing_scope`,
 * `team_access_not_granted`), the network it calls from (`accesslimited`) or a workspace
 * being migrated (`org_login_required`, `team_added_to_org`). auth.test answers them too,
 * which is how a pause is lifted.
 */
export const BOT_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'team_access_not_granted',
  'accesslimited',
  'org_login_required',
  'team_added_to_org',
]);

/**
 * Codes that are one channel's refusal. `no_permission` is here: Slack documents it for
 * chat.postMessage as the app not being allowed in that conversation ("make sure your app
 * is a member of the conversation"); a token without the scope says `missing_scope`.
 * `restricted_action`: a workspace preference forbids posting in that channel.
 */
export const CHANNEL_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'restricted_action',
  'no_permission',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'thread_not_found',
]);

/** Codes of an edit whose message no longer exists (or can no longer be edited): post anew. */
const ROOT_GONE: ReadonlySet<string> = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/** Slack error codes that say the server failed; the call may or may not have taken effect. */
const TRANSIENT_ERRORS: ReadonlySet<string> = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_not_ready']);

interface WebApiErrorShape {
  code?: unknown;
  message?: unknown;
  data?: { error?: unknown; needed?: unknown; response_metadata?: { retryAfter?: unknown } };
  retryAfter?: unknown;
  statusCode?: unknown;
  original?: unknown;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('slack_')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// Refused connections never reached Slack: the call certainly did nothing.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** A rate limit: nothing was done; wait `retryAfterMs` (Slack's Retry-After, in full) when known. */
function rateLimited(retryAfterMs: number | undefined): SendFailure {
  return { ok: false, retry: true, rateLimited: true, uncertain: false, ...(retryAfterMs !== undefined ? { retryAfterMs: Math.max(0, retryAfterMs) } : {}), reason: 'rate_limited' };
}

/**
 * The WebClient gives up on a 429 whose Retry-After is not a number of seconds with a plain
 * error quoting the header; an HTTP date there is still Slack's word on when to come back.
 */
function unparsedRetryAfter(message: string, nowMs: number): number | undefined | null {
  if (!message.startsWith('Retry header did not contain a valid timeout')) return null;
  const header = /retry-after header: (.*)\)$/.exec(message)?.[1];
  const at = header ? Date.parse(header) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The `needed` scope of a `missing_scope` refusal, when Slack named it. */
export function neededScope(error: unknown): string | undefined {
  const needed = (error as WebApiErrorShape | null)?.data?.needed;
  return typeof needed === 'string' && needed ? needed : undefined;
}

/**
 * The neutral failure for an error thrown by the WebClient (its retries off and rate-limited
 * calls rejected, so every 429 reaches this with its Retry-After). `nowMs` dates an HTTP-date
 * Retry-After.
 */
export function failureOf(error: unknown, nowMs: number = Date.now()): SendFailure {
  const e = (error ?? {}) as WebApiErrorShape;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return rateLimited(typeof e.retryAfter === 'number' ? e.retryAfter * 1000 : undefined);
    case 'slack_webapi_platform_error': {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      if (code === 'ratelimited' || code === 'rate_limited') {
        const seconds = e.data?.response_metadata?.retryAfter;
        return rateLimited(typeof seconds === 'number' ? seconds * 1000 : undefined);
      }
      if (TRANSIENT_ERRORS.has(code)) return { ok: false, retry: true, uncertain: true, reason: code };
      // The app's own refusal: retried once the token works again; no channel is blamed.
      if (BOT_ERRORS.has(code)) return { ok: false, retry: true, uncertain: false, botFault: 'workspace', reason: code };
      // Any other refusal will be refused again: stop here with the code. Only a channel's own
      // refusal counts against its subscriptions; an unknown one (invalid_blocks…) is more
      // likely our message's fault than the channel's.
      return { ok: false, retry: false, reason: code, channelFault: CHANNEL_ERRORS.has(code), ...(ROOT_GONE.has(code) ? { rootGone: true } : {}) };
    }
    case 'slack_webapi_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      if (status === 429) return rateLimited(undefined);
      if (status >= 500 || status === 408) return { ok: false, retry: true, uncertain: true, reason: `http_${status}` };
      return { ok: false, retry: false, reason: `http_${status}`, channelFault: false };
    }
    case 'slack_webapi_request_error': {
      const original = e.original as { name?: unknown } | undefined;
      if (original?.name === 'TimeoutError' || original?.name === 'AbortError') return { ok: false, retry: true, uncertain: true, reason: 'timeout' };
      const code = causeCode(e.original);
      return { ok: false, retry: true, uncertain: !(code && NOT_SENT.has(code)), reason: 'network_error' };
    }
    default: {
      const retryAfterMs = typeof e.message === 'string' ? unparsedRetryAfter(e.message, nowMs) : null;
      if (retryAfterMs !== null) return rateLimited(retryAfterMs);
      return { ok: false, retry: true, uncertain: true, reason: 'internal_error' };
    }
  }
}

/** Whether a failure's reason is one of Slack's known channel or app refusals (for logs and tests). */
export function isPermanentSlackError(reason: string): boolean {
  return CHANNEL_ERRORS.has(reason) || BOT_ERRORS.has(reason);
}
