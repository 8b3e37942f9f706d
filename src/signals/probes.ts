/**
 * Probes (#15): the automated witness. Each probe of content/probes.yaml asks one public
 * address every interval with Node's own HTTP client (fetch, undici) under a hard timeout,
 * and a small state machine per probe turns the checks into what people on duty read:
 *
 * - a check is good (the expected status, in time), slow (the expected status, later than
 *   the probe's threshold) or failed (no answer by the timeout, another status, a connection
 *   or TLS error, too many redirects);
 * - three bad checks in a row make the probe down (failures) or slow (slow answers; a mix
 *   goes by the majority), two good ones in a row make it up again; anything in between
 *   keeps the state it had, so a service that answers one time in two does not flap;
 * - before that, it is unknown: one check proves nothing either way.
 *
 * Off unless VIGIE_PROBES=on (`probesFromEnv`): by default nothing leaves the machine.
 * Scheduled on the injected Clock and Timer (tests run in virtual time); only the hard
 * timeout of a request is real time, since it guards a real socket.
 */
import { join } from 'node:path';
import type { Clock } from '../base/clock.js';
import { ContentError } from '../base/errors.js';
import { silentLogger, type Logger } from '../base/logger.js';
import { realTimer, type Timer } from '../base/timer.js';
import type { Env } from '../config/env.js';
import type { Content } from '../content/load.js';
import { loadProbes, PROBES_FILE, type ProbeDefinition } from '../content/probes.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { ProbeReading } from './types.js';

export type { ProbeDefinition } from '../content/probes.js';

/** Bad checks in a row that make a probe down or slow. */
export const DOWN_AFTER = 3;
/** Good checks in a row that make it up. */
export const UP_AFTER = 2;
/** Redirects followed at most before a check fails. */
export const MAX_REDIRECTS = 3;

/** How a probe sends itself: servers' operators can tell (and filter) Vigie's checks. */
export const PROBE_USER_AGENT = 'Vigie-probe/1 (school services status checks)';

export type ProbeState = ProbeReading['state'];

/** Why a check failed. */
export type FailureReason = 'timeout' | 'status' | 'connection' | 'tls' | 'redirects';

/** What one check saw. */
export type CheckResult =
  | { kind: 'ok' | 'slow'; status: number; latencyMs: number }
  | { kind: 'fail'; reason: FailureReason; status?: number; detail: string };

/** What a check needs besides the probe. */
export interface CheckOptions {
  /** The HTTP client (default Node's fetch). */
  fetch?: typeof fetch;
  /** A monotonic reading in milliseconds, for the latency (default performance.now). */
  monotonic?: () => number;
  /** Aborts the check without a result (the prober stops). */
  signal?: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Asks the probe's address once: a GET, redirects followed by hand (at most MAX_REDIRECTS, to
 * http(s) only), the body not read. The latency is the time to the answer's status line and
 * headers. Never throws; null when `signal` aborted it.
 */
export async function checkProbe(probe: ProbeDefinition, options: CheckOptions = {}): Promise<CheckResult | null> {
  const doFetch = options.fetch ?? fetch;
  const monotonic = options.monotonic ?? (() => performance.now());
  const deadline = AbortSignal.timeout(probe.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const started = monotonic();
  let url = probe.url;
  try {
    for (let hop = 0; ; hop++) {
      const response = await untilAborted(
        doFetch(url, {
          method: 'GET',
          redirect: 'manual',
          signal,
          headers: { 'user-agent': PROBE_USER_AGENT, 'cache-control': 'no-cache', accept: 'text/html,*/*;q=0.8' },
        }),
        signal,
      );
      // Only the status line matters: the body is dropped (and its connection with it).
      void response.body?.cancel().catch(() => undefined);
      const latencyMs = Math.max(0, monotonic() - started);
      const status = response.status;
      if (status === probe.expectedStatus) return { kind: latencyMs > probe.slowMs ? 'slow' : 'ok', status, latencyMs };
      const location = REDIRECTS.has(status) ? response.headers.get('location') : null;
      if (location === null) return { kind: 'fail', reason: 'status', status, detail: `status ${status}, expected ${probe.expectedStatus}` };
      if (hop >= MAX_REDIRECTS) return { kind: 'fail', reason: 'redirects', status, detail: `more than ${MAX_REDIRECTS} redirects` };
      const next = safeUrl(location, url);
      if (next === null) return { kind: 'fail', reason: 'redirects', status, detail: 'redirected to an address that is not http(s)' };
      url = next;
    }
  } catch (error) {
    if (options.signal?.aborted) return null;
    if (deadline.aborted) return { kind: 'fail', reason: 'timeout', detail: `no answer within ${probe.timeoutMs} ms` };
    return failureOf(error);
  }
}

/** A redirect's target, resolved against the address that gave it, when it is http(s). */
function safeUrl(location: string, base: string): string | null {
  try {
    const next = new URL(location, base);
    return next.protocol === 'http:' || next.protocol === 'https:' ? next.href : null;
  } catch {
    return null;
  }
}

/** `promise`, or a rejection as soon as `signal` aborts (a client that ignores its signal cannot hold a check). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

const TLS_CODE = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME/i;
const TIMEOUT_CODE = /^UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT$/;

/** A client error, sorted: fetch says "fetch failed" and puts the socket's error in `cause`. */
function failureOf(error: unknown): CheckResult {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof (cause as { code?: unknown } | null)?.code === 'string' ? (cause as { code: string }).code : undefined;
  const detail = code ?? (cause instanceof Error ? cause.message : String(cause));
  if (code !== undefined && TIMEOUT_CODE.test(code)) return { kind: 'fail', reason: 'timeout', detail };
  if (code !== undefined && TLS_CODE.test(code)) return { kind: 'fail', reason: 'tls', detail };
  return { kind: 'fail', reason: 'connection', detail };
}

/**
 * One probe's state, from its checks in order. Pure: time is what the caller says.
 * `since` is when the run of checks that set the state began (the first of the three
 * failures: "ne répond plus depuis 8 h 52"), or when watching began while unknown.
 */
export class ProbeStateMachine {
  private current: ProbeState = 'unknown';
  private from: Date;
  private good = { run: 0, since: new Date(0) };
  private bad = { run: 0, since: new Date(0), fails: 0, slows: 0 };
  private fails = { run: 0, since: new Date(0) };
  private slows = { run: 0, since: new Date(0) };

  constructor(start: Date) {
    this.from = start;
  }

  get state(): ProbeState {
    return this.current;
  }

  get since(): Date {
    return this.from;
  }

  /** Records a check's outcome at `at`; true when the state changed. */
  record(kind: CheckResult['kind'], at: Date): boolean {
    const start = (run: { run: number; since: Date }) => {
      if (run.run++ === 0) run.since = at;
    };
    if (kind === 'ok') {
      start(this.good);
      this.bad = { run: 0, since: at, fails: 0, slows: 0 };
      this.fails.run = 0;
      this.slows.run = 0;
    } else {
      this.good.run = 0;
      start(this.bad);
      if (kind === 'fail') {
        this.bad.fails++;
        start(this.fails);
        this.slows.run = 0;
      } else {
        this.bad.slows++;
        start(this.slows);
        this.fails.run = 0;
      }
    }
    const next = this.next();
    if (next === null || next.state === this.current) return false;
    this.current = next.state;
    this.from = next.since;
    return true;
  }

  private next(): { state: ProbeState; since: Date } | null {
    if (this.good.run >= UP_AFTER) return { state: 'up', since: this.good.since };
    if (this.fails.run >= DOWN_AFTER) return { state: 'down', since: this.fails.since };
    if (this.slows.run >= DOWN_AFTER) return { state: 'slow', since: this.slows.since };
    // A mixed run (timeouts and slow answers): by its majority, and only from up or unknown;
    // once down or slow, it takes a clean run of the other to change.
    if (this.bad.run >= DOWN_AFTER && this.current !== 'down' && this.current !== 'slow') {
      return { state: this.bad.fails > this.bad.slows ? 'down' : 'slow', since: this.bad.since };
    }
    return null;
  }
}

/** A probe's reading with the check behind it (for admins and alerts). */
export interface ProbeStatus extends ProbeReading {
  url: string;
  brand?: string;
  /** The latest check, or null before the first. */
  lastCheck: { at: Date; result: CheckResult } | null;
}

/** What a Prober needs. */
export interface ProberDeps {
  probes: readonly ProbeDefinition[];
  clock: Clock;
  timer?: Timer;
  logger?: Logger;
  /** Monotonic milliseconds for latencies (default performance.now). */
  monotonic?: () => number;
  /** The HTTP client (default Node's fetch). */
  fetch?: typeof fetch;
  /** Told when a probe's state changes (after it changed). */
  onChange?: (reading: ProbeReading, previous: ProbeState) => void;
}

interface Entry {
  probe: ProbeDefinition;
  machine: ProbeStateMachine;
  last: { at: Date; result: CheckResult } | null;
}

/** Runs the probes, each on its own interval, until stopped; readings() says what they see. */
export class Prober {
  private readonly entries: Entry[];
  private abort: AbortController | null = null;
  private loops: Promise<void>[] = [];

  constructor(private readonly deps: ProberDeps) {
    const start = deps.clock.now();
    this.entries = deps.probes.map((probe) => ({ probe, machine: new ProbeStateMachine(start), last: null }));
  }

  /** Starts checking: each probe at once, then every interval. Does nothing when started already. */
  start(): void {
    if (this.abort) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loops = this.entries.map((entry) => this.run(entry, abort.signal));
  }

  /** Stops: checks in flight are abandoned (not counted), no new one starts. */
  async stop(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    abort.abort();
    await Promise.all(this.loops);
    this.loops = [];
    this.abort = null;
  }

  /** What each probe sees now, in the file's order. */
  readings(): ProbeReading[] {
    return this.entries.map((e) => this.readingOf(e));
  }

  /** The readings with the latest check of each. */
  statuses(): ProbeStatus[] {
    return this.entries.map((e) => ({
      ...this.readingOf(e),
      url: e.probe.url,
      ...(e.probe.brand === undefined ? {} : { brand: e.probe.brand }),
      lastCheck: e.last,
    }));
  }

  /** Checks every probe once now, counted like scheduled checks; resolves with the readings. */
  async checkNow(signal?: AbortSignal): Promise<ProbeReading[]> {
    await Promise.all(this.entries.map((e) => this.checkOne(e, signal)));
    return this.readings();
  }

  private readingOf(e: Entry): ProbeReading {
    return {
      probe: e.probe.id,
      service: e.probe.service,
      places: e.probe.places.map((p) => ({ ...p })),
      state: e.machine.state,
      since: new Date(e.machine.since.getTime()),
    };
  }

  private async run(entry: Entry, signal: AbortSignal): Promise<void> {
    const { clock, timer = realTimer } = this.deps;
    while (!signal.aborted) {
      const started = clock.now().getTime();
      await this.checkOne(entry, signal);
      // Every interval from the start of the last check (a check takes at most its timeout).
      await timer.sleep(entry.probe.intervalMs - (clock.now().getTime() - started), signal);
    }
  }

  private async checkOne(entry: Entry, signal?: AbortSignal): Promise<void> {
    const { clock, logger = silentLogger } = this.deps;
    const at = clock.now();
    const result = await checkProbe(entry.probe, {
      ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
      ...(this.deps.monotonic ? { monotonic: this.deps.monotonic } : {}),
      ...(signal ? { signal } : {}),
    });
    if (result === null) return;
    entry.last = { at, result };
    const previous = entry.machine.state;
    if (!entry.machine.record(result.kind, at)) return;
    const reading = this.readingOf(entry);
    const fields = { probe: entry.probe.id, service: entry.probe.service, url: entry.probe.url, from: previous, since: reading.since.toISOString(), ...describe(result) };
    if (reading.state === 'down' || reading.state === 'slow') logger.warn(`probe: ${entry.probe.id} is ${reading.state}`, fields);
    else logger.info(`probe: ${entry.probe.id} is ${reading.state}`, fields);
    try {
      this.deps.onChange?.(reading, previous);
    } catch (error) {
      logger.error('probe: a listener of state changes failed', { probe: entry.probe.id, error });
    }
  }
}

function describe(result: CheckResult): Record<string, unknown> {
  return result.kind === 'fail'
    ? { reason: result.reason, detail: result.detail, ...(result.status === undefined ? {} : { status: result.status }) }
    : { status: result.status, latencyMs: Math.round(result.latencyMs) };
}

/**
 * The probes of the content folder, with their places checked against the gazetteer.
 * Throws ContentError naming the file and the field.
 */
export function loadCheckedProbes(content: Pick<Content, 'dir' | 'services'>, gazetteer: Pick<Gazetteer, 'get'>): ProbeDefinition[] {
  const probes = loadProbes(content.services, content.dir);
  probes.forEach((probe, i) =>
    probe.places.forEach((place, j) => {
      if (gazetteer.get(place.kind, place.code) === null) {
        throw new ContentError(join(content.dir, PROBES_FILE), `probes.${i}.places.${j}: no ${place.kind} "${place.code}" in the gazetteer`);
      }
    }),
  );
  return probes;
}

/**
 * The prober when VIGIE_PROBES=on (its file read and checked now: a bad file stops startup),
 * or null when off (the default): then content/probes.yaml is not even read.
 */
export function probesFromEnv(
  env: Pick<Env, 'VIGIE_PROBES'>,
  reference: { content: Pick<Content, 'dir' | 'services'>; gazetteer: Pick<Gazetteer, 'get'> },
  deps: Omit<ProberDeps, 'probes'>,
): Prober | null {
  if (env.VIGIE_PROBES !== 'on') return null;
  return new Prober({ ...deps, probes: loadCheckedProbes(reference.content, reference.gazetteer) });
}
