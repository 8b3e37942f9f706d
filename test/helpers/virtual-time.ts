/**
 * Virtual time for tests: a Timer on a FixedClock. When something sleeps, the clock jumps
 * to the earliest wake-up once the I/O in progress has settled, so backoffs, Retry-Afters,
 * pauses and deadlines of hours run in milliseconds.
 *
 * When it settled is told one of two ways. By default, after a short real pause the event
 * loop spent idle (15 ms). With `inFlight` (the store calls and HTTP requests in progress),
 * as soon as nothing is in flight for a few turns of the event loop, or after the real pause
 * as before when that comes first (a request a fake holds until its client times out), but
 * never while a store call is in progress nor before the code awaiting its end has run.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { FixedClock } from '../../src/base/clock.js';
import type { Timer } from '../../src/base/timer.js';
import type { Store } from '../../src/store/index.js';

interface Sleeper {
  at: number;
  resolve: () => void;
}

/** How a VirtualTimer knows that real work in progress has settled. */
export interface SettleOptions {
  /** Real milliseconds to let I/O settle before time jumps (default 15). */
  settleMs?: number;
  /** The real work in progress (store calls, HTTP requests): time jumps once there is none for a few turns. */
  inFlight?: InFlight;
}

/** Turns of the event loop (each polls I/O) with nothing in flight before time jumps. */
const QUIET_TURNS = 3;

/** A Timer that moves `clock` forward instead of waiting. */
export class VirtualTimer implements Timer {
  private readonly sleepers = new Set<Sleeper>();
  private scheduled = false;
  /** Which wait for a settle is current (an older one's callbacks do nothing). */
  private round = 0;
  private readonly settleMs: number;
  private readonly busy: (() => boolean) | undefined;
  /** What this timer watches, if anything (wrap the store the code under test uses with `inFlight.store`). */
  readonly inFlight: InFlight | undefined;
  /** How far the clock was moved in all. */
  elapsedMs = 0;

  constructor(
    readonly clock: FixedClock,
    /** Real milliseconds to let I/O settle before time jumps, or how to tell it settled. */
    settle: number | SettleOptions = 15,
  ) {
    const options = typeof settle === 'number' ? { settleMs: settle } : settle;
    this.settleMs = options.settleMs ?? 15;
    this.inFlight = options.inFlight;
    this.busy = options.inFlight?.busy;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        at: this.clock.now().getTime() + ms,
        resolve: () => {
          this.sleepers.delete(sleeper);
          signal?.removeEventListener('abort', sleeper.resolve);
          resolve();
        },
      };
      this.sleepers.add(sleeper);
      signal?.addEventListener('abort', sleeper.resolve, { once: true });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const round = ++this.round;
    let pause: NodeJS.Timeout | undefined;
    const fire = () => {
      if (round !== this.round || !this.scheduled) return;
      clearTimeout(pause);
      // Never in the middle of a store call: a write in flight lands at the time it was made.
      if (this.inFlight?.storeBusy()) this.inFlight.onSettle(() => afterStoreCalls(0));
      else this.fire();
    };
    // Nor right after one: the call's end is told from inside its promise, before the code that
    // awaits it has run (a try writing its outcome, or making its next store call). Time jumps
    // once no store call was in progress for QUIET_TURNS turns of the event loop (the code after
    // the call runs in the first).
    const afterStoreCalls = (quiet: number) => {
      if (round !== this.round || !this.scheduled) return;
      if (this.inFlight?.storeBusy()) this.inFlight.onSettle(() => afterStoreCalls(0));
      else if (quiet >= QUIET_TURNS) this.fire();
      else setImmediate(() => afterStoreCalls(quiet + 1));
    };
    const afterIdlePause = (late: number) => {
      const due = performance.now() + this.settleMs;
      pause = setTimeout(() => {
        // Fired late: the event loop was busy (work in progress, or a loaded machine whose I/O is
        // slow too). Time jumps after a settle the loop spent idle, or after a few late ones.
        if (performance.now() - due > this.settleMs && late < 4) afterIdlePause(late + 1);
        else fire();
      }, this.settleMs);
    };
    afterIdlePause(0);
    if (!this.inFlight) return;
    // Sooner when nothing was in flight for QUIET_TURNS turns of the event loop in a row (each
    // turn runs the I/O callbacks that are ready, and the promise reactions they start).
    const inFlight = this.inFlight;
    let quiet = 0;
    const turn = () => {
      if (round !== this.round || !this.scheduled) return;
      if (inFlight.busy()) {
        quiet = 0;
        inFlight.onSettle(turn);
      } else if (++quiet >= QUIET_TURNS) fire();
      else setImmediate(turn);
    };
    setImmediate(turn);
  }

  private held = false;

  /** Stops the clock: nothing sleeping wakes until `release` (what happens meanwhile happened with no time passing). */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    if (this.sleepers.size > 0) this.schedule();
  }

  private fire(): void {
    this.scheduled = false;
    if (this.held || this.sleepers.size === 0) return;
    const earliest = Math.min(...[...this.sleepers].map((s) => s.at));
    const now = this.clock.now().getTime();
    if (earliest > now) {
      this.elapsedMs += earliest - now;
      this.clock.set(new Date(earliest));
    }
    const due = this.clock.now().getTime();
    for (const s of [...this.sleepers]) if (s.at <= due) s.resolve();
    if (this.sleepers.size > 0) this.schedule();
  }
}

/**
 * HTTP requests this process's clients have made and not yet finished, with their
 * x-request-id (watched from the first InFlight on).
 */
const requests = new Map<object, string | undefined>();
/** Called (once each) when something in flight ends. */
let settled: (() => void)[] = [];
function ended(): void {
  if (settled.length === 0) return;
  const waiting = settled;
  settled = [];
  for (const fn of waiting) fn();
}
let watching = false;
function watchHttp(): void {
  if (watching) return;
  watching = true;
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    const id = request.getHeader('x-request-id');
    requests.set(request, id === undefined ? undefined : String(id));
    request.once('close', () => {
      requests.delete(request);
      ended();
    });
  });
  subscribe('undici:request:create', (message) => {
    const { request } = message as { request: { headers: string[] | string } };
    const h = request.headers;
    const at = Array.isArray(h) ? h.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'x-request-id') : -1;
    const id = Array.isArray(h) ? (at >= 0 ? h[at + 1] : undefined) : /^x-request-id: *(.*)$/im.exec(h)?.[1]?.trim();
    requests.set(request, id);
  });
  const end = (message: unknown) => {
    requests.delete((message as { request: object }).request);
    ended();
  };
  subscribe('undici:request:trailers', end);
  subscribe('undici:request:error', end);
}

/**
 * Real work in progress in this process, for a VirtualTimer's `busy`: calls to a store
 * wrapped by `store()` (SQLite and PostgreSQL alike) and every HTTP request a client in this
 * process has made and not yet finished (node:http, as the Slack WebClient uses; fetch and
 * undici, as @discordjs/rest uses).
 */
export class InFlight {
  private count = 0;
  private readonly held: ((id: string) => boolean)[] = [];

  constructor() {
    watchHttp();
  }

  /**
   * `held` tells the requests (by x-request-id) a fake holds on purpose (a "timeout" fault,
   * timed out in virtual time): no work that settles by itself, so time may jump meanwhile.
   */
  exempt(held: (id: string) => boolean): void {
    this.held.push(held);
  }

  /** Whether a call to the wrapped store is in progress. */
  storeBusy(): boolean {
    return this.count > 0;
  }

  /** For a VirtualTimer. */
  readonly busy = (): boolean => {
    if (this.count > 0) return true;
    for (const id of requests.values()) if (id === undefined || !this.held.some((held) => held(id))) return true;
    return false;
  };

  /** Counts `promise` as work in progress until it settles. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.count++;
    return promise.finally(() => {
      this.count--;
      ended();
    });
  }

  /** Calls `fn` once, the next time something in flight ends. */
  onSettle(fn: () => void): void {
    settled.push(fn);
  }

  /** `store`, each call to it and to its repositories counted while in progress. */
  store(store: Store): Store {
    const wrap = <O extends object>(target: O): O =>
      new Proxy(target, {
        get: (t, key) => {
          const value = Reflect.get(t, key) as unknown;
          if (typeof value === 'function') {
            return (...args: unknown[]) => {
              const out = (value as (...a: unknown[]) => unknown).apply(t, args);
              return out instanceof Promise ? this.track(out) : out;
            };
          }
          if (value && typeof value === 'object' && key !== 'db') return wrap(value);
          return value;
        },
      });
    return wrap(store);
  }
}

/** A VirtualTimer on `clock` that jumps as soon as nothing is in flight. */
export function settledTimer(clock: FixedClock): VirtualTimer {
  return new VirtualTimer(clock, { inFlight: new InFlight() });
}

/** `store` as the code on `timer` should use it: its calls watched when the timer watches what is in flight. */
export function watchedStore(store: Store, timer: Timer): Store {
  return timer instanceof VirtualTimer && timer.inFlight ? timer.inFlight.store(store) : store;
}
