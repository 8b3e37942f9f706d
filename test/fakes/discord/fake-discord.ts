/**
 * A local fake Discord on 127.0.0.1 for the real discord.js Client: REST under /api/v10
 * (gateway info, interaction callbacks, webhook edits and follow-ups, channel messages,
 * command registration) and a gateway speaking HELLO, heartbeat ACK, IDENTIFY → READY +
 * GUILD_CREATE, RESUME → RESUMED. Every REST request is recorded for assertions.
 *
 * Channel messages (POST /channels/:id/messages, PATCH /channels/:id/messages/:mid, GET
 * /channels/:id/messages) are stored and listed (channel-messages.ts: nonce + enforce_nonce,
 * replies, history, 10003/50001/50013 channels), rate-limited as Discord does (rate-limits.ts:
 * 50 requests/s per bot, 5 per 5 s per channel route, with X-RateLimit-* headers; interaction
 * and webhook routes are exempt, as on Discord) and, on request, hit by seeded faults (429s,
 * 500s and timeouts, half of which store the message before hanging) or scripted ones
 * (scripted-faults.ts: rate limits with a given Retry-After, outages, timeouts, 401s, 403s).
 *
 * Time: the nonce window, scripted faults and message ids follow `now` (an injectable clock,
 * epoch ms; default the wall clock), so a test in virtual time can pass hours of it. The rate
 * limiter keeps real time, as @discordjs/rest paces itself on real time: tests in virtual
 * time turn it off (`limits: null`) and script the limits they need.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { seededRandom } from '../../../src/base/prng.js';
import { ChannelMessages, type ChannelFaults, type FakeAnswer, type StoredMessage } from './channel-messages.js';
import { ScriptedFaults, type ScriptedFault } from './scripted-faults.js';
import { createWorld, guild, message, ready, snowflake, user, type World } from './payloads.js';
import { DISCORD_LIMITS, DiscordLimiter, type DiscordLimits } from './rate-limits.js';
import { callbackProblems, invalidFormBody, messageProblems } from './validate-body.js';

/** Seeded faults on channel routes: each request has `rate` chance of one, drawn among `kinds`. */
export interface DiscordFaults {
  rate: number;
  seed: number;
  kinds?: ('429' | '500' | 'timeout')[];
  /** retry_after of an injected 429, in seconds (default 0.05; its Retry-After header is rounded up like Discord's). */
  retryAfterSec?: number;
}

/** How the fake behaves. */
export interface FakeDiscordOptions {
  /** Rate limits (default DISCORD_LIMITS: 50/s per bot, 5 per 5 s per channel route); null = none. */
  limits?: DiscordLimits | null;
  faults?: DiscordFaults;
  /** How long a "timeout" holds the request before dropping it (longer than the client's timeout; default 2000). */
  hangMs?: number;
  /** Channels answering 10003 / 50001 / 50013. */
  channels?: ChannelFaults;
  /** How long a nonce is remembered with enforce_nonce (default 5 minutes), on `now`. */
  nonceWindowMs?: number;
  /** The fake's clock, epoch ms (default Date.now): nonce window, scripted faults, message ids. */
  now?: () => number;
  /** Refuse bodies Discord would refuse (50035), default true; benches turn it off to time the bot, not the fake. */
  validateBodies?: boolean;
}

/** Counts the tests and the bench read. */
export interface FakeDiscordStats {
  /** Requests on channel routes. */
  channelRequests: number;
  /** 429s because a limit was really exceeded (route or global). */
  rateLimited: number;
  globalRateLimited: number;
  injected429: number;
  injected500: number;
  injectedTimeouts: number;
  /** Timeouts where the message was stored (or edited) before the request hung. */
  storedThenHung: number;
  /** Requests answered by a scripted fault (`script`). */
  scripted: number;
  /** Scripted 500s that stored the message first. */
  storedThen500: number;
}

/** A REST request the fake received. */
export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, without the query string. */
  path: string;
  query: string;
  body: Record<string, unknown> | unknown[] | null;
  authorization: string | undefined;
  /** The status the fake answered with (unset while the request hangs). */
  status?: number;
  /** When it arrived, on the fake's clock (epoch ms). */
  at: number;
}

type Matcher = (r: RecordedRequest) => boolean;

/** The fake Discord. */
export class FakeDiscord extends EventEmitter {
  readonly world: World;
  readonly requests: RecordedRequest[] = [];
  readonly identifies: { intents: number; token: string }[] = [];
  readonly resumes: { session_id: string; seq: number }[] = [];
  /** Commands registered through PUT, by route. */
  readonly registered = new Map<string, unknown[]>();
  private socket: WebSocket | null = null;
  private seq = 0;
  private readonly sessionId = `session_${snowflake()}`;
  private readonly channels = new Map<string, string>();
  private waiters: { match: Matcher; resolve: (r: RecordedRequest) => void }[] = [];
  /** Messages posted in channels. */
  readonly channelMessages: ChannelMessages;
  readonly stats: FakeDiscordStats = { channelRequests: 0, rateLimited: 0, globalRateLimited: 0, injected429: 0, injected500: 0, injectedTimeouts: 0, storedThenHung: 0, scripted: 0, storedThen500: 0 };
  /** Faults scripted by the test (see `script`). */
  readonly scripted: ScriptedFaults;
  /** The fake's clock, epoch ms. */
  readonly now: () => number;
  private readonly limiter: DiscordLimiter | null;
  private readonly random: () => number;
  private readonly started = performance.now();

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
    private readonly options: FakeDiscordOptions,
  ) {
    super();
    this.world = createWorld();
    this.now = options.now ?? Date.now;
    this.channelMessages = new ChannelMessages(options.channels, options.nonceWindowMs);
    this.scripted = new ScriptedFaults(this.now);
    const limits = options.limits === undefined ? DISCORD_LIMITS : options.limits;
    this.limiter = limits ? new DiscordLimiter(limits) : null;
    this.random = seededRandom(options.faults?.seed ?? 1);
  }

  /** Starts the fake on a free port of 127.0.0.1. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const wss = new WebSocketServer({ server, path: '/gateway' });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const fake = new FakeDiscord(server, wss, (server.address() as AddressInfo).port, options);
    server.on('request', (req, res) => void fake.onRequest(req, res));
    wss.on('connection', (socket) => fake.onConnection(socket));
    return fake;
  }

  /** The REST base URL to give discord.js (`rest.api`, DISCORD_API_URL). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /**
   * Where dispatches go instead of the gateway's WebSocket, once a test rig set it: straight
   * into the client in this process (see test/adapters/discord/harness.ts). The connection
   * itself (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats) always goes over the WebSocket.
   */
  inProcess: ((packet: { op: 0; t: string; s: number; d: unknown }) => void) | null = null;
  /** The types of the dispatches sent over the gateway's WebSocket, in order ("READY", "GUILD_CREATE"…). */
  readonly socketDispatches: string[] = [];

  /** Sends a dispatch (op 0) to the connected client. */
  dispatch(t: string, d: unknown): void {
    if (!this.socket) throw new Error('no gateway connection');
    if (t === 'MESSAGE_CREATE') this.channelMessages.external.add(String((d as { id?: unknown }).id));
    const packet = { op: 0 as const, t, s: ++this.seq, d };
    // The connection's own dispatches always travel over the socket: the shard's handshake reads them.
    const push = t === 'READY' || t === 'RESUMED' || t === 'GUILD_CREATE' ? null : this.inProcess;
    // Later, as a packet off the socket would be: never inside the test's own call.
    if (push) setImmediate(() => push(packet));
    else {
      this.socketDispatches.push(t);
      this.socket.send(JSON.stringify(packet));
    }
  }

  /** Dispatches an interaction; returns it so tests can wait for its answer. */
  interact<T extends Record<string, unknown>>(payload: T): T & { id: string; token: string } {
    this.channels.set(String(payload.token), String(payload.channel_id ?? this.world.channelId));
    this.dispatch('INTERACTION_CREATE', payload);
    return payload as T & { id: string; token: string };
  }

  /**
   * Scripts a fault (a rate limit, an outage, 401s, 403s) from now on the fake's clock, for
   * `forMs` or `times` requests; returns a function that ends it.
   */
  script(fault: ScriptedFault): () => void {
    return this.scripted.add(fault);
  }

  /** A person's message in a channel, at the fake's time. */
  postAsUser(channelId: string, content = 'bonjour'): StoredMessage {
    return this.channelMessages.postAsUser(channelId, content, this.now());
  }

  /** Closes the gateway connection with `code` (4000: unknown error, which clients resume). */
  disconnect(code = 4000): void {
    this.socket?.close(code, 'fake disconnect');
  }

  /** The first recorded request matching, now or when it arrives. */
  waitForRequest(match: Matcher): Promise<RecordedRequest> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** The interaction callback (reply, defer, modal, autocomplete) of an interaction. */
  callback(interaction: { id: string }): Promise<RecordedRequest> {
    return this.waitForRequest((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${interaction.id}/`));
  }

  /**
   * The message an interaction was answered with: the callback's data for a direct reply or
   * update (types 4, 7), or the edit of the original response after a deferral (types 5, 6).
   */
  async answer(interaction: { id: string; token: string }): Promise<{ callback: RecordedRequest; message: Record<string, unknown> }> {
    const callback = await this.callback(interaction);
    const body = (callback.body ?? {}) as { type?: number; data?: Record<string, unknown> };
    if (body.type === 5 || body.type === 6) return { callback, message: ((await this.original(interaction)).body ?? {}) as Record<string, unknown> };
    return { callback, message: body.data ?? {} };
  }

  /** The edit of an interaction's original response (after a defer). */
  original(interaction: { token: string }): Promise<RecordedRequest> {
    return this.waitForRequest((r) => r.method === 'PATCH' && r.path === `/webhooks/${this.world.appId}/${interaction.token}/messages/@original`);
  }

  /** Requests the fake refused as Discord would (400 Invalid Form Body): a test expects none. */
  invalidBodies(): RecordedRequest[] {
    return this.requests.filter((r) => r.status === 400);
  }

  /** Requests that carry a message (the ones allowed_mentions applies to). */
  messageRequests(): RecordedRequest[] {
    return this.requests.filter((r) => /\/(callback|messages|messages\/@original)$|^\/webhooks\/\d+\/[^/]+$/.test(r.path) && r.method !== 'GET');
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: WebSocket): void {
    this.socket = socket;
    const send = (payload: unknown) => socket.send(JSON.stringify(payload));
    // A long interval: the first heartbeat is jittered over it, tests never wait for one.
    send({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null });
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      if (payload.op === 1) send({ op: 11, d: null, s: null, t: null });
      else if (payload.op === 2) {
        this.identifies.push({ intents: Number(payload.d.intents), token: String(payload.d.token) });
        this.dispatch('READY', ready(this.world, this.sessionId, this.gatewayUrl));
        this.dispatch('GUILD_CREATE', guild(this.world));
        this.emit('identified');
      } else if (payload.op === 6) {
        this.resumes.push({ session_id: String(payload.d.session_id), seq: Number(payload.d.seq) });
        this.dispatch('RESUMED', {});
        this.emit('resumed');
      }
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    let body: RecordedRequest['body'] = null;
    try {
      body = raw ? (JSON.parse(raw) as RecordedRequest['body']) : null;
    } catch {
      body = null;
    }
    const request: RecordedRequest = { method: req.method ?? 'GET', path, query: url.search, body, authorization: req.headers.authorization, at: this.now() };
    this.requests.push(request);
    const reply = (status: number, data?: unknown, headers: Record<string, string> = {}) => {
      if (data === undefined) res.writeHead(status, headers).end();
      else res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(data));
    };
    const answer = path.startsWith('/channels/') ? this.channelRoute(request) : (this.scriptedAnswer(request) ?? { ...this.route(request), headers: {} });
    if (answer === 'hang') {
      // Never answer within the client's timeout; then drop the connection.
      setTimeout(() => res.destroy(), this.options.hangMs ?? 2000).unref();
    } else {
      request.status = answer.status;
      reply(answer.status, answer.data, answer.headers);
    }
    this.emit('request', request);
    for (const waiter of this.waiters.filter((w) => w.match(request))) waiter.resolve(request);
    this.waiters = this.waiters.filter((w) => !w.match(request));
  }

  /** A scripted fault's answer to a request (storing the message first if it says so), 'hang' for a scripted timeout, or null. */
  private scriptedAnswer(r: RecordedRequest): (FakeAnswer & { headers: Record<string, string> }) | 'hang' | null {
    const scripted = this.scripted.answer(r.method, r.path);
    if (!scripted) return null;
    this.stats.scripted++;
    if (scripted.storeFirst && r.method !== 'GET') {
      if (scripted.hang) this.stats.storedThenHung++;
      else this.stats.storedThen500++;
      this.channelAnswer(r);
    }
    if (scripted.hang) return 'hang';
    return { status: scripted.status, data: scripted.data, headers: scripted.headers };
  }

  /** A channel route: scripted faults, rate limits, then seeded faults, then the channel's own answer. */
  private channelRoute(r: RecordedRequest): (FakeAnswer & { headers: Record<string, string> }) | 'hang' {
    this.stats.channelRequests++;
    const scripted = this.scriptedAnswer(r);
    if (scripted) return scripted;
    const decision = this.limiter?.check(r.method, r.path, performance.now() - this.started);
    if (decision && !decision.ok) {
      this.stats.rateLimited++;
      if (decision.global) this.stats.globalRateLimited++;
      return { status: 429, data: { message: 'You are being rate limited.', retry_after: decision.retryAfterMs / 1000, global: decision.global }, headers: decision.headers };
    }
    const headers = decision?.headers ?? {};
    const fault = this.fault();
    if (fault === '429') {
      this.stats.injected429++;
      const after = this.options.faults?.retryAfterSec ?? 0.05;
      return { status: 429, data: { message: 'You are being rate limited.', retry_after: after, global: false }, headers: { ...headers, 'retry-after': String(Math.ceil(after)), 'x-ratelimit-scope': 'shared' } };
    }
    if (fault === '500') {
      this.stats.injected500++;
      return { status: 500, data: { message: '500: Internal Server Error', code: 0 }, headers };
    }
    if (fault === 'timeout') {
      this.stats.injectedTimeouts++;
      if (r.method !== 'GET' && this.random() < 0.5) {
        this.stats.storedThenHung++;
        this.channelAnswer(r);
      }
      return 'hang';
    }
    return { ...this.channelAnswer(r), headers };
  }

  private channelAnswer(r: RecordedRequest): FakeAnswer {
    const m = /^\/channels\/(\d+)\/messages(?:\/(\d+))?$/.exec(r.path);
    if (!m) return { status: 404, data: { message: '404: Not Found', code: 0 } };
    const channelId = m[1]!;
    const refused = this.channelMessages.refusal(channelId);
    if (refused) return refused;
    const body = (r.body && !Array.isArray(r.body) ? r.body : {}) as Record<string, unknown>;
    const problems = this.options.validateBodies === false || r.method === 'GET' ? [] : messageProblems(body);
    if (problems.length > 0) return invalidFormBody(problems);
    const toPayload = (stored: StoredMessage) => this.messagePayload(stored);
    if (r.method === 'GET' && !m[2]) return this.channelMessages.history(channelId, new URLSearchParams(r.query), toPayload);
    if (r.method === 'POST' && !m[2]) return this.channelMessages.create(channelId, r.authorization ?? '', body, this.now(), toPayload);
    if (r.method === 'PATCH' && m[2]) return this.channelMessages.edit(channelId, m[2], body, toPayload);
    return { status: 405, data: { message: '405: Method Not Allowed', code: 0 } };
  }

  /** A stored message as Discord returns it. */
  private messagePayload(stored: StoredMessage): Record<string, unknown> {
    const { appId } = this.world;
    const timestamp = new Date(stored.createdAt).toISOString();
    if (stored.person) return message({ ...this.world, channelId: stored.channelId }, String(stored.body.content ?? ''), user('Camille'), { id: stored.id, timestamp });
    const extra: Record<string, unknown> = { ...stored.body, id: stored.id, application_id: appId, nonce: stored.nonce, timestamp, edited_timestamp: stored.edits > 0 ? timestamp : null };
    if (stored.replyTo) extra.message_reference = { type: 0, message_id: stored.replyTo, channel_id: stored.channelId };
    else delete extra.message_reference;
    delete extra.enforce_nonce;
    delete extra.allowed_mentions;
    return message({ ...this.world, channelId: stored.channelId }, String(stored.body.content ?? ''), this.world.botUser, extra);
  }

  private fault(): '429' | '500' | 'timeout' | null {
    const faults = this.options.faults;
    if (!faults || faults.rate <= 0 || this.random() >= faults.rate) return null;
    const kinds = faults.kinds ?? ['429', '500', 'timeout'];
    return kinds[Math.floor(this.random() * kinds.length)] ?? null;
  }

  private route(r: RecordedRequest): { status: number; data?: unknown } {
    const { appId } = this.world;
    const bodyOf = (r.body ?? {}) as Record<string, unknown>;
    const botMessage = (channelId: string) => ({ status: 200, data: message({ ...this.world, channelId }, String(bodyOf.content ?? ''), this.world.botUser, { ...bodyOf, application_id: appId, webhook_id: appId }) });
    if (r.method === 'GET' && r.path === '/users/@me') return { status: 200, data: this.world.botUser };
    if (r.method === 'GET' && r.path === '/gateway/bot') {
      return { status: 200, data: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } } };
    }
    if (r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(r.path)) {
      const problems = this.options.validateBodies === false ? [] : callbackProblems(r.body);
      return problems.length > 0 ? invalidFormBody(problems) : { status: 204 };
    }
    let m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(r.path);
    if (m && m[1] === appId && (r.method === 'PATCH' || r.method === 'POST')) {
      const problems = this.options.validateBodies === false ? [] : messageProblems(r.body);
      return problems.length > 0 ? invalidFormBody(problems) : botMessage(this.channels.get(m[2]!) ?? this.world.channelId);
    }
    if (r.method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(r.path) && Array.isArray(r.body)) {
      this.registered.set(r.path, r.body);
      return { status: 200, data: r.body.map((c) => ({ ...(c as object), id: snowflake(), application_id: appId, version: snowflake() })) };
    }
    return { status: 404, data: { message: 'Unknown route (fake Discord)', code: 0 } };
  }
}

/** A token for the fake (it accepts any; the transport needs one). */
export const FAKE_DISCORD_TOKEN = 'fake-token-for-tests.0123456789';

/** Servers and their text channels, as snowflake ids. */
export interface FakeGuild {
  id: string;
  channels: string[];
}

/**
 * Starts a fake Discord with `guilds` servers of `channelsPerGuild` text channels each (only
 * those exist: any other channel is Unknown Channel, 10003), Discord's documented limits
 * (DISCORD_LIMITS: 50 requests/s per bot in fixed one-second windows, 5 messages per 5 s per
 * channel route; `limits` to change them) and no faults unless `faults` is given. For the
 * fan-out bench: give `apiUrl` and FAKE_DISCORD_TOKEN to createDiscordTransport, subscribe the
 * returned channel ids (snowflakes: @discordjs/rest buckets per channel only for those), and
 * count `fake.channelMessages` afterwards. A limit other than 50/s needs the same
 * `globalRequestsPerSecond` on the transport.
 */
export async function startFakeDiscord(options: { guilds: number; channelsPerGuild: number } & FakeDiscordOptions): Promise<{ fake: FakeDiscord; apiUrl: string; guilds: FakeGuild[] }> {
  const { guilds: count, channelsPerGuild, ...rest } = options;
  const fake = await FakeDiscord.start(rest);
  const guilds: FakeGuild[] = [];
  const known = new Set<string>();
  for (let g = 0; g < count; g++) {
    const channels = Array.from({ length: channelsPerGuild }, () => snowflake());
    for (const c of channels) known.add(c);
    guilds.push({ id: snowflake(), channels });
  }
  fake.channelMessages.known = known;
  return { fake, apiUrl: fake.apiUrl, guilds };
}
