/**
 * HTTP mode's front door: every request to the events endpoint is checked before bolt sees
 * it. Its signature must match the signing secret and its timestamp must be within 5
 * minutes of now in either direction (bolt's own check only refuses the past, so a request
 * dated an hour ahead could be replayed for an hour). "Now" comes from an injected clock,
 * and bolt's `verifySlackRequest` is given it too, so no part of the check reads the wall
 * clock behind our back. Accepted requests go on to bolt's HTTPReceiver (its signature check
 * off: it was done here) with their body already read, which bolt supports.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySlackRequest, type BufferedIncomingMessage } from '@slack/bolt';
import type { Logger } from '../../src/index.js';

/** How far a request's timestamp may be from now, either way (Slack's documented 5 minutes). */
export const MAX_CLOCK_SKEW_SEC = 5 * 60;

/** What the front door needs. */
export interface SignedListenerOptions {
  signingSecret: string;
  /** Milliseconds since the epoch (the wall clock in production, a fixed one in tests). */
  now: () => number;
  /** Paths checked (others go to bolt unchecked, which answers them 404). */
  endpoints: readonly string[];
  /** Bolt's HTTPReceiver listener. */
  next: RequestListener;
  logger: Logger;
  /** Largest body accepted (default 1 MiB; Slack's payloads are far smaller). */
  bodyLimit?: number;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/** Whether `timestamp` (seconds, as sent in X-Slack-Request-Timestamp) is within the allowed skew of `nowMs`. */
export function timestampIsFresh(timestamp: string | undefined, nowMs: number): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) <= MAX_CLOCK_SKEW_SEC;
}

/** The checking listener: 401 for a bad signature or a timestamp too far from now, 413 for a huge body. */
export function signedListener(options: SignedListenerOptions): RequestListener {
  const limit = options.bodyLimit ?? 1024 * 1024;
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'POST' || !options.endpoints.includes(path)) {
      options.next(req, res);
      return;
    }
    void (async () => {
      const body = await readBody(req, limit).catch(() => null);
      if (!body) {
        refuse(res, 413);
        return;
      }
      const text = body.toString('utf8');
      const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      // Slack's SSL check is unsigned; bolt answers it, given nothing else of the body.
      if (form && new URLSearchParams(text).get('ssl_check') === '1') {
        forward(req, res, Buffer.from('ssl_check=1'), options.next);
        return;
      }
      const timestamp = header(req, 'x-slack-request-timestamp');
      const signature = header(req, 'x-slack-signature');
      const now = options.now();
      if (!signature || !timestampIsFresh(timestamp, now)) {
        options.logger.warn('slack: request refused', { reason: signature ? 'timestamp more than 5 minutes from now' : 'no signature' });
        refuse(res, 401);
        return;
      }
      try {
        verifySlackRequest({ signingSecret: options.signingSecret, body: text, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) }, nowMilliseconds: now });
      } catch {
        options.logger.warn('slack: request refused', { reason: 'bad signature' });
        refuse(res, 401);
        return;
      }
      forward(req, res, body, options.next);
    })().catch((error: unknown) => {
      options.logger.error('slack: request not handled', { error });
      if (!res.headersSent) refuse(res, 500);
    });
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, next: RequestListener): void {
  // Bolt reads `rawBody` instead of the (already consumed) stream when it is there.
  (req as BufferedIncomingMessage).rawBody = body;
  next(req, res);
}

/** Listens on `port` (0: any free one); resolves with the server and the port it got. */
export async function listen(listener: RequestListener, port: number, host?: string): Promise<{ server: Server; port: number }> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo | string | null;
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

/** Closes the server and any connection still open. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
