/**
 * A delivery: one notice to one channel. Written to the outbox with its notice, then moved
 * along pending → in_flight → delivered | failed by a dispatcher. `in_flight` means a message
 * may have been sent and its outcome is unknown: it is reconciled with the platform before
 * any resend.
 */
import { z } from 'zod';
import { LANGUAGES, SUBSCRIPTION_PLATFORMS } from '../base/types.js';

/** Where a delivery stands. */
export const DELIVERY_STATES = ['pending', 'in_flight', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * How the notice reaches the channel: `post` a new message, or `update` = edit the channel's
 * message for the incident to its current state and add the notice as a thread reply.
 */
export const DELIVERY_KINDS = ['post', 'update'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

const isoTime = z.iso.datetime({ offset: true });

/** A stored delivery. */
export const deliverySchema = z.strictObject({
  /** "<noticeId>.<n>", also the idempotency key sent to the platform. */
  id: z.string().min(1).max(80),
  noticeId: z.string().min(1),
  /** The notice's number: a channel's deliveries go out in this order. */
  noticeSeq: z.number().int().positive(),
  /** The subscriptions of this channel that matched (a channel gets one message however many match). */
  subscriptionIds: z.array(z.string().min(1)).min(1),
  platform: z.enum(SUBSCRIPTION_PLATFORMS),
  workspace: z.string(),
  channel: z.string().min(1),
  language: z.enum(LANGUAGES),
  /** The incident the notice opens, updates or resolves; null for a standalone notice. */
  incidentId: z.string().nullable(),
  kind: z.enum(DELIVERY_KINDS),
  state: z.enum(DELIVERY_STATES),
  /** Sends tried so far (posts, replies and edits); waits for rate limits do not count. */
  attempts: z.number().int().min(0),
  lastError: z.string().nullable(),
  /** When the current run of transient failures began (null when the last try went through). */
  failingSince: isoTime.nullable(),
  /** For an update: the root message was already edited to this notice's state. */
  edited: z.boolean(),
  /** The message this delivery created (the post or the thread reply). */
  messageRef: z.string().nullable(),
  /** The channel's root message for the incident, for updates. */
  rootRef: z.string().nullable(),
  /** Not tried before this time (backoff, Retry-After, a paused workspace). */
  nextAttemptAt: isoTime,
  /** Retried until then; afterwards it fails as expired. */
  deadlineAt: isoTime,
  createdAt: isoTime,
  updatedAt: isoTime,
  deliveredAt: isoTime.nullable(),
});
export type Delivery = z.infer<typeof deliverySchema>;

/** The channel a delivery goes to, as one key: "slack/T1/C42". */
export function channelKey(d: { platform: string; workspace: string; channel: string }): string {
  return `${d.platform}/${encodeURIComponent(d.workspace)}/${encodeURIComponent(d.channel)}`;
}

/** Per incident and channel, the message later updates edit and reply to. */
export interface RootMessage {
  incidentId: string;
  channel: string;
  ref: string;
  /** The delivery that posted it. */
  deliveryId: string;
  at: string;
}
