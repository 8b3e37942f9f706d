/**
 * A fake Socket Mode server on 127.0.0.1: greets each client with `hello`, sends envelopes
 * (slash commands, events, interactivity) and records the client's acks.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** An ack as the client sent it. */
export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/** Envelope types Slack sends over Socket Mode. */
export type EnvelopeType = 'slash_commands' | 'events_api' | 'interactive';

/** The fake Socket Mode server. */
export class FakeSocketMode {
  readonly acks: Ack[] = [];
  private client: WebSocket | null = null;
  private connectedWaiters: (() => void)[] = [];
  private readonly ackWaiters = new Map<string, (ack: Ack) => void>();

  private constructor(
    private readonly server: WebSocketServer,
    readonly url: string,
  ) {
    server.on('connection', (ws) => {
      this.client = ws;
      ws.on('message', (data) => {
        const ack = JSON.parse(String(data)) as Ack;
        this.acks.push(ack);
        this.ackWaiters.get(ack.envelope_id)?.(ack);
        this.ackWaiters.delete(ack.envelope_id);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'AVIGIE' } }));
      for (const resolve of this.connectedWaiters.splice(0)) resolve();
    });
  }

  /** Starts on a free port of 127.0.0.1. */
  static async start(): Promise<FakeSocketMode> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    // Shaped like Slack's: the ticket in the query is a credential for this one connection.
    return new FakeSocketMode(server, `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}&app_id=AVIGIE`);
  }

  /** Resolves once a client is connected. */
  connected(): Promise<void> {
    if (this.client) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /**
   * Sends an envelope and resolves with the client's ack. Rejects when none comes within
   * `timeoutMs` (a safety net so a missing ack fails a test instead of hanging it; Slack
   * itself gives up after 3 s).
   */
  send(type: EnvelopeType, payload: Record<string, unknown>, timeoutMs = 10_000): Promise<Ack> {
    if (!this.client) throw new Error('no Socket Mode client connected');
    const envelopeId = randomUUID();
    const acked = new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.ackWaiters.delete(envelopeId);
        reject(new Error(`no ack for a ${type} envelope`));
      }, timeoutMs);
      timer.unref();
      this.ackWaiters.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    this.client.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }));
    return acked;
  }

  async close(): Promise<void> {
    for (const ws of this.server.clients) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
