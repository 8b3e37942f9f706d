/**
 * One try at one delivery: edit the channel's incident message if this is an update, look
 * for a message the previous try may have left (reconcile) when its outcome is unknown, then
 * send once. Every step is written to the outbox before and after the platform is called, so
 * a crash at any point is recovered without a duplicate.
 */
import type { OutboxRepository } from '../store/outbox.js';
import type { NoticeMessages } from '../notices/message.js';
import type { Delivery } from '../store/delivery.js';
import type { DeliveryTransport, SendFailure } from './transport.js';

/** The reason of a send a transport gave up before sending it, because the process is stopping. */
export const SHUTDOWN = 'shutdown';

/** How a try ended. */
export type Step =
  | { kind: 'delivered'; delivery: Delivery }
  | { kind: 'permanent'; delivery: Delivery; failure: SendFailure }
  | { kind: 'retry'; delivery: Delivery; failure: SendFailure };

/** What a try needs. */
export interface AttemptDeps {
  outbox: OutboxRepository;
  transport: DeliveryTransport;
  messages: NoticeMessages;
  /** The clock's time as ISO text. */
  now(): string;
  signal: AbortSignal;
}

/** Runs one try. */
export async function attemptDelivery(start: Delivery, deps: AttemptDeps): Promise<Step> {
  const { outbox, transport, messages, signal } = deps;
  const save = (d: Delivery) => outbox.saveDelivery({ ...d, updatedAt: deps.now() });
  // Shutting down: nothing is sent that was not sent already; the delivery stays as it was.
  const stopped = (d: Delivery): Step => ({ kind: 'retry', delivery: d, failure: { ok: false, retry: true, uncertain: false, reason: SHUTDOWN } });
  const root = start.incidentId ? await outbox.getRoot(start.incidentId, start) : null;
  let d = start;
  // This delivery posted the root and died before recording it: it is done.
  if (root && root.deliveryId === d.id) return { kind: 'delivered', delivery: { ...d, messageRef: root.ref, rootRef: root.ref } };
  const updating = root !== null;
  if (signal.aborted) return stopped(d);
  if (updating && !d.edited) {
    d = await save({ ...d, kind: 'update', rootRef: root.ref, attempts: d.attempts + 1 });
    const edited = await transport.edit(d, root.ref, messages.root, signal);
    if (!edited.ok && edited.rootGone) {
      // Someone deleted the channel's first message: start over with a fresh one.
      await outbox.clearRoot(start.incidentId!, d);
      d = await save({ ...d, kind: 'post', rootRef: null, edited: false, lastError: edited.reason });
      return attemptDelivery(d, deps);
    }
    if (!edited.ok) return failed(d, edited, false);
    d = await save({ ...d, edited: true, lastError: null });
  }
  if (signal.aborted) return stopped(d);
  if (d.state === 'in_flight') {
    const found = await transport.reconcile(d, signal);
    if ('ok' in found && found.reason === SHUTDOWN) return stopped(d);
    // A lookup that fails is retried like a send; at the deadline the outcome stays unknown.
    if ('ok' in found) return failed(d, { ...found, reason: `lookup_${found.reason}`, channelFault: found.channelFault ?? !found.retry }, false);
    if (found.found) return sent(d, found.ref, updating, deps);
  }
  if (signal.aborted) return stopped(d);
  d = await save({ ...d, kind: updating ? 'update' : 'post', rootRef: root?.ref ?? null, state: 'in_flight', attempts: d.attempts + 1 });
  const result = updating ? await transport.reply(d, root.ref, messages.reply, signal) : await transport.post(d, messages.root, signal);
  if (result.ok) return sent(d, result.ref, updating, deps);
  return failed(d, result, true);
}

async function sent(d: Delivery, ref: string, updating: boolean, deps: AttemptDeps): Promise<Step> {
  if (!updating && d.incidentId) {
    await deps.outbox.setRoot({ incidentId: d.incidentId, channel: d.channel, ref, deliveryId: d.id, at: deps.now() }, d);
  }
  return { kind: 'delivered', delivery: { ...d, messageRef: ref, rootRef: updating ? d.rootRef : ref } };
}

/** A failed step; `sending` is true when it was the post or reply itself. */
function failed(d: Delivery, failure: SendFailure, sending: boolean): Step {
  const certain = failure.uncertain === false || (!failure.retry && !failure.botFault);
  // Only a send the platform surely refused goes back to pending; anything that may have
  // landed stays in flight, so the next try looks first.
  const state = sending && certain ? 'pending' : d.state;
  // A rate limit, or a send dropped at shutdown, is not a try: the platform did nothing.
  const attempts = (failure.rateLimited || failure.reason === SHUTDOWN) && sending ? Math.max(0, d.attempts - 1) : d.attempts;
  const delivery = { ...d, state, attempts, lastError: failure.reason };
  return { kind: failure.retry || failure.botFault ? 'retry' : 'permanent', delivery, failure };
}
