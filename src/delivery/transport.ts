/**
 * The seam between the dispatcher and a platform: one DeliveryTransport per platform
 * (adapters/slack, adapters/discord), which owns that platform's rate limits, idempotency
 * key and error mapping. The dispatcher only sees neutral results.
 */
import type { Reply } from '../types.js';
import type { Delivery } from './delivery.js';

/**
 * What a transport sends: a Reply (headline, status, sections, source...) rendered with the
 * adapter's usual renderer. `delivery.id` is the idempotency key to attach (Slack message
 * metadata `{ event_type: 'vigie_notice', event_payload: { notice, delivery } }`, Discord
 * `nonce` + `enforce_nonce`).
 */
export type NoticeMessage = Reply;

/** A send that failed: retryable (429, 5xx, timeout, network) or permanent (with the reason). */
export interface SendFailure {
  ok: false;
  /** True for 429, 5xx, timeouts and network errors; false for permanent refusals. */
  retry: boolean;
  /** The platform's Retry-After, in milliseconds, when it gave one. */
  retryAfterMs?: number;
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
   * message, a missing scope, an unknown error code), so it does not count towards pausing the
   * subscription. Default true.
   */
  channelFault?: boolean;
  /** For a failed edit: the message to edit no longer exists (deleted), so a new one should be posted. */
  rootGone?: boolean;
}

/** The outcome of one send. `ref` is the platform's message reference (Slack ts, Discord id). */
export type SendResult = { ok: true; ref: string } | SendFailure;

/** Whether a message carrying the delivery's idempotency key already exists. */
export type ReconcileResult = { found: true; ref: string } | { found: false } | SendFailure;

/** Platforms that have a transport. */
export type TransportPlatform = 'slack' | 'discord' | 'console';

/** One platform's way of delivering notices. */
export interface DeliveryTransport {
  readonly platform: TransportPlatform;
  /** Posts a new message in the delivery's channel, tagged with `d.id`. */
  post(d: Delivery, message: NoticeMessage): Promise<SendResult>;
  /** Replaces the content of message `ref` (idempotent: the dispatcher may repeat it). */
  edit(d: Delivery, ref: string, message: NoticeMessage): Promise<SendResult>;
  /** Posts a reply in the thread of `rootRef`, tagged with `d.id`. */
  reply(d: Delivery, rootRef: string, message: NoticeMessage): Promise<SendResult>;
  /**
   * Looks for a message tagged with `d.id` in the channel (or thread of `d.rootRef`), used
   * when a previous send's outcome is unknown (crash, timeout). A transport whose resend is
   * idempotent by itself (Discord nonce + enforce_nonce) may answer `{ found: false }`.
   */
  reconcile(d: Delivery): Promise<ReconcileResult>;
}
