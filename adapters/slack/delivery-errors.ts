/**
 * What a failed Web API call means for a delivery: permanent (the channel or the token is
 * gone: stop, with Slack's error code as the reason), rate limited (retry after Slack's
 * Retry-After; nothing was done), or transient (5xx, timeout, network: retry, and since the
 * message may have landed, reconcile first).
 */
import type { SendFailure } from '../../src/index.js';

/** Slack error codes after which resending cannot help. */
export const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'account_inactive',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'restricted_action',
  'team_access_not_granted',
  'ekm_access_denied',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'thread_not_found',
]);

/** Codes of an edit whose message no longer exists (or can no longer be edited): post anew. */
const ROOT_GONE: ReadonlySet<string> = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/** Slack error codes that say the server failed; the call may or may not have taken effect. */
const TRANSIENT_ERRORS: ReadonlySet<string> = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

interface WebApiErrorShape {
  code?: unknown;
  data?: { error?: unknown; response_metadata?: { retryAfter?: unknown } };
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

/** The neutral failure for an error thrown by the WebClient (retries off, rate-limited calls rejected). */
export function failureOf(error: unknown): SendFailure {
  const e = (error ?? {}) as WebApiErrorShape;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error': {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
      return { ok: false, retry: true, uncertain: false, retryAfterMs: Math.max(0, seconds) * 1000, reason: 'rate_limited' };
    }
    case 'slack_webapi_platform_error': {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      if (code === 'ratelimited' || code === 'rate_limited') {
        const seconds = e.data?.response_metadata?.retryAfter;
        return { ok: false, retry: true, uncertain: false, ...(typeof seconds === 'number' ? { retryAfterMs: seconds * 1000 } : {}), reason: 'rate_limited' };
      }
      if (TRANSIENT_ERRORS.has(code)) return { ok: false, retry: true, uncertain: true, reason: code };
      // Any other refusal will be refused again: stop here with the code. Only the known
      // channel and token codes count against the subscription; an unknown one (invalid_blocks…)
      // is more likely our message's fault than the channel's.
      return { ok: false, retry: false, reason: code, channelFault: PERMANENT_ERRORS.has(code), ...(ROOT_GONE.has(code) ? { rootGone: true } : {}) };
    }
    case 'slack_webapi_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      if (status >= 500 || status === 408) return { ok: false, retry: true, uncertain: true, reason: `http_${status}` };
      return { ok: false, retry: false, reason: `http_${status}` };
    }
    case 'slack_webapi_request_error': {
      const original = e.original as { name?: unknown } | undefined;
      if (original?.name === 'TimeoutError' || original?.name === 'AbortError') return { ok: false, retry: true, uncertain: true, reason: 'timeout' };
      const code = causeCode(e.original);
      return { ok: false, retry: true, uncertain: !(code && NOT_SENT.has(code)), reason: 'network_error' };
    }
    default:
      return { ok: false, retry: true, uncertain: true, reason: 'internal_error' };
  }
}

/** Whether a failure's reason is one of Slack's known permanent codes (for logs and tests). */
export function isPermanentSlackError(reason: string): boolean {
  return PERMANENT_ERRORS.has(reason);
}
