/**
 * A generic fake chat platform on 127.0.0.1: channels receive messages tagged with an
 * idempotency key, messages can be edited and replied to in threads, and the fake enforces
 * rate limits (429 + Retry-After), injects faults from a seeded PRNG (random 429s, 500s and
 * timeouts — some of which store the message before hanging, the nasty case) and reports
 * some channels as deleted or forbidden. It never deduplicates: a resent message shows up
 * twice, so duplicates are counted here, on the platform's side.
 *
 * API: POST /w/:ws/c/:ch/messages {key, text, parent?} → {ref}
 *      PATCH /w/:ws/c/:ch/messages/:ref {text} → {ref}
 *      GET /w/:ws/c/:ch/messages?key=K → {messages: [{ref, key, parent}]}
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LimitSet, type PlatformLimits } from './buckets.js';
import { seededRandom } from '../../../src/base/prng.js';

/** A stored message. */
export interface FakeMessage {
  ref: string;
  key: string;
  workspace: string;
  channel: string;
  parent: string | null;
  text: string;
  edits: number;
}

/** Fault injection: each request has `rate` chance of one fault, drawn among `kinds`. */
export interface FaultOptions {
  rate: number;
  seed: number;
  kinds?: ('429' | '500' | 'timeout')[];
}

/** How the fake behaves. */
export interface FakeOptions {
  limits?: PlatformLimits;
  faults?: FaultOptions;
  /** How long a "timeout" holds the request before dropping the connection (longer than the client's timeout). */
  hangMs?: number;
  /** Channels reported deleted ("ws/ch" → 404 channel_not_found). */
  deletedChannels?: Iterable<string>;
  /** Channels the bot was removed from ("ws/ch" → 403 not_in_channel). */
  forbiddenChannels?: Iterable<string>;
}

/** Counts the tests and the bench read. */
export interface FakeStats {
  requests: number;
  /** 429s because a limit was really exceeded. */
  rateLimited: number;
  injected429: number;
  injected500: number;
  injectedTimeouts: number;
  /** Timeouts where the message was stored before the request hung. */
  storedThenHung: number;
}

/** The fake platform. */
export class GenericFakePlatform {
  readonly messages = new Map<string, FakeMessage>();
  readonly stats: FakeStats = { requests: 0, rateLimited: 0, injected429: 0, injected500: 0, injectedTimeouts: 0, storedThenHung: 0 };
  private readonly server: Server;
  private readonly limits: LimitSet | null;
  private readonly random: () => number;
  private readonly deleted: Set<string>;
  private readonly forbidden: Set<string>;
  private next = 1;
  private readonly started = performance.now();
  /** Requests held (a "timeout" fault) by their x-request-id, and who waits for each to be held. */
  private readonly heldIds = new Set<string>();
  /** Requests held right now (until their connection closes), by x-request-id. */
  private readonly holding = new Set<string>();
  private readonly holdWaiters = new Map<string, () => void>();

  constructor(private readonly options: FakeOptions = {}) {
    this.limits = options.limits ? new LimitSet(options.limits) : null;
    this.random = seededRandom(options.faults?.seed ?? 1);
    this.deleted = new Set(options.deletedChannels ?? []);
    this.forbidden = new Set(options.forbiddenChannels ?? []);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
  }

  /** Listens on 127.0.0.1 and returns the base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Resolves once the request sent with `x-request-id: id` is held by a "timeout" fault (what
   * it does to the messages is done by then), or when `signal` aborts. A client timing out in
   * virtual time starts its timeout from there, so a request it gave up on never reaches the
   * fake after it looked for the message.
   */
  held(id: string, signal: AbortSignal): Promise<void> {
    if (this.heldIds.delete(id) || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.holdWaiters.delete(id);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.holdWaiters.set(id, done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Whether the request sent with `x-request-id: id` is held right now (a "timeout" fault). */
  isHeld(id: string): boolean {
    return this.holding.has(id);
  }

  /** Messages grouped by idempotency key. */
  byKey(): Map<string, FakeMessage[]> {
    const out = new Map<string, FakeMessage[]>();
    for (const m of this.messages.values()) {
      const list = out.get(m.key);
      if (list) list.push(m);
      else out.set(m.key, [m]);
    }
    return out;
  }

  /** Messages of a channel ("ws/ch"), in arrival order. */
  channel(ws: string, ch: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.workspace === ws && m.channel === ch);
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    this.stats.requests++;
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/w\/([^/]*)\/c\/([^/]+)\/messages(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return send(res, 404, { error: 'unknown_route' });
    const ws = decodeURIComponent(m[1]!);
    const ch = decodeURIComponent(m[2]!);
    const ref = m[3] ? decodeURIComponent(m[3]) : null;
    if (this.limits) {
      const wait = this.limits.tryTake(ws, ch, performance.now() - this.started);
      if (wait > 0) {
        this.stats.rateLimited++;
        return send(res, 429, { error: 'rate_limited', retry_after_ms: wait }, { 'retry-after': (wait / 1000).toFixed(3) });
      }
    }
    if (this.deleted.has(`${ws}/${ch}`)) return send(res, 404, { error: 'channel_not_found' });
    if (this.forbidden.has(`${ws}/${ch}`)) return send(res, 403, { error: 'not_in_channel' });
    const fault = this.fault();
    if (fault === '429') {
      this.stats.injected429++;
      return send(res, 429, { error: 'rate_limited', retry_after_ms: 50 }, { 'retry-after': '0.05' });
    }
    if (fault === '500') {
      this.stats.injected500++;
      return send(res, 500, { error: 'internal_error' });
    }
    let input: { key?: string; text?: string; parent?: string } = {};
    try {
      input = body ? (JSON.parse(body) as typeof input) : {};
    } catch {
      return send(res, 400, { error: 'invalid_json' });
    }
    let result: { status: number; body: unknown };
    if (fault === 'timeout' && req.method !== 'GET' && this.random() < 0.5) {
      this.stats.storedThenHung++;
      this.apply(req.method, ws, ch, ref, input, url);
      result = { status: 0, body: null };
    } else if (fault === 'timeout') {
      result = { status: 0, body: null };
    } else {
      result = this.apply(req.method, ws, ch, ref, input, url);
    }
    if (fault === 'timeout') {
      this.stats.injectedTimeouts++;
      // Never answer within the client's timeout; then drop the connection.
      setTimeout(() => res.destroy(), this.options.hangMs ?? 2000).unref();
      const id = req.headers['x-request-id'];
      if (typeof id === 'string') {
        this.holding.add(id);
        res.once('close', () => this.holding.delete(id));
        const waiter = this.holdWaiters.get(id);
        if (waiter) waiter();
        else this.heldIds.add(id);
      }
      return;
    }
    send(res, result.status, result.body);
  }

  private apply(method: string | undefined, ws: string, ch: string, ref: string | null, input: { key?: string; text?: string; parent?: string }, url: URL): { status: number; body: unknown } {
    if (method === 'POST' && !ref) {
      if (!input.key || typeof input.text !== 'string') return { status: 400, body: { error: 'invalid_arguments' } };
      if (input.parent) {
        const parent = this.messages.get(input.parent);
        if (!parent || parent.workspace !== ws || parent.channel !== ch) return { status: 404, body: { error: 'thread_not_found' } };
      }
      const message: FakeMessage = { ref: `m${this.next++}`, key: input.key, workspace: ws, channel: ch, parent: input.parent ?? null, text: input.text, edits: 0 };
      this.messages.set(message.ref, message);
      return { status: 200, body: { ref: message.ref } };
    }
    if (method === 'PATCH' && ref) {
      const message = this.messages.get(ref);
      if (!message || message.workspace !== ws || message.channel !== ch) return { status: 404, body: { error: 'message_not_found' } };
      if (typeof input.text !== 'string') return { status: 400, body: { error: 'invalid_arguments' } };
      message.text = input.text;
      message.edits++;
      return { status: 200, body: { ref } };
    }
    if (method === 'GET' && !ref) {
      const key = url.searchParams.get('key');
      const found = [...this.messages.values()].filter((m) => m.workspace === ws && m.channel === ch && (key === null || m.key === key));
      return { status: 200, body: { messages: found.map((m) => ({ ref: m.ref, key: m.key, parent: m.parent })) } };
    }
    return { status: 405, body: { error: 'method_not_allowed' } };
  }

  private fault(): '429' | '500' | 'timeout' | null {
    const faults = this.options.faults;
    if (!faults || faults.rate <= 0) return null;
    if (this.random() >= faults.rate) return null;
    const kinds = faults.kinds ?? ['429', '500', 'timeout'];
    return kinds[Math.floor(this.random() * kinds.length)] ?? null;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
