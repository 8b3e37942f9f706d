/**
 * The dispatcher: sends the outbox's pending deliveries through each platform's transport
 * and records every outcome. One lane per channel delivers that channel's notices in order;
 * lanes run in parallel within a bound per platform and a smaller one per workspace (rate
 * limits themselves live in the transports), so nothing is serialised globally. A delivery left in flight by a crash or a timeout is
 * reconciled with the platform before anything is resent, so each message lands once.
 */
import type { Templates } from '../answer/messages.js';
import type { Clock } from '../clock.js';
import { silentLogger, type Logger } from '../logger.js';
import type { Notice } from '../notices/notice.js';
import { noticeMessages, type NoticeMessages } from '../notices/message.js';
import type { Store, Subscription } from '../store/index.js';
import type { Language } from '../types.js';
import { DEFAULT_BACKOFF, retryDelay, type BackoffOptions } from './backoff.js';
import { channelKey, type Delivery } from './delivery.js';
import { Outbox } from './outbox.js';
import { Slots } from './slots.js';
import type { DeliveryTransport, SendFailure } from './transport.js';

/** Tuning of the dispatcher. */
export interface DispatcherOptions {
  /** Sends in progress at once per platform (default 64). */
  concurrency: number;
  /** Sends in progress at once per platform workspace (Slack team, Discord guild) (default 4). */
  perWorkspace: number;
  /** Sends tried before a delivery is given up as failed (default 10). */
  maxAttempts: number;
  backoff: BackoffOptions;
  /** Consecutive permanent failures after which a subscription is made inactive (default 3). */
  deactivateAfter: number;
}

/** Default tuning. */
export const DEFAULT_DISPATCHER_OPTIONS = {
  concurrency: 64,
  perWorkspace: 4,
  maxAttempts: 10,
  backoff: DEFAULT_BACKOFF,
  deactivateAfter: 3,
} as const satisfies DispatcherOptions;

/** What the dispatcher works with. */
export interface DispatcherDeps {
  store: Store;
  transports: readonly DeliveryTransport[];
  clock: Clock;
  /** Content templates: notice words, statuses, phases, section titles. */
  templates: Templates;
  logger?: Logger;
  /** Jitter source, [0, 1) (default Math.random). */
  random?: () => number;
  options?: Partial<DispatcherOptions>;
  /** Called when a delivery ends delivered or failed (e.g. to update the admin's progress message). */
  onOutcome?: (delivery: Delivery) => void;
}

/** What one pass did. */
export interface DrainSummary {
  delivered: number;
  failed: number;
  /** Pending deliveries left for a platform without a transport here. */
  skipped: number;
}

type Attempt = { kind: 'done'; delivery: Delivery } | { kind: 'retry' | 'permanent'; delivery: Delivery; failure: SendFailure };

/** Delivers the outbox. */
export class Dispatcher {
  private readonly outbox: Outbox;
  private readonly transports: Map<string, DeliveryTransport>;
  private readonly options: DispatcherOptions;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly slots: Slots;
  private readonly messages = new Map<string, NoticeMessages>();
  private subscriptions = new Map<string, Subscription>();
  private stopping = false;
  private readonly wakers = new Set<() => void>();
  private readonly pollWakers = new Set<() => void>();
  private loop: Promise<void> | null = null;
  private kicked = false;

  constructor(private readonly deps: DispatcherDeps) {
    this.outbox = new Outbox(deps.store);
    this.transports = new Map(deps.transports.map((t) => [t.platform, t]));
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...deps.options };
    this.logger = deps.logger ?? silentLogger;
    this.random = deps.random ?? Math.random;
    this.slots = new Slots(this.options.concurrency, this.options.perWorkspace);
  }

  /** Delivers everything pending or in flight now; resolves when each has ended (or `stop` was called). */
  async drain(): Promise<DrainSummary> {
    const notices = new Map((await this.outbox.listNotices()).filter((n) => n.state === 'published').map((n) => [n.id, n]));
    const open = (await this.outbox.listDeliveries()).filter((d) => (d.state === 'pending' || d.state === 'in_flight') && notices.has(d.noticeId));
    const todo = open.filter((d) => this.transports.has(d.platform));
    this.subscriptions = new Map((await this.deps.store.subscriptions.listAll()).map((s) => [s.id, s]));
    const lanes = new Map<string, Delivery[]>();
    for (const d of todo) {
      const key = channelKey(d);
      const lane = lanes.get(key);
      if (lane) lane.push(d);
      else lanes.set(key, [d]);
    }
    const order = (d: Delivery) => notices.get(d.noticeId)?.seq ?? 0;
    const summary: DrainSummary = { delivered: 0, failed: 0, skipped: open.length - todo.length };
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        lane.sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id));
        for (const d of lane) {
          if (this.stopping) return;
          const final = await this.deliver(d, notices.get(d.noticeId)!);
          if (final?.state === 'delivered') summary.delivered++;
          if (final?.state === 'failed') summary.failed++;
        }
      }),
    );
    return summary;
  }

  /** Keeps draining: every `pollMs`, and at once after `kick()`. */
  start(pollMs = 2000): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        this.kicked = false;
        try {
          await this.drain();
        } catch (error) {
          this.logger.error('delivery: dispatch pass failed', { error });
        }
        if (!this.kicked) await this.sleep(pollMs, this.pollWakers);
      }
    })();
  }

  /** Asks a running dispatcher to look at the outbox now (after a publish). */
  kick(): void {
    this.kicked = true;
    for (const wake of this.pollWakers) wake();
  }

  /** Stops after the sends in progress; what is left stays in the outbox for next time. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.wakers, ...this.pollWakers]) wake();
    await this.loop;
    this.loop = null;
  }

  /** Failed reconcile lookups per delivery in this run. */
  private readonly failedLookups = new Map<string, number>();

  private async deliver(first: Delivery, notice: Notice): Promise<Delivery | null> {
    let d = first;
    for (let retry = 1; !this.stopping; retry++) {
      if (d.attempts >= this.options.maxAttempts) return this.fail(d, `gave up after ${d.attempts} attempts: ${d.lastError ?? 'unknown'}`, false);
      let result: Attempt;
      try {
        result = await this.slots.run(d.platform, d.workspace, () => this.attempt(d, notice));
      } catch (error) {
        // The store or a transport threw: keep the delivery as it is recorded and try again later.
        this.logger.warn('delivery: attempt failed unexpectedly', { delivery: d.id, error });
        result = { kind: 'retry', delivery: (await this.outbox.getDelivery(d.id).catch(() => null)) ?? d, failure: { ok: false, retry: true, reason: 'internal_error' } };
      }
      d = result.delivery;
      if (result.kind === 'done') return this.succeed(d);
      // A refusal that is not the channel's fault (our message, our token) fails this delivery
      // without counting against the subscription: one bad notice must not pause every channel.
      if (result.kind === 'permanent') return this.fail(d, result.failure.reason, result.failure.channelFault !== false);
      await this.sleep(retryDelay(retry, result.failure.retryAfterMs, this.options.backoff, this.random));
    }
    return null;
  }

  /** One try: edit the root if this is an update, then reconcile if needed, then send once. */
  private async attempt(start: Delivery, notice: Notice): Promise<Attempt> {
    const transport = this.transports.get(start.platform)!;
    const messages = this.messagesOf(notice, start.language);
    const root = start.incidentId ? await this.outbox.getRoot(start.incidentId, start) : null;
    let d = start;
    // This delivery posted the root and died before recording it: it is done.
    if (root && root.deliveryId === d.id) return { kind: 'done', delivery: { ...d, messageRef: root.ref, rootRef: root.ref } };
    const updating = root !== null;
    if (updating && !d.edited) {
      d = await this.save({ ...d, kind: 'update', rootRef: root.ref, attempts: d.attempts + 1 });
      const edited = await transport.edit(d, root.ref, messages.root);
      if (!edited.ok && edited.rootGone) {
        // Someone deleted the channel's first message: start over with a fresh one.
        await this.outbox.clearRoot(start.incidentId!, d);
        d = await this.save({ ...d, kind: 'post', rootRef: null, edited: false, lastError: edited.reason });
        return this.attempt(d, notice);
      }
      if (!edited.ok) return this.failed(d, edited, false);
      d = await this.save({ ...d, edited: true, lastError: null });
    }
    if (d.state === 'in_flight') {
      const found = await transport.reconcile(d);
      if ('ok' in found) {
        // Failed lookups are capped too (per run), so a lookup that keeps failing cannot hold
        // the channel's queue forever; the outcome then stays unknown, not the channel's fault.
        const lookups = (this.failedLookups.get(d.id) ?? 0) + 1;
        this.failedLookups.set(d.id, lookups);
        const giveUp = !found.retry || lookups >= this.options.maxAttempts;
        return this.failed(d, giveUp ? { ...found, retry: false, reason: `outcome_unknown: ${found.reason}`, channelFault: false } : found, false);
      }
      if (found.found) return this.sent(d, found.ref, updating);
    }
    d = await this.save({ ...d, kind: updating ? 'update' : 'post', rootRef: root?.ref ?? null, state: 'in_flight', attempts: d.attempts + 1 });
    const sent = updating ? await transport.reply(d, root.ref, messages.reply) : await transport.post(d, messages.root);
    if (sent.ok) return this.sent(d, sent.ref, updating);
    return this.failed(d, sent, true);
  }

  private async sent(d: Delivery, ref: string, updating: boolean): Promise<Attempt> {
    if (!updating && d.incidentId) {
      await this.outbox.setRoot({ incidentId: d.incidentId, channel: d.channel, ref, deliveryId: d.id, at: this.now() }, d);
    }
    return { kind: 'done', delivery: { ...d, messageRef: ref, rootRef: updating ? d.rootRef : ref } };
  }

  /** Records a failed step; `sending` is true when it was the post or reply itself. */
  private async failed(d: Delivery, failure: SendFailure, sending: boolean): Promise<Attempt> {
    const certain = !failure.retry || failure.uncertain === false;
    // Only a send the platform surely refused goes back to pending; anything that may have
    // landed (or a failed reconcile of it) stays in flight, so the next try looks first.
    const state = sending && certain && failure.retry ? 'pending' : d.state;
    const saved = await this.save({ ...d, state, lastError: failure.reason });
    return { kind: failure.retry ? 'retry' : 'permanent', delivery: saved, failure };
  }

  private async succeed(d: Delivery): Promise<Delivery> {
    const saved = await this.save({ ...d, state: 'delivered', lastError: null, deliveredAt: this.now() });
    for (const id of d.subscriptionIds) {
      const sub = this.subscriptions.get(id);
      if (sub && sub.failures > 0) {
        const updated = await this.deps.store.subscriptions.update(id, { failures: 0 });
        if (updated) this.subscriptions.set(id, updated);
      }
    }
    this.deps.onOutcome?.(saved);
    return saved;
  }

  private async fail(d: Delivery, reason: string, permanent: boolean): Promise<Delivery> {
    const saved = await this.save({ ...d, state: 'failed', lastError: reason });
    if (permanent) {
      for (const id of d.subscriptionIds) {
        const sub = await this.deps.store.subscriptions.get(id);
        if (!sub) continue;
        const failures = sub.failures + 1;
        const active = sub.active && failures < this.options.deactivateAfter;
        const updated = await this.deps.store.subscriptions.update(id, { failures, active });
        if (updated) this.subscriptions.set(id, updated);
        if (!active && sub.active) this.logger.warn('delivery: subscription deactivated after repeated failures', { subscription: id, reason });
      }
    }
    this.deps.onOutcome?.(saved);
    return saved;
  }

  private save(d: Delivery): Promise<Delivery> {
    return this.outbox.saveDelivery({ ...d, updatedAt: this.now() });
  }

  private messagesOf(notice: Notice, language: Language): NoticeMessages {
    const key = `${notice.id}/${language}`;
    let messages = this.messages.get(key);
    if (!messages) {
      messages = noticeMessages(notice, language, this.deps.templates);
      this.messages.set(key, messages);
    }
    return messages;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Waits `ms`; `stop()` ends every wait, `kick()` only the poll's. */
  private sleep(ms: number, wakers = this.wakers): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });
  }
}
