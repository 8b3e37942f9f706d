/**
 * A fake Slack Web API on 127.0.0.1 for the WebClient (`slackApiUrl`). It records every call
 * (method, arguments, token), keeps channels and messages (test/fakes/slack/conversations.ts)
 * and answers like Slack does. For notice delivery it can also:
 * - tell workspaces apart by token (`tokenOf(team)`; any other token is FAKE_TEAM's),
 * - enforce Slack's rate limits (test/fakes/slack/limits.ts) with 429 + Retry-After,
 * - inject faults from a seeded PRNG on the delivery methods (chat.postMessage, chat.update,
 *   conversations.history/replies): 429s, 500s and timeouts, some of which store the message
 *   before hanging (the case that needs reconciling),
 * - report channels as missing, left or archived, and tokens as revoked,
 * - run on an injected clock (`now`), and for a while (in that clock's time) answer 500 to
 *   everything (`outage`) or refuse a workspace's token (`refuseToken`, auth.test included),
 * - answer a given error to every call about one channel (`failChannel`).
 * A method can also be told to fail its next call with a Slack error code (`failNext`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../../../src/base/prng.js';
import { FakeConversations, type SlackBody } from './conversations.js';
import { SlackLimiter, slackLimits, type SlackFakeLimits } from './limits.js';

/** One recorded Web API call. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** The workspace the token belongs to. */
  workspace: string;
  /** When it arrived, on the fake's clock (milliseconds). */
  at: number;
}

/** Identity the fake reports from auth.test (the workspace of any unknown token). */
export const FAKE_TEAM = { id: 'T0SCHOOL', botUserId: 'UVIGIEBOT', botId: 'BVIGIE' } as const;

/** Fault injection: each delivery call has `rate` chance of one fault, drawn among `kinds`. */
export interface SlackFaultOptions {
  rate: number;
  seed: number;
  kinds?: ('429' | '500' | 'timeout')[];
  /** Methods that draw faults (default chat.postMessage, chat.update, conversations.history/replies). */
  methods?: Iterable<string>;
}

/** Channels in trouble, as "TEAM/CHANNEL". */
export interface BrokenChannels {
  /** Deleted or never existed → channel_not_found. */
  notFound?: Iterable<string>;
  /** The bot was removed → not_in_channel. */
  notInChannel?: Iterable<string>;
  /** Archived → is_archived (posting and editing). */
  archived?: Iterable<string>;
}

/** What users.info tells of a user. */
export interface FakeSlackUser {
  locale?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
}

/** How the fake behaves; everything is off by default. */
export interface FakeSlackOptions {
  /** User id → Slack locale, for users.info. */
  locales?: Record<string, string>;
  /** User id → what users.info says (roles, locale); merged over `locales`. */
  users?: Record<string, FakeSlackUser>;
  /** Workspaces with their own token (`tokenOf`). */
  workspaces?: Iterable<string>;
  limits?: SlackFakeLimits;
  faults?: SlackFaultOptions;
  /** How long a "timeout" holds the request before dropping the connection (default 2000 ms). */
  hangMs?: number;
  /** Retry-After of injected 429s, in seconds (default 1; Slack sends whole seconds). */
  injectedRetryAfterSec?: number;
  broken?: BrokenChannels;
  /** Workspaces whose token was revoked → token_revoked on every call. */
  revoked?: Iterable<string>;
  /** The fake's clock in milliseconds, for limits, outages and refusals (default `performance.now()`). */
  now?: () => number;
  /** The scopes auth.test reports in `x-oauth-scopes` (default: what Vigie asks for). */
  scopes?: readonly string[];
}

/** The scopes the fake grants unless told otherwise. */
export const FAKE_SCOPES: readonly string[] = ['chat:write', 'channels:history', 'groups:history', 'commands', 'users:read', 'app_mentions:read'];

/** Counts the tests and the bench read. */
export interface FakeSlackStats {
  requests: number;
  /** 429s because a limit was really exceeded. */
  rateLimited: number;
  injected429: number;
  injected500: number;
  injectedTimeouts: number;
  /** Timeouts where the message was stored (or edited) before the request hung. */
  storedThenHung: number;
  /** Calls answered 500 because of an `outage`. */
  outage500: number;
  /** Calls refused because of `refuseToken`. */
  refused: number;
  /** Requests dropped because their client was gone when the fake read them. */
  lostInTransit: number;
}

interface Waiter {
  match: (call: ApiCall) => boolean;
  resolve: (call: ApiCall) => void;
}

/** An answer: status, body, headers; `hang` holds the request and drops it. */
interface Answer {
  status: number;
  body: SlackBody | null;
  headers?: Record<string, string>;
  hang?: boolean;
}

const DELIVERY_METHODS: ReadonlySet<string> = new Set(['chat.postMessage', 'chat.update', 'conversations.history', 'conversations.replies']);
const MUTATING: ReadonlySet<string> = new Set(['chat.postMessage', 'chat.update']);

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The WebClient JSON-encodes object arguments (blocks, view, metadata) inside form bodies.
    out[key] = /^[[{]/.test(value) ? parseJsonOr(value) : value;
  }
  return out;
}

function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The token the fake gives workspace `team`. */
export function tokenOf(team: string): string {
  return `xoxb-fake-${team}`;
}

/** The fake Web API server. */
export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly conversations = new FakeConversations();
  readonly stats: FakeSlackStats = { requests: 0, rateLimited: 0, injected429: 0, injected500: 0, injectedTimeouts: 0, storedThenHung: 0, outage500: 0, refused: 0, lostInTransit: 0 };
  /** Where apps.connections.open sends Socket Mode clients. */
  socketUrl: string | null = null;
  /** What users.info knows; tests change roles here. */
  readonly users = new Map<string, FakeSlackUser>();
  private readonly failures = new Map<string, { error: string; extra: SlackBody }[]>();
  private waiters: Waiter[] = [];
  private readonly teams = new Map<string, string>();
  private readonly limiter: SlackLimiter | null;
  private readonly random: () => number;
  private readonly broken: Map<string, string>;
  private readonly revoked: Set<string>;
  private readonly now: () => number;
  private faults: SlackFaultOptions | null;
  private faultMethods: ReadonlySet<string>;
  private outageUntil = -Infinity;
  private readonly refusals = new Map<string, { until: number; error: string }>();
  private readonly channelErrors = new Map<string, string>();
  private readonly scopes = new Map<string, readonly string[]>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: FakeSlackOptions,
  ) {
    for (const team of options.workspaces ?? []) this.teams.set(tokenOf(team), team);
    this.now = options.now ?? (() => performance.now());
    this.limiter = options.limits ? new SlackLimiter(options.limits, this.now) : null;
    this.random = seededRandom(options.faults?.seed ?? 1);
    this.faults = options.faults ?? null;
    this.faultMethods = new Set(options.faults?.methods ?? DELIVERY_METHODS);
    this.broken = new Map<string, string>();
    for (const c of options.broken?.archived ?? []) this.broken.set(c, 'is_archived');
    for (const c of options.broken?.notInChannel ?? []) this.broken.set(c, 'not_in_channel');
    for (const c of options.broken?.notFound ?? []) this.broken.set(c, 'channel_not_found');
    this.revoked = new Set(options.revoked ?? []);
    for (const [id, locale] of Object.entries(options.locales ?? {})) this.users.set(id, { locale });
    for (const [id, user] of Object.entries(options.users ?? {})) this.users.set(id, { ...this.users.get(id), ...user });
  }

  /** Starts on a free port of 127.0.0.1. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlackApi> {
    let fake: FakeSlackApi | null = null;
    const server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        // A request whose client gave up before the fake read it is lost on the way: in one
        // busy process it can be read long after the client's timeout, later than the lookup
        // that followed it (virtual time does not wait for it). Processed-but-unanswered
        // requests are the `timeout` fault's stored-then-hung case.
        if (req.socket.destroyed) {
          fake!.stats.lostInTransit++;
          return;
        }
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
        const token = req.headers.authorization?.replace(/^Bearer /, '');
        const call: ApiCall = { method, args: parseBody(body, req.headers['content-type']), token, workspace: fake!.workspaceOf(token), at: fake!.now() };
        fake!.answer(res, fake!.handle(call));
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlackApi(server, `http://127.0.0.1:${port}/api/`, options);
    return fake;
  }

  /** The next call to `method` answers `{ ok: false, error, ...extra }` (e.g. `needed` for missing_scope). */
  failNext(method: string, error: string, extra: SlackBody = {}): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), { error, extra }]);
  }

  /** The next call to `method` is rate limited: 429 with `Retry-After: retryAfterSec`. */
  rateLimitNext(method: string, retryAfterSec: number): void {
    this.failNext(method, `429:${retryAfterSec}`);
  }

  /** From now on (the fake's clock) and for `ms`, every call is answered HTTP 500 `internal_error`. */
  outage(ms: number): void {
    this.outageUntil = this.now() + ms;
  }

  /** From now on and for `ms`, every call with `workspace`'s token is refused with `error` (auth.test too). */
  refuseToken(workspace: string, ms: number, error = 'invalid_auth'): void {
    this.refusals.set(workspace, { until: this.now() + ms, error });
  }

  /** Every call about channel "TEAM/CHANNEL" answers `{ ok: false, error }` (null: heals it). */
  failChannel(channel: string, error: string | null): void {
    if (error) this.channelErrors.set(channel, error);
    else this.channelErrors.delete(channel);
  }

  /** Changes the random faults from now on (null: none). */
  setFaults(faults: SlackFaultOptions | null): void {
    this.faults = faults;
    this.faultMethods = new Set(faults?.methods ?? DELIVERY_METHODS);
  }

  /** The scopes auth.test reports for `workspace` from now on. */
  setScopes(workspace: string, scopes: readonly string[]): void {
    this.scopes.set(workspace, scopes);
  }

  /** Calls to `method`, in order. */
  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * The first call (already made or coming) to `method` that matches. Rejects after a
   * generous delay so a missing call fails the test with the list of calls seen, not a hang.
   */
  waitFor(method: string, match: (call: ApiCall) => boolean = () => true, after = 0): Promise<ApiCall> {
    const test = (c: ApiCall) => c.method === method && match(c);
    const seen = this.calls.slice(after).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${method} call came; calls seen: ${this.calls.map((c) => c.method).join(', ')}`));
      }, 10_000);
      const waiter: Waiter = {
        match: test,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private workspaceOf(token: string | undefined): string {
    return (token && this.teams.get(token)) ?? FAKE_TEAM.id;
  }

  private answer(res: ServerResponse, a: Answer): void {
    if (a.hang) {
      // Never answer within the client's timeout; then drop the connection.
      setTimeout(() => res.destroy(), this.options.hangMs ?? 2000).unref();
      return;
    }
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body ? JSON.stringify(a.body) : '');
  }

  private handle(call: ApiCall): Answer {
    this.stats.requests++;
    this.calls.push(call);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(call)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(call);
      }
    }
    const ok = (body: SlackBody): Answer => ({ status: 200, body });
    if (call.at < this.outageUntil) {
      this.stats.outage500++;
      return { status: 500, body: { ok: false, error: 'internal_error' } };
    }
    const refusal = this.refusals.get(call.workspace);
    if (refusal && call.at < refusal.until) {
      this.stats.refused++;
      return ok({ ok: false, error: refusal.error });
    }
    const failing = this.failures.get(call.method);
    if (failing && failing.length > 0) {
      const { error, extra } = failing.shift()!;
      const limited = /^429:(\d+)$/.exec(error);
      if (limited) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': limited[1]! } };
      return ok({ ok: false, error, ...extra });
    }
    if (this.revoked.has(call.workspace)) return ok({ ok: false, error: 'token_revoked' });
    if (call.method === 'auth.test') return { ...ok(this.other(call)), headers: { 'x-oauth-scopes': (this.scopes.get(call.workspace) ?? this.options.scopes ?? FAKE_SCOPES).join(',') } };
    if (!DELIVERY_METHODS.has(call.method)) return ok(this.other(call));

    const channel = String(call.args.channel ?? '');
    const wait = this.limiter?.check(call.method, call.workspace, channel) ?? 0;
    if (wait > 0) {
      this.stats.rateLimited++;
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(Math.ceil(wait / 1000)) } };
    }
    const failingChannel = this.channelErrors.get(`${call.workspace}/${channel}`);
    if (failingChannel) return ok({ ok: false, error: failingChannel });
    const broken = this.broken.get(`${call.workspace}/${channel}`);
    if (broken && !(broken === 'is_archived' && !MUTATING.has(call.method))) return ok({ ok: false, error: broken });
    const fault = this.faultMethods.has(call.method) ? this.fault() : null;
    if (fault === '429') {
      this.stats.injected429++;
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(this.options.injectedRetryAfterSec ?? 1) } };
    }
    if (fault === '500') {
      this.stats.injected500++;
      return { status: 500, body: { ok: false, error: 'internal_error' } };
    }
    if (fault === 'timeout') {
      this.stats.injectedTimeouts++;
      if (MUTATING.has(call.method) && this.random() < 0.5) {
        const done = this.delivery(call);
        if (done.ok) this.stats.storedThenHung++;
      }
      return { status: 0, body: null, hang: true };
    }
    return ok(this.delivery(call));
  }

  private delivery(call: ApiCall): SlackBody {
    switch (call.method) {
      case 'chat.postMessage':
        return this.conversations.post(call.workspace, call.args);
      case 'chat.update':
        return this.conversations.update(call.workspace, call.args);
      case 'conversations.history':
        return this.conversations.history(call.workspace, call.args);
      default:
        return this.conversations.replies(call.workspace, call.args);
    }
  }

  private other(call: ApiCall): SlackBody {
    const a = call.args;
    switch (call.method) {
      case 'auth.test':
        return { ok: true, url: 'https://school.slack.test/', team: 'École test', team_id: call.workspace, user: 'vigie', user_id: FAKE_TEAM.botUserId, bot_id: FAKE_TEAM.botId };
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'no_socket' };
      case 'users.info': {
        const id = String(a.user);
        const user = this.users.get(id);
        if (!user) return { ok: false, error: 'user_not_found' };
        const { locale, ...roles } = user;
        const withLocale = a.include_locale === true || a.include_locale === 'true';
        return { ok: true, user: { id, is_admin: false, is_owner: false, is_primary_owner: false, ...roles, ...(withLocale && locale ? { locale } : {}) } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${1_584_435_600 + this.calls.length}.000200` };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return { ok: true, view: { ...(a.view as object), id: `V${this.calls.length}`, hash: `h${this.calls.length}` } };
      default:
        return { ok: true };
    }
  }

  private fault(): '429' | '500' | 'timeout' | null {
    const faults = this.faults;
    if (!faults || faults.rate <= 0) return null;
    if (this.random() >= faults.rate) return null;
    const kinds = faults.kinds ?? ['429', '500', 'timeout'];
    return kinds[Math.floor(this.random() * kinds.length)] ?? null;
  }
}

/** Options of `startFakeSlack`. */
export interface StartFakeSlackOptions extends Omit<FakeSlackOptions, 'limits'> {
  /** Workspaces (team ids), each with its own token (`tokenOf`). */
  workspaces: Iterable<string>;
  /** Refill speed-up of the documented limits (default 1); ignored when `limits` is given. */
  scale?: number;
  /** Limits to enforce (default: Slack's documented ones, see limits.ts); null = none. */
  limits?: SlackFakeLimits | null;
}

/**
 * A fake Slack for the fan-out bench and delivery tests: Slack's documented limits on
 * (chat.postMessage 1/s per channel, 50 burst then 50/min per workspace; Tier 3 50/min per
 * workspace and method; refills × `scale`), faults off unless asked for.
 */
export async function startFakeSlack(options: StartFakeSlackOptions): Promise<FakeSlackApi> {
  const { scale, limits, ...rest } = options;
  const chosen = limits === null ? undefined : (limits ?? slackLimits(scale ?? 1));
  return FakeSlackApi.start({ ...rest, ...(chosen ? { limits: chosen } : {}) });
}
