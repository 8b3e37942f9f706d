/**
 * A delivery: one notice to one channel. Written to the outbox when the notice is
 * published, then moved along pending → in_flight → delivered | failed by the dispatcher.
 * `in_flight` means a message may have been sent and its outcome is unknown: it is
 * reconciled with the platform before any resend.
 */
import { z } from 'zod';
import { LANGUAGES } from '../types.js';
import { SUBSCRIPTION_PLATFORMS } from '../store/subscriptions.js';

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
  /** "<noticeId>.<seq>", also the idempotency key sent to the platform. */
  id: z.string().min(1).max(80),
  noticeId: z.string().min(1),
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
  /** Sends tried so far (posts, replies and edits). */
  attempts: z.number().int().min(0),
  lastError: z.string().nullable(),
  /** For an update: the root message was already edited to this notice's state. */
  edited: z.boolean(),
  /** The message this delivery created (the post or the thread reply). */
  messageRef: z.string().nullable(),
  /** The channel's root message for the incident, for updates. */
  rootRef: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  deliveredAt: isoTime.nullable(),
});
export type Delivery = z.infer<typeof deliverySchema>;

/** The channel a delivery goes to, as one key: "slack/T1/C42". */
export function channelKey(d: Pick<Delivery, 'platform' | 'workspace' | 'channel'>): string {
  return `${d.platform}/${encodeURIComponent(d.workspace)}/${encodeURIComponent(d.channel)}`;
}

/** Per incident and channel, the message later updates edit and reply to. */
export const rootSchema = z.strictObject({
  incidentId: z.string().min(1),
  channel: z.string().min(1),
  ref: z.string().min(1),
  /** The delivery that posted it. */
  deliveryId: z.string().min(1),
  at: isoTime,
});
export type RootMessage = z.infer<typeof rootSchema>;
