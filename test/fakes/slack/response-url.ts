/**
 * A response_url sink on 127.0.0.1: slash commands and buttons carry one of its URLs, and
 * what bolt's `respond()` posts there is recorded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message posted to a response URL. */
export interface Response {
  id: string;
  body: Record<string, unknown>;
}

/** The response_url sink. */
export class ResponseSink {
  readonly responses: Response[] = [];
  private waiters: { id: string; skip: number; resolve: (r: Response) => void }[] = [];
  private next = 0;
  /** Called with every message posted (benches count answers without scanning the list). */
  onResponse: ((response: Response) => void) | null = null;
  /** When false, messages are not kept in `responses` (long benches). */
  keep = true;

  private constructor(
    private readonly server: Server,
    private readonly base: string,
  ) {}

  static async start(): Promise<ResponseSink> {
    let sink: ResponseSink | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = (req.url ?? '').replace(/^\/r\//, '');
        // Benches count answers only: reading them is the fake's cost, not the app's.
        const body = sink!.keep ? (JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>) : {};
        sink!.record({ id, body });
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    sink = new ResponseSink(server, `http://127.0.0.1:${port}/r/`);
    return sink;
  }

  /** A fresh response URL. */
  url(): string {
    return `${this.base}${++this.next}`;
  }

  /** The `n`th message (0 = first) posted to `url`, already there or coming. */
  waitFor(url: string, n = 0): Promise<Response> {
    const id = url.slice(this.base.length);
    const seen = this.responses.filter((r) => r.id === id)[n];
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing posted to response URL ${id} (message ${n})`)), 10_000);
      this.waiters.push({ id, skip: n, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(response: Response): void {
    this.onResponse?.(response);
    if (!this.keep) return;
    this.responses.push(response);
    const count = this.responses.filter((r) => r.id === response.id).length - 1;
    for (const w of [...this.waiters]) {
      if (w.id === response.id && w.skip === count) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(response);
      }
    }
  }
}
