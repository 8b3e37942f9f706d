/**
 * A local fake Discord on 127.0.0.1 for the real discord.js Client: REST under /api/v10
 * (gateway info, interaction callbacks, webhook edits and follow-ups, channel messages,
 * command registration) and a gateway speaking HELLO, heartbeat ACK, IDENTIFY → READY +
 * GUILD_CREATE, RESUME → RESUMED. Every REST request is recorded for assertions.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createWorld, guild, message, ready, snowflake, type World } from './payloads.js';

/** A REST request the fake received. */
export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, without the query string. */
  path: string;
  query: string;
  body: Record<string, unknown> | unknown[] | null;
  authorization: string | undefined;
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

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
  ) {
    super();
    this.world = createWorld();
  }

  /** Starts the fake on a free port of 127.0.0.1. */
  static async start(): Promise<FakeDiscord> {
    const server = createServer();
    const wss = new WebSocketServer({ server, path: '/gateway' });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const fake = new FakeDiscord(server, wss, (server.address() as AddressInfo).port);
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

  /** Sends a dispatch (op 0) to the connected client. */
  dispatch(t: string, d: unknown): void {
    if (!this.socket) throw new Error('no gateway connection');
    this.socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  /** Dispatches an interaction; returns it so tests can wait for its answer. */
  interact<T extends Record<string, unknown>>(payload: T): T & { id: string; token: string } {
    this.channels.set(String(payload.token), String(payload.channel_id ?? this.world.channelId));
    this.dispatch('INTERACTION_CREATE', payload);
    return payload as T & { id: string; token: string };
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

  /** The edit of an interaction's original response (after a defer). */
  original(interaction: { token: string }): Promise<RecordedRequest> {
    return this.waitForRequest((r) => r.method === 'PATCH' && r.path === `/webhooks/${this.world.appId}/${interaction.token}/messages/@original`);
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
    const request: RecordedRequest = { method: req.method ?? 'GET', path, query: url.search, body, authorization: req.headers.authorization };
    this.requests.push(request);
    const reply = (status: number, data?: unknown) => {
      if (data === undefined) res.writeHead(status).end();
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
    };
    const route = this.route(request);
    reply(route.status, route.data);
    for (const waiter of this.waiters.filter((w) => w.match(request))) waiter.resolve(request);
    this.waiters = this.waiters.filter((w) => !w.match(request));
  }

  private route(r: RecordedRequest): { status: number; data?: unknown } {
    const { appId } = this.world;
    const bodyOf = (r.body ?? {}) as Record<string, unknown>;
    const botMessage = (channelId: string) => ({ status: 200, data: message({ ...this.world, channelId }, String(bodyOf.content ?? ''), this.world.botUser, { ...bodyOf, application_id: appId, webhook_id: appId }) });
    if (r.method === 'GET' && r.path === '/gateway/bot') {
      return { status: 200, data: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } } };
    }
    if (r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(r.path)) return { status: 204 };
    let m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(r.path);
    if (m && m[1] === appId && (r.method === 'PATCH' || r.method === 'POST')) return botMessage(this.channels.get(m[2]!) ?? this.world.channelId);
    m = /^\/channels\/(\d+)\/messages$/.exec(r.path);
    if (m && r.method === 'POST') return botMessage(m[1]!);
    if (r.method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(r.path) && Array.isArray(r.body)) {
      this.registered.set(r.path, r.body);
      return { status: 200, data: r.body.map((c) => ({ ...(c as object), id: snowflake(), application_id: appId, version: snowflake() })) };
    }
    return { status: 404, data: { message: 'Unknown route (fake Discord)', code: 0 } };
  }
}
