/**
 * A fake Slack Web API on 127.0.0.1 for bolt's WebClient (`clientOptions.slackApiUrl`).
 * It records every call (method, arguments, token) and answers like Slack does; a method
 * can be told to fail its next call with a Slack error code.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded Web API call. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
}

/** Identity the fake reports from auth.test. */
export const FAKE_TEAM = { id: 'T0SCHOOL', botUserId: 'UVIGIEBOT', botId: 'BVIGIE' } as const;

interface Waiter {
  match: (call: ApiCall) => boolean;
  resolve: (call: ApiCall) => void;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The WebClient JSON-encodes object arguments (blocks, view) inside form bodies.
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

/** The fake Web API server. */
export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  /** Where apps.connections.open sends Socket Mode clients. */
  socketUrl: string | null = null;
  private readonly failures = new Map<string, string[]>();
  private waiters: Waiter[] = [];
  private ts = 1_584_435_600;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly locales: Record<string, string>,
  ) {}

  /** Starts on a free port of 127.0.0.1. `locales` maps user ids to their Slack locale. */
  static async start(options: { locales?: Record<string, string> } = {}): Promise<FakeSlackApi> {
    let fake: FakeSlackApi | null = null;
    const server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
        const auth = req.headers.authorization;
        const call: ApiCall = { method, args: parseBody(body, req.headers['content-type']), token: auth?.replace(/^Bearer /, '') };
        const result = fake!.handle(call);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result));
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlackApi(server, `http://127.0.0.1:${port}/api/`, options.locales ?? {});
    return fake;
  }

  /** The next call to `method` answers `{ ok: false, error }`. */
  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
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

  private handle(call: ApiCall): Record<string, unknown> {
    this.calls.push(call);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(call)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(call);
      }
    }
    const failing = this.failures.get(call.method);
    if (failing && failing.length > 0) return { ok: false, error: failing.shift() };
    const a = call.args;
    switch (call.method) {
      case 'auth.test':
        return { ok: true, url: 'https://school.slack.test/', team: 'École test', team_id: FAKE_TEAM.id, user: 'vigie', user_id: FAKE_TEAM.botUserId, bot_id: FAKE_TEAM.botId };
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'no_socket' };
      case 'users.info': {
        const user = String(a.user);
        const locale = this.locales[user];
        return locale ? { ok: true, user: { id: user, locale } } : { ok: false, error: 'user_not_found' };
      }
      case 'chat.postMessage':
        return { ok: true, channel: a.channel, ts: `${this.ts++}.000100`, message: { text: a.text } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${this.ts++}.000200` };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return { ok: true, view: { ...(a.view as object), id: `V${this.ts++}`, hash: `h${this.ts}` } };
      default:
        return { ok: true };
    }
  }
}
