/**
 * The seam between the dispatcher and a platform: one DeliveryTransport per platform
 * (adapters/slack, adapters/discord), which owns that platform's pacing, idempotency key and
 * error mapping. The dispatcher only sees neutral results, and decides from them who pays:
 * a rate limit costs nothing, a transient fault is retried until the notice's deadline, a
 * refusal of the bot itself pauses the workspace or platform, and only a channel's own
 * refusal counts against that channel.
 */
import type { Reply } from '../base/types.js';
import type { Delivery } from '../store/delivery.js';

/**
 * What a transport sends: a Reply (headline, status, sections, source...) rendered with the
 * adapter's usual renderer. `delivery.id` is the idempotency key to attach (Slack message
 * metadata, Discord nonce + a marker in the message).
 */
export type NoticeMessage = Reply;

/** A send that failed. */
export interface SendFailure {
  ok: false;
  /** True for rate limits, 5xx, timeouts and network errors; false for permanent refusals. */
  retry: boolean;
  /** The platform's Retry-After, in milliseconds, when it gave one (honoured in full). */
  retryAfterMs?: number;
  /** A rate limit (429, Slack `ratelimited`): wait as told; it is never a failure and costs no attempt. */
  rateLimited?: boolean;
  /**
   * Whether the request may have taken effect anyway (timeout, 5xx, connection lost after
   * sending). Defaults to true for retryable failures; a transport sets it to false only when
   * the platform certainly did nothing (a 429). The dispatcher reconciles before resending.
   */
  uncertain?: boolean;
  /** Short, stable reason: "channel_not_found", "missing_access", "http_500", "timeout"... */
  reason: string;
  /**
   * For permanent failures: false when the refusal is not the channel's doing (a malformed
   * message, an unknown error code), so it does not count towards pausing the subscription.
   * Default true.
   */
  channelFault?: boolean;
  /**
   * The platform refuses the bot itself (revoked or expired token, missing scope, 401): the
   * dispatcher pauses that workspace or the whole platform, keeps the delivery, alerts the
   * operator, and resumes when `checkAuth` says the token works again.
   */
  botFault?: 'workspace' | 'platform';
  /** For a failed edit: the message to edit no longer exists (deleted), so a new one should be posted. */
  rootGone?: boolean;
}

/** The outcome of one send. `ref` is the platform's message reference (Slack ts, Discord id). */
export type SendResult = { ok: true; ref: string } | SendFailure;

/** Whether a message carrying the delivery's idempotency key already exists. */
export type ReconcileResult = { found: true; ref: string } | { found: false } | SendFailure;

/** Whether the bot's credentials work (for a workspace, or the platform when ''). */
export type AuthCheck = 'ok' | 'refused' | 'unknown';

/** Platforms that have a transport. */
export type TransportPlatform = 'slack' | 'discord' | 'console';

/** One platform's way of delivering notices. `signal` aborts waits that have not sent anything yet (shutdown). */
export interface DeliveryTransport {
  readonly platform: TransportPlatform;
  /**
   * Whom the platform counts its limits for, when not the whole platform: instances sharing a
   * store pace together per key (Discord: a digest of the bot token, never the token itself).
   */
  readonly paceKey?: string;
  /** Posts a new message in the delivery's channel, tagged with `d.id`. */
  post(d: Delivery, message: NoticeMessage, signal?: AbortSignal): Promise<SendResult>;
  /** Replaces the content of message `ref` (idempotent: the dispatcher may repeat it). */
  edit(d: Delivery, ref: string, message: NoticeMessage, signal?: AbortSignal): Promise<SendResult>;
  /** Posts a reply in the thread of `rootRef`, tagged with `d.id`. */
  reply(d: Delivery, rootRef: string, message: NoticeMessage, signal?: AbortSignal): Promise<SendResult>;
  /**
   * Looks for a message tagged with `d.id` in the channel (or thread of `d.rootRef`), used
   * when a previous send's outcome is unknown (crash, timeout), before any resend.
   */
  reconcile(d: Delivery, signal?: AbortSignal): Promise<ReconcileResult>;
  /** Whether the token works again (to lift a pause). Absent: the pause is lifted on the next check. */
  checkAuth?(workspace: string): Promise<AuthCheck>;
}
