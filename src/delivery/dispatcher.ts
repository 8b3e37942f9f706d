/**
 * The dispatcher: claims due deliveries from the outbox (with a lease, so several instances
 * can share it), makes one try at each through its platform's transport, and writes the
 * outcome back. Scheduling is per delivery: a channel's notices go out in order, one at a
 * time, and a slow or failing channel delays nobody else. Rate limits wait as long as the
 * platform says and cost nothing; transient faults are retried with capped backoff until
 * the notice's deadline; a refusal of the bot itself pauses that workspace or platform and
 * is lifted when the token works again; only a channel's own refusals count against it.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Templates } from '../content/templates.js';
import type { Clock } from '../base/clock.js';
import { silentLogger, type Logger } from '../base/logger.js';
import type { Notice } from '../store/notice.js';
import { noticeMessages, type NoticeMessages } from '../notices/message.js';
import type { Store } from '../store/index.js';
import { realTimer, Wakeable, type Timer } from '../base/timer.js';
import type { Language } from '../base/types.js';
import { attemptDelivery, SHUTDOWN, type Step } from './attempt.js';
import { DEFAULT_BACKOFF, retryDelay, type BackoffOptions } from './backoff.js';
import { channelKey, type Delivery } from '../store/delivery.js';
import type { DeliveryTransport } from './transport.js';

/** Tuning of the dispatcher. */
export interface DispatcherOptions {
  /** Tries in progress at once per platform (default 64). */
  perPlatform: number;
  /** Tries in progress at once per workspace (Slack team, Discord guild) (default 8). */
  perWorkspace: number;
  backoff: BackoffOptions;
  /** Consecutive channel faults after which a subscription is paused (default 3). */
  deactivateAfter: number;
  /**
   * How long a claim holds if this process dies (default 30 s); renewed while working. A
   * process restarted on the same host takes back what its dead predecessor held at once.
   */
  leaseMs: number;
  /** How often the outbox is looked at when nothing wakes the dispatcher (default 1 s). */
  pollMs: number;
  /** How often a paused workspace's token is tried again (default 60 s). */
  authCheckMs: number;
  /** On stop, how long tries in progress may take before the process lets go (default 10 s). */
  shutdownGraceMs: number;
  /**
   * After a try whose outcome is unknown (a timeout), the least time before looking for its
   * message (default 5 s): a platform under load may still be handling the request.
   */
  uncertainSettleMs: number;
  /** After a success, deliveries of its platform waiting in backoff are tried at once, at most this often (default 10 s). */
  expediteEveryMs: number;
}

/** Default tuning. */
export const DEFAULT_DISPATCHER_OPTIONS = {
  perPlatform: 64,
  perWorkspace: 8,
  backoff: DEFAULT_BACKOFF,
  deactivateAfter: 3,
  leaseMs: 30_000,
  pollMs: 1_000,
  authCheckMs: 60_000,
  shutdownGraceMs: 10_000,
  uncertainSettleMs: 5_000,
  expediteEveryMs: 10_000,
} as const satisfies DispatcherOptions;

/** What the dispatcher works with. */
export interface DispatcherDeps {
  store: Store;
  transports: readonly DeliveryTransport[];
  clock: Clock;
  /** Waits (default real timers; tests use virtual time). */
  timer?: Timer;
  /** Content templates: notice words, statuses, phases, section titles. */
  templates: Templates;
  logger?: Logger;
  /** Jitter source, [0, 1) (default Math.random). */
  random?: () => number;
  options?: Partial<DispatcherOptions>;
  /** Called when a delivery ends delivered or failed (e.g. to update the admin's progress message). */
  onOutcome?: (delivery: Delivery) => void;
  /** This host's name in leases (default the OS host name); leases read "<host>:<pid>:<random>". */
  host?: string;
  /**
   * True while every change to the outbox made elsewhere (a publication, a retry, deliveries
   * given back) wakes this dispatcher at once (PostgreSQL: the LISTEN connection is up). An
   * idle poll then reads nothing while nothing is due: only every QUIET_LOOK_EVERY-th looks.
   */
  changesHeard?: () => boolean;
}

/** While changes are heard at once and nothing is due, one idle poll in this many reads the store. */
export const QUIET_LOOK_EVERY = 10;

/** What a drain did. */
export interface DrainSummary {
  delivered: number;
  failed: number;
}

/** Delivers the outbox. */
export class Dispatcher {
  private readonly transports: Map<string, DeliveryTransport>;
  private readonly options: DispatcherOptions;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly timer: Timer;
  private readonly owner: string;
  private readonly host: string;
  private reclaimed = false;
  private readonly notices = new Map<string, Promise<Notice | null>>();
  private readonly messages = new Map<string, NoticeMessages>();
  /** Tries in progress, by delivery id. */
  private readonly running = new Map<string, { delivery: Delivery; done: Promise<void> }>();
  private readonly wake: Wakeable;
  private readonly abort = new AbortController();
  private stopping = false;
  private loop: Promise<void> | null = null;
  private renewedAt = -Infinity;
  private readonly counts: DrainSummary = { delivered: 0, failed: 0 };
  private readonly reportedPauses = new Set<string>();
  private readonly expeditedAt = new Map<string, number>();
  /** When each platform last took a message (this process's view). */
  private readonly lastDelivered = new Map<string, number>();
  /** What the last look at the store said: the earliest due delivery, the earliest pause check (ms). */
  private look: { due: string | null; pauseCheckAt: number } = { due: null, pauseCheckAt: -Infinity };
  /** Idle polls in a row that read nothing (see `changesHeard`). */
  private quietPolls = 0;

  constructor(private readonly deps: DispatcherDeps) {
    this.transports = new Map(deps.transports.map((t) => [t.platform, t]));
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...deps.options };
    this.logger = deps.logger ?? silentLogger;
    this.random = deps.random ?? Math.random;
    this.timer = deps.timer ?? realTimer;
    this.host = (deps.host ?? hostname()).replace(/:/g, '_');
    this.owner = `${this.host}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.wake = new Wakeable(this.timer);
  }

  /** Keeps delivering until `stop()`. */
  start(): void {
    if (this.loop) return;
    this.loop = this.run(() => false);
  }

  /**
   * Delivers until nothing this dispatcher can deliver is left unfinished (waiting through
   * backoffs and pauses), or `stop()`. For tools and tests; `npm start` uses `start`.
   */
  async drain(): Promise<DrainSummary> {
    const before = { ...this.counts };
    const platforms = [...this.transports.keys()];
    await this.run(async () => this.running.size === 0 && (await this.deps.store.outbox.nextDueAt(platforms)) === null);
    return { delivered: this.counts.delivered - before.delivered, failed: this.counts.failed - before.failed };
  }

  /** Looks at the outbox now (after a publication in this process, or a NOTIFY from another). */
  kick(): void {
    this.wake.wake();
  }

  /**
   * Stops claiming at once, ends the waits of tries that have not sent yet (their deliveries
   * go back as they were, at no cost), lets requests already sent finish for up to
   * `shutdownGraceMs`, records their outcome and gives back what it holds. A try still running after that keeps its delivery in flight,
   * so the next dispatcher looks for its message before sending again.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    // Waits inside transports (pacing, rate-limit queues) end now, and no try sends anything
    // it had not sent yet: only requests already on the wire may still complete.
    this.abort.abort();
    this.wake.wake();
    const grace = this.timer.sleep(this.options.shutdownGraceMs);
    await Promise.race([Promise.allSettled([...this.running.values()].map((r) => r.done)), grace]);
    const left = [...this.running.values()].map((r) => r.delivery.id);
    if (left.length > 0) {
      this.logger.warn('delivery: stopping with tries still in progress; they will be checked before any resend', { count: left.length });
    }
    await Promise.race([Promise.allSettled([this.loop]), this.timer.sleep(1_000)]);
    this.loop = null;
  }

  private async run(finished: () => boolean | Promise<boolean>): Promise<void> {
    const platforms = [...this.transports.keys()];
    // Whether something may be claimable without a look first: at the start, after a claim,
    // after a wake (a publication here, a NOTIFY from another instance, a try that ended).
    let mayClaim = true;
    while (!this.stopping) {
      let claimed: Delivery[] = [];
      // When the earliest unfinished delivery is due, if read this round.
      let due: string | null | undefined;
      try {
        if (!this.reclaimed) await this.reclaim();
        await this.renewLeases();
        if (!mayClaim && this.quiet()) {
          // Nothing due, and any change made elsewhere would have woken this loop: no read.
          due = this.look.due;
        } else {
          this.quietPolls = 0;
          if (!mayClaim) {
            // A poll (the wait ran out): one statement says whether a claim (a write
            // transaction) is worth opening and whether a pause's check is due; the pauses
            // themselves are read only then. An idle dispatcher costs that one read a second.
            due = await this.dueAt(platforms);
            if (this.look.pauseCheckAt <= this.deps.clock.now().getTime()) await this.checkPauses();
            mayClaim = due !== null && Date.parse(due) <= this.deps.clock.now().getTime();
          } else await this.checkPauses();
        }
        if (mayClaim) claimed = await this.claim(platforms);
      } catch (error) {
        this.logger.error('delivery: the outbox could not be read', { error });
      }
      for (const d of claimed) this.begin(d);
      if (claimed.length > 0) {
        mayClaim = true;
        continue;
      }
      if (await finished()) return;
      // Tries in progress wake the loop when they end (a channel's next notice, a free slot).
      const ms = this.running.size > 0 ? this.options.pollMs : await this.idleWait(platforms, due);
      mayClaim = await this.wake.wait(ms, this.abort.signal);
    }
  }

  /** How long to wait when nothing was claimable: until the next due delivery, at most a poll. */
  private async idleWait(platforms: string[], known: string | null | undefined): Promise<number> {
    const due = known !== undefined ? known : await this.dueAt(platforms).catch(() => null);
    if (!due) return this.options.pollMs;
    const ms = Date.parse(due) - this.deps.clock.now().getTime();
    return ms > 0 ? Math.min(this.options.pollMs, ms + 5) : this.options.pollMs;
  }

  /** When the earliest unfinished delivery is due (and the earliest pause check), remembered for the next polls. */
  private async dueAt(platforms: string[]): Promise<string | null> {
    const { due, pauseCheckAt } = await this.deps.store.outbox.nextLook(platforms);
    this.look = { due, pauseCheckAt: pauseCheckAt === null ? Infinity : Date.parse(pauseCheckAt) };
    return due;
  }

  /**
   * Whether this idle poll may skip the store: changes are heard at once, nothing was due at
   * the last look nor comes due before now (a retry's time, a pause's next check), and fewer
   * than QUIET_LOOK_EVERY polls in a row skipped it (a change not notified, such as another
   * instance's retry scheduled for later, is seen at the next look).
   */
  private quiet(): boolean {
    if (this.running.size > 0 || !this.deps.changesHeard?.() || this.quietPolls >= QUIET_LOOK_EVERY - 1) return false;
    const now = this.deps.clock.now().getTime();
    if ((this.look.due !== null && Date.parse(this.look.due) <= now) || this.look.pauseCheckAt <= now) return false;
    this.quietPolls++;
    return true;
  }

  private async claim(platforms: string[]): Promise<Delivery[]> {
    const perPlatform = new Map<string, number>();
    const perWorkspace = new Map<string, number>();
    for (const { delivery: d } of this.running.values()) {
      perPlatform.set(d.platform, (perPlatform.get(d.platform) ?? 0) + 1);
      perWorkspace.set(`${d.platform}/${d.workspace}`, (perWorkspace.get(`${d.platform}/${d.workspace}`) ?? 0) + 1);
    }
    // Only what there is room for is asked for: platforms and workspaces at their cap are
    // passed over in the query, so a fan-out's first rows (one workspace's channels after
    // another) do not fill every claim while other workspaces and platforms wait.
    const open = platforms.filter((p) => (perPlatform.get(p) ?? 0) < this.options.perPlatform);
    const room = open.reduce((n, p) => n + this.options.perPlatform - (perPlatform.get(p) ?? 0), 0);
    if (room === 0) return [];
    const fullWorkspaces: { platform: string; workspace: string }[] = [];
    for (const [key, n] of perWorkspace) {
      if (n < this.options.perWorkspace) continue;
      const cut = key.indexOf('/');
      const platform = key.slice(0, cut);
      if (open.includes(platform)) fullWorkspaces.push({ platform, workspace: key.slice(cut + 1) });
    }
    const candidates = await this.deps.store.outbox.claim({
      owner: this.owner,
      now: this.deps.clock.now(),
      leaseMs: this.options.leaseMs,
      // Enough to fill the free slots despite the workspace caps; at most 64 rows a claim (on
      // SQLite the claim's read holds the event loop, ~20 µs a row: 256 rows held it 5-20 ms).
      limit: Math.min(64, room * 4),
      platforms: open,
      fullWorkspaces,
      busyChannels: [...this.running.values()].map((r) => channelKey(r.delivery)),
      accept: (d) => {
        const ws = `${d.platform}/${d.workspace}`;
        if ((perPlatform.get(d.platform) ?? 0) >= this.options.perPlatform || (perWorkspace.get(ws) ?? 0) >= this.options.perWorkspace) return false;
        perPlatform.set(d.platform, (perPlatform.get(d.platform) ?? 0) + 1);
        perWorkspace.set(ws, (perWorkspace.get(ws) ?? 0) + 1);
        return true;
      },
    });
    return candidates;
  }

  private begin(d: Delivery): void {
    const done = this.process(d)
      .catch(async (error: unknown) => {
        // The store or a transport threw: keep the delivery as recorded; it is tried again later.
        this.logger.warn('delivery: a try failed unexpectedly', { delivery: d.id, error });
        const retryAt = new Date(this.deps.clock.now().getTime() + this.options.pollMs * 5).toISOString();
        await this.deps.store.outbox.saveDelivery({ ...((await this.deps.store.outbox.getDelivery(d.id).catch(() => null)) ?? d), nextAttemptAt: retryAt, lastError: 'internal_error' }, { release: true }).catch(() => undefined);
      })
      .finally(() => {
        this.running.delete(d.id);
        this.wake.wake();
      });
    this.running.set(d.id, { delivery: d, done });
  }

  private async process(d: Delivery): Promise<void> {
    const now = this.deps.clock.now();
    const transport = this.transports.get(d.platform);
    const notice = await this.notice(d.noticeId);
    if (!transport || !notice) {
      await this.finish(d, notice ? 'no_transport' : 'notice_missing', false);
      return;
    }
    if (now.getTime() >= Date.parse(d.deadlineAt)) {
      await this.finish(d, `expired${d.lastError ? `: ${d.lastError}` : ''}`, false);
      return;
    }
    const step = await attemptDelivery(d, {
      outbox: this.deps.store.outbox,
      transport,
      messages: this.messagesOf(notice, d.language),
      now: () => this.deps.clock.now().toISOString(),
      signal: this.abort.signal,
    });
    await this.record(step);
  }

  private async record(step: Step): Promise<void> {
    const now = this.deps.clock.now();
    const d = step.delivery;
    if (step.kind === 'delivered') {
      // The channel's fault count starts over, in the same write.
      const saved = await this.deps.store.outbox.saveDelivery(
        { ...d, state: 'delivered', lastError: null, failingSince: null, deliveredAt: now.toISOString(), updatedAt: now.toISOString() },
        { release: true, resetFailures: d.subscriptionIds },
      );
      this.counts.delivered++;
      this.lastDelivered.set(d.platform, now.getTime());
      await this.expediteRetries(d.platform, now);
      this.deps.onOutcome?.(saved);
      return;
    }
    const failure = step.failure;
    if (step.kind === 'permanent') {
      await this.finish(d, failure.reason, failure.channelFault !== false);
      return;
    }
    if (failure.reason === SHUTDOWN) {
      // Given back untouched: the next dispatcher (this host's restart, another instance) takes it at once.
      await this.deps.store.outbox.saveDelivery({ ...d, updatedAt: now.toISOString() }, { release: true });
      return;
    }
    let next: number;
    let failingSince = d.failingSince;
    if (failure.botFault) {
      next = await this.pause(d, failure.botFault, failure.reason, now);
    } else if (failure.rateLimited) {
      next = now.getTime() + retryDelay(0, failure.retryAfterMs ?? this.options.backoff.baseMs, this.options.backoff, this.random);
    } else {
      failingSince ??= now.toISOString();
      // The backoff grows with how long this channel has been failing, but only since its
      // platform last delivered something: a fault right after an outage ends is a new one.
      const since = Math.max(Date.parse(failingSince), this.lastDelivered.get(d.platform) ?? -Infinity);
      const wait = retryDelay(now.getTime() - since, failure.retryAfterMs, this.options.backoff, this.random);
      next = now.getTime() + (d.state === 'in_flight' ? Math.max(wait, this.options.uncertainSettleMs) : wait);
    }
    const deadline = Date.parse(d.deadlineAt);
    if (now.getTime() >= deadline) {
      await this.finish({ ...d, failingSince }, `expired: ${failure.reason}`, false);
      return;
    }
    // The last try happens at the deadline, not after it.
    const at = new Date(Math.min(next, deadline)).toISOString();
    await this.deps.store.outbox.saveDelivery({ ...d, failingSince, nextAttemptAt: at, updatedAt: now.toISOString() }, { release: true });
  }

  /**
   * A message went through: the platform works. Deliveries of that platform waiting in a long
   * backoff (after an outage) are tried now rather than when their backoff ends; at most once
   * per `expediteEveryMs`, so a channel failing on its own gets one extra try per period.
   */
  private async expediteRetries(platform: string, now: Date): Promise<void> {
    const last = this.expeditedAt.get(platform) ?? -Infinity;
    if (now.getTime() - last < this.options.expediteEveryMs) return;
    this.expeditedAt.set(platform, now.getTime());
    const count = await this.deps.store.outbox.expedite(platform, now).catch(() => 0);
    if (count > 0) {
      this.logger.info('delivery: the platform answers again; retrying now what was waiting in backoff', { platform, count });
      this.wake.wake();
    }
  }

  /** Ends a delivery as failed; a channel's own refusal counts against its subscriptions. */
  private async finish(d: Delivery, reason: string, channelFault: boolean): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const saved = await this.deps.store.outbox.saveDelivery({ ...d, state: 'failed', lastError: reason, updatedAt: now }, { release: true });
    this.counts.failed++;
    if (channelFault) {
      for (const id of d.subscriptionIds) {
        const sub = await this.deps.store.subscriptions.get(id);
        if (!sub) continue;
        const failures = sub.failures + 1;
        const active = sub.active && failures < this.options.deactivateAfter;
        await this.deps.store.subscriptions.update(id, { failures, active });
        if (!active && sub.active) this.logger.warn('delivery: subscription paused after repeated channel failures', { subscription: id, reason });
      }
    }
    this.deps.onOutcome?.(saved);
  }

  /** Pauses the workspace (or platform) whose token is refused; returns when to look again. */
  private async pause(d: Delivery, scope: 'workspace' | 'platform', reason: string, now: Date): Promise<number> {
    const workspace = scope === 'workspace' ? d.workspace : '';
    const next = now.getTime() + this.options.authCheckMs;
    const existing = (await this.deps.store.pauses.list()).find((p) => p.platform === d.platform && p.workspace === workspace);
    await this.deps.store.pauses.set({ platform: d.platform, workspace, reason, since: existing?.since ?? now.toISOString(), nextCheckAt: new Date(next).toISOString() });
    const key = `${d.platform}/${workspace}`;
    if (!this.reportedPauses.has(key)) {
      this.reportedPauses.add(key);
      this.logger.error('delivery paused: the platform refuses the bot itself (token revoked, expired or missing a scope); no channel is blamed, delivery resumes when the token works again', {
        platform: d.platform,
        workspace: workspace || '(all)',
        reason,
      });
    }
    return next;
  }

  /** Lifts pauses whose token works again. */
  private async checkPauses(): Promise<void> {
    const now = this.deps.clock.now();
    let next = Infinity;
    for (const p of await this.deps.store.pauses.list()) {
      const transport = this.transports.get(p.platform);
      if (!transport) continue;
      if (Date.parse(p.nextCheckAt) > now.getTime()) {
        next = Math.min(next, Date.parse(p.nextCheckAt));
        continue;
      }
      const check = transport.checkAuth ? await transport.checkAuth(p.workspace).catch(() => 'unknown' as const) : 'ok';
      if (check === 'refused') {
        await this.deps.store.pauses.set({ ...p, nextCheckAt: new Date(now.getTime() + this.options.authCheckMs).toISOString() });
        next = Math.min(next, now.getTime() + this.options.authCheckMs);
        continue;
      }
      // 'unknown' (the platform is down) lifts it too: the next try tells.
      await this.deps.store.pauses.lift(p.platform, p.workspace);
      this.reportedPauses.delete(`${p.platform}/${p.workspace}`);
      this.logger.info('delivery resumed: the platform accepts the bot again', { platform: p.platform, workspace: p.workspace || '(all)', pausedSince: p.since });
    }
    this.look.pauseCheckAt = next;
  }

  /** Takes back deliveries held by dead processes of this host (a crash, a SIGKILL). */
  private async reclaim(): Promise<void> {
    this.reclaimed = true;
    const released = await this.deps.store.outbox.releaseGone((owner) => {
      const [host, pid] = owner.split(':');
      return host === this.host && owner !== this.owner && !processAlive(Number(pid));
    });
    if (released > 0) this.logger.info('delivery: took back deliveries a stopped process was holding', { count: released });
  }

  /** Keeps the leases of tries in progress alive (every third of a lease). */
  private async renewLeases(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    if (this.running.size === 0 || now - this.renewedAt < this.options.leaseMs / 3) return;
    this.renewedAt = now;
    await this.deps.store.outbox.renew([...this.running.keys()], this.owner, new Date(now + this.options.leaseMs)).catch((error: unknown) => this.logger.warn('delivery: leases not renewed', { error }));
  }

  private async notice(id: string): Promise<Notice | null> {
    // Shared by the tries that start together: a claim of 200 deliveries reads their notice once.
    let notice = this.notices.get(id);
    if (!notice) {
      if (this.notices.size > 1000) this.notices.clear();
      notice = this.deps.store.outbox.getNotice(id);
      this.notices.set(id, notice);
    }
    try {
      const found = await notice;
      if (!found) this.notices.delete(id);
      return found;
    } catch (error) {
      // Not remembered: the next try reads it again.
      this.notices.delete(id);
      throw error;
    }
  }

  private messagesOf(notice: Notice, language: Language): NoticeMessages {
    const key = `${notice.id}/${language}`;
    let messages = this.messages.get(key);
    if (!messages) {
      if (this.messages.size > 1000) this.messages.clear();
      messages = noticeMessages(notice, language, this.deps.templates);
      this.messages.set(key, messages);
    }
    return messages;
  }
}

/** True when a process with this id runs on this host. */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
