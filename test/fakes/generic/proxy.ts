/**
 * An HTTP proxy on 127.0.0.1 put between the bot and a platform fake, to make the platform
 * hang, fail or become unreachable on demand without changing the fake: requests that match
 * are held forever ("hang", until the proxy closes), have their connection destroyed at once
 * ("refuse") or after the platform handled them ("lose-answer"), or get a made-up answer
 * (an outage's 500, a revoked token); the others are forwarded. Every request is recorded with its
 * arrival time, so a test can count what the bot sent after a given moment.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with a matching request: pass it on, hold it forever, drop the
 * connection at once, or pass it on and then drop the connection instead of answering (the
 * platform did it, the bot never hears: the nasty case).
 */
export type ProxyMode = 'forward' | 'hang' | 'refuse' | 'lose-answer';

/** An answer made up by the proxy instead of the platform's (a 500, a 401, a Slack error). */
export interface ProxyAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** Per request, what to do: a mode, a made-up answer, or null for the current `mode`. */
export type ProxyDecision = (method: string, path: string) => ProxyMode | ProxyAnswer | null;

/** One request the proxy saw. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** performance.now() at arrival. */
  at: number;
  /** Date.now() at arrival, to compare with a child process's log times. */
  wall: number;
  mode: ProxyMode | 'answered';
}

/** The proxy. `affects` says which requests the mode applies to (default: all). */
export class FaultProxy {
  mode: ProxyMode = 'forward';
  /** Decides per request before `mode` applies (scripted faults); null = none. */
  decide: ProxyDecision | null = null;
  readonly requests: ProxiedRequest[] = [];
  private readonly held = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
    private readonly affects: (method: string, path: string) => boolean,
  ) {}

  static async start(target: string, affects: (method: string, path: string) => boolean = () => true): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((req, res) => proxy!.handle(req, res));
    proxy = new FaultProxy(server, new URL(target), affects);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The proxy's base URL, with the target's path (e.g. "http://127.0.0.1:PORT/api/"). */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this.target.pathname}`;
  }

  /** Requests matching `affects` that arrived after `since` (performance.now()). */
  affectedSince(since: number): ProxiedRequest[] {
    return this.requests.filter((r) => r.at >= since && this.affects(r.method, r.path));
  }

  /** Requests held right now. */
  get holding(): number {
    return this.held.size;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const decided = this.affects(method, path) ? (this.decide?.(method, path) ?? this.mode) : 'forward';
    const mode = typeof decided === 'string' ? decided : 'answered';
    this.requests.push({ method, path, at: performance.now(), wall: Date.now(), mode });
    if (typeof decided !== 'string') {
      req.resume();
      res.writeHead(decided.status, { 'content-type': 'application/json', ...decided.headers });
      res.end(decided.body);
      return;
    }
    if (mode === 'refuse') {
      req.socket.destroy();
      return;
    }
    if (mode === 'hang') {
      req.resume();
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    const upstream = httpRequest(
      // A fresh connection upstream each time: a reused one the fake just closed would look like a platform fault.
      { host: this.target.hostname, port: this.target.port, method, path, headers: { ...req.headers, host: this.target.host }, agent: false },
      (answer) => {
        if (mode === 'lose-answer') {
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}
