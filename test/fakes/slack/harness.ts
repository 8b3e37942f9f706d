/**
 * A Slack test rig: the fake Web API, the fake Socket Mode server (or signed HTTP requests, or
 * payloads pushed into the app in-process), a response_url sink, a real SQLite store in a temp
 * dir and the real Slack adapter on bolt. `deliver` sends a payload the way Slack would in the
 * chosen mode and returns the ack.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { createSlackAdapter, parseSlackConfig, type SlackAdapter, type SlackAdapterOptions } from '../../../adapters/slack/index.js';
import { createLogger, createRuntime, FixedClock, type Runtime } from '../../../src/index.js';
import type { loadReferenceData } from '../../../src/index.js';
import type { Scenario } from '../../../src/content/schemas.js';
import type { Understander } from '../../../src/understand/index.js';
import { FakeSocketMode } from './socket-mode.js';
import { InProcessReceiver } from './in-process-receiver.js';
import { ResponseSink } from './response-url.js';
import { FakeSlackApi, type FakeSlackOptions } from './web-api.js';

/** Test secrets (shaped like real ones, so a leak would be visible in logs). */
export const SECRETS = {
  bot: 'xoxb-1111-2222-testbottokensecret',
  app: 'xapp-1-A111-333-testapptokensecret',
  signing: '8f742231b10e8888abcd99eeeeee85a5',
} as const;

/** Options of the rig. */
export interface RigOptions {
  /**
   * How Slack's payloads reach the app: the real Socket Mode client over the fake's WebSocket,
   * signed HTTP requests to the adapter's endpoint, or `in-process` (InProcessReceiver: straight
   * into bolt's App, for tests of what the bot does rather than how payloads travel).
   */
  mode: 'socket' | 'http' | 'in-process';
  /** A reader of questions other than the shipped one. */
  understander?: Understander;
  reference: ReturnType<typeof loadReferenceData>;
  /** Replay this scenario; without one, incidents come from the store (admin tests). */
  scenario?: Scenario;
  at?: Date;
  admins?: string[];
  /** VIGIE_SLACK_SUBSCRIBERS. */
  subscribers?: string[];
  locales?: Record<string, string>;
  /** Extra adapter options (e.g. a faster progress refresh). */
  adapter?: Pick<SlackAdapterOptions, 'progress' | 'users'>;
  /** Extra fake Web API options (users and roles, limits, faults, broken channels). */
  api?: Omit<FakeSlackOptions, 'locales'>;
  /** Store URL (default: a SQLite file in a temp dir). */
  storeUrl?: string;
}

/** What `deliver` got back: the HTTP status (200 over Socket Mode) and the ack's body. */
export interface Delivered {
  status: number;
  body: Record<string, unknown> | null;
}

/** The running rig. */
export interface Rig {
  api: FakeSlackApi;
  socket: FakeSocketMode | null;
  sink: ResponseSink;
  runtime: Runtime;
  adapter: SlackAdapter;
  clock: FixedClock;
  logs: string[];
  deliver(kind: 'command' | 'event' | 'interactive', payload: Record<string, unknown>): Promise<Delivered>;
  close(): Promise<void>;
}

/** Signs and posts a body to the adapter's HTTP endpoint, dated `timestamp` (seconds). */
export async function postSigned(port: number, body: string, contentType: string, options: { secret?: string; timestamp: number }): Promise<Delivered> {
  const timestamp = options.timestamp;
  const signature = `v0=${createHmac('sha256', options.secret ?? SECRETS.signing).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** How each kind of payload travels over HTTP. */
export function httpBody(kind: 'command' | 'event' | 'interactive', payload: Record<string, unknown>): { body: string; contentType: string } {
  if (kind === 'event') return { body: JSON.stringify(payload), contentType: 'application/json' };
  if (kind === 'command') return { body: new URLSearchParams(payload as Record<string, string>).toString(), contentType: 'application/x-www-form-urlencoded' };
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** Starts everything; `close()` stops it all and removes the temp dir. */
export async function startRig(options: RigOptions): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-slack-'));
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  // No secrets handed to the core logger: masking tokens is the adapter's own job here.
  const logger = createLogger({ level: 'debug', stream, secrets: [] });
  const api = await FakeSlackApi.start({ ...options.api, locales: options.locales ?? {} });
  const socket = options.mode === 'socket' ? await FakeSocketMode.start() : null;
  const receiver = options.mode === 'in-process' ? new InProcessReceiver() : null;
  if (socket) api.socketUrl = socket.url;
  const sink = await ResponseSink.start();
  const clock = new FixedClock(options.at ?? new Date('2020-03-17T09:00:00Z'));
  const runtime = await createRuntime({
    storeUrl: options.storeUrl ?? `sqlite://${join(dir, 'vigie.sqlite')}`,
    clock,
    logger,
    reference: options.reference,
    ...(options.scenario ? { scenario: options.scenario } : {}),
    ...(options.understander ? { understander: options.understander } : {}),
  });
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: SECRETS.bot,
    SLACK_API_URL: api.url,
    VIGIE_SLACK_ADMINS: (options.admins ?? []).join(','),
    VIGIE_SLACK_SUBSCRIBERS: (options.subscribers ?? []).join(','),
    VIGIE_LOG_LEVEL: 'debug',
  };
  if (options.mode !== 'http') env.SLACK_APP_TOKEN = SECRETS.app;
  else Object.assign(env, { SLACK_SIGNING_SECRET: SECRETS.signing, PORT: '0' });
  const config = parseSlackConfig(env);
  if (!config) throw new Error('Slack config should be set');
  // Requests are dated and checked on the rig's clock, never the wall clock.
  const adapter = createSlackAdapter({
    config,
    logger,
    clientOptions: { retryConfig: { retries: 0 } },
    host: '127.0.0.1',
    autoReconnect: false,
    boltLogLevel: LogLevel.DEBUG,
    requestClock: () => clock.now().getTime(),
    ...(receiver ? { receiver } : {}),
    ...options.adapter,
  });
  await adapter.start(runtime.bot);

  return {
    api,
    socket,
    sink,
    runtime,
    adapter,
    clock,
    logs,
    async deliver(kind, payload) {
      if (receiver) return { status: 200, body: await receiver.send(payload) };
      if (socket) {
        const type = kind === 'command' ? 'slash_commands' : kind === 'event' ? 'events_api' : 'interactive';
        const ack = await socket.send(type, payload);
        return { status: 200, body: ack.payload && Object.keys(ack.payload).length > 0 ? ack.payload : null };
      }
      const { body, contentType } = httpBody(kind, payload);
      return postSigned(adapter.port!, body, contentType, { timestamp: Math.floor(clock.now().getTime() / 1000) });
    },
    async close() {
      await adapter.stop();
      await Promise.all([api.close(), socket?.close(), sink.close()]);
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
