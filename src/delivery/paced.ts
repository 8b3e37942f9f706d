/**
 * A DeliveryTransport paced by limits shared with other instances (src/store/rate-buckets.ts):
 * before each request it reserves a slot in the limits its plan names and waits for it, so
 * N instances together stay under a platform's limit instead of N times over it. The
 * transport's own pacing still applies after. Shutdown (the AbortSignal) ends a wait at once
 * with a retryable failure that sent nothing; a store that cannot be reached for the
 * reservation is a retryable failure too, never a send over the limit.
 */
import type { RateLimit, SharedPace } from '../store/rate-buckets.js';
import { realTimer, type Timer } from '../base/timer.js';
import type { BucketSpec } from '../base/token-bucket.js';
import type { Delivery } from '../store/delivery.js';
import type { DeliveryTransport, ReconcileResult, SendFailure, SendResult } from './transport.js';

/** The requests a transport makes. */
export type PacedOperation = 'post' | 'edit' | 'reply' | 'reconcile';

/** Which shared limits a request draws from (none: it goes unpaced). */
export type PacePlan = (operation: PacedOperation, d: Delivery) => readonly RateLimit[];

/** The failure of a request given up before it was sent, because the process is stopping. */
export const SHUTDOWN_FAILURE: SendFailure = { ok: false, retry: true, uncertain: false, reason: 'shutdown' };

/**
 * Discord's global limit, per bot token (`bot` names it without revealing it): every request
 * counts. No burst by default: Discord counts in fixed one-second windows, so an even pace
 * never puts more than `perSecond` in one.
 */
export function discordPlan(bot: string, spec: BucketSpec = { capacity: 1, perSecond: 49 }): PacePlan {
  const limits = [{ key: `discord:${bot}`, ...spec }];
  return () => limits;
}

/** Slack's pace: chat.postMessage per channel and per workspace, Tier 3 methods per workspace. */
export interface SlackPaceSpec {
  perChannel?: BucketSpec;
  perWorkspace?: BucketSpec;
  tier3?: BucketSpec;
}

/**
 * The Slack transport's own defaults (adapters/slack/pacing.ts): 1 message/s per channel
 * (documented), 48/min per workspace after a burst of 40, and the same for Tier 3 methods.
 */
export const SLACK_SHARED_PACE: SlackPaceSpec = {
  perChannel: { capacity: 1, perSecond: 1 },
  perWorkspace: { capacity: 40, perSecond: 0.8 },
  tier3: { capacity: 40, perSecond: 0.8 },
};

/**
 * Slack's pace shared by the instances: posts and thread replies (chat.postMessage) per
 * channel and per workspace; edits (chat.update) and lookups (conversations.history and
 * .replies) per workspace, as Tier 3 methods.
 */
export function slackPlan(pacing: SlackPaceSpec = SLACK_SHARED_PACE): PacePlan {
  return (operation, d) => {
    const limits: RateLimit[] = [];
    if (operation === 'post' || operation === 'reply') {
      if (pacing.perChannel) limits.push({ key: `slack:${d.workspace}/${d.channel}`, ...pacing.perChannel });
      if (pacing.perWorkspace) limits.push({ key: `slack:${d.workspace}`, ...pacing.perWorkspace });
    } else if (pacing.tier3) {
      limits.push({ key: `slack:${d.workspace}#tier3`, ...pacing.tier3 });
    }
    return limits;
  };
}

/**
 * How far ahead a Slack request takes its slot. Past its burst a busy workspace allows about
 * one message a second for all instances together: requests that took slots a minute ahead
 * would each hold their delivery (and the dispatcher's room: 64 a platform, 8 a workspace) all
 * that time, and workspaces that came later in the fan-out would not start until the earlier
 * ones ran out of deliveries. A request whose slot is further is given back instead, to be
 * tried when its slot comes (a rate limit: no try counted, nothing sent).
 */
export const SLACK_HOLD_MS = 2_000;

/** The failure of a request whose shared slot is too far ahead to hold: try again in `laterMs`. */
export const paceLater = (laterMs: number): SendFailure => ({ ok: false, retry: true, uncertain: false, rateLimited: true, retryAfterMs: Math.ceil(laterMs), reason: 'shared_pace_later' });

/**
 * `transport`, each request first waiting for its slot in the shared limits `plan` names.
 * `holdMs`: a request whose slot is further away than this takes none and comes back as
 * `paceLater` (default: every request waits for its slot however far).
 */
export function pacedTransport(transport: DeliveryTransport, pace: SharedPace, plan: PacePlan, timer: Timer = realTimer, holdMs?: number): DeliveryTransport {
  /** Null when the request may go now; else the failure to return instead. */
  const slot = async (operation: PacedOperation, d: Delivery, signal: AbortSignal | undefined): Promise<SendFailure | null> => {
    if (signal?.aborted) return SHUTDOWN_FAILURE;
    const limits = plan(operation, d);
    if (limits.length === 0) return null;
    let wait: number;
    try {
      if (holdMs !== undefined && pace.reserveWithin) {
        const reserved = await pace.reserveWithin(limits, holdMs);
        if ('laterMs' in reserved) return paceLater(reserved.laterMs);
        wait = reserved.waitMs;
      } else wait = await pace.reserve(limits);
    } catch {
      return { ok: false, retry: true, uncertain: false, reason: 'shared_pace_unavailable' };
    }
    await timer.sleep(wait, signal);
    return signal?.aborted ? SHUTDOWN_FAILURE : null;
  };
  const paced: DeliveryTransport = {
    platform: transport.platform,
    async post(d, message, signal): Promise<SendResult> {
      return (await slot('post', d, signal)) ?? transport.post(d, message, signal);
    },
    async edit(d, ref, message, signal): Promise<SendResult> {
      return (await slot('edit', d, signal)) ?? transport.edit(d, ref, message, signal);
    },
    async reply(d, rootRef, message, signal): Promise<SendResult> {
      return (await slot('reply', d, signal)) ?? transport.reply(d, rootRef, message, signal);
    },
    async reconcile(d, signal): Promise<ReconcileResult> {
      return (await slot('reconcile', d, signal)) ?? transport.reconcile(d, signal);
    },
  };
  if (transport.checkAuth) paced.checkAuth = (workspace) => transport.checkAuth!(workspace);
  return paced;
}
