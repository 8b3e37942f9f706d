/**
 * The Slack adapter on @slack/bolt: Socket Mode by default (bot + app-level token, no public
 * URL), HTTP mode (Events API with signature checks) when a signing secret and a port are
 * configured. `SLACK_API_URL` moves the Web API (GovSlack, proxies, test fakes).
 * `createSlackTransport` delivers official notices to Slack channels for the dispatcher.
 */
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, webApi, type Receiver } from '@slack/bolt';
import { silentLogger, VigieError, type Adapter, type Core, type Logger, type Platform, type PlatformDeps } from '../../src/index.js';
import { registerAdmin } from './admin-handlers.js';
import { ProgressReporter, type ProgressOptions } from './admin-progress.js';
import { registerActions } from './command-actions.js';
import { registerConversations } from './command-conversations.js';
import { registerStatut } from './command-statut.js';
import type { SlackConfig } from './config.js';
import type { SlackContext } from './context.js';
import { registerHome } from './home.js';
import { close, listen, signedListener } from './http.js';
import { boltLogger, redactingLogger } from './logging.js';
import { SlackRouter } from './router.js';
import { SlackUsers, type SlackUsersOptions } from './users.js';
import { createSlackTransport, type SlackTransport } from './transport.js';
import { createSlackAlertSink, registerAlertButton } from './alerts.js';

export { parseSlackConfig, type SlackConfig } from './config.js';
export { renderReply } from './render.js';
export { createSlackTransport, NOTICE_EVENT_TYPE, type SlackTransport, type SlackTransportOptions, type SlackTransportStats } from './transport.js';
export { DEFAULT_PACING, type SlackPacing } from './pacing.js';
export { ALERT_EVENT_TYPE, createSlackAlertSink, OPEN_INCIDENT, renderAlert, type SlackAlertSinkOptions } from './alerts.js';

/** Where Slack sends requests in HTTP mode. */
const ENDPOINT = '/slack/events';

/** Options of the Slack adapter. */
export interface SlackAdapterOptions {
  config: SlackConfig;
  logger?: Logger;
  /** Extra Web API client options (tests: `retryConfig: { retries: 0 }`). */
  clientOptions?: Omit<webApi.WebClientOptions, 'slackApiUrl' | 'logger' | 'logLevel'>;
  /** HTTP mode: the interface to listen on (default: all). */
  host?: string;
  /** Socket Mode: reconnect when the socket drops (default true). */
  autoReconnect?: boolean;
  /** Level of bolt's own log lines (default: debug when VIGIE_LOG_LEVEL is debug, else info). */
  boltLogLevel?: LogLevel;
  /** HTTP mode: "now" for checking requests' timestamps, in ms (default the wall clock; tests fix it). */
  requestClock?: () => number;
  /** How long users' roles and locales are cached. */
  users?: SlackUsersOptions;
  /** Slash command names (default /statut and /statut-admin), as set in the app manifest. */
  commands?: { ask?: string; admin?: string };
  /** How the admin's notice progress message is refreshed (default every 2 s, for 15 min at most). */
  progress?: ProgressOptions;
  /**
   * A bolt receiver to take Slack's payloads from instead of Socket Mode or the HTTP endpoint
   * (tests push payloads into the app in-process through one; the configuration's mode is
   * then unused).
   */
  receiver?: Receiver;
}

/** The Slack adapter; `port` is the HTTP port once started (HTTP mode), else null. */
export interface SlackAdapter extends Adapter {
  readonly port: number | null;
}

/** Creates the Slack adapter; nothing connects until `start(bot)`. */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config } = options;
  const secrets = [config.botToken, config.mode === 'socket' ? config.appToken : config.signingSecret];
  const logger = redactingLogger(options.logger ?? silentLogger, secrets);
  let app: App | null = null;
  let socket: SocketModeReceiver | null = null;
  let server: Server | null = null;
  let port: number | null = null;
  let progress: ProgressReporter | null = null;

  return {
    name: 'slack',
    get port() {
      return port;
    },
    async start(bot: Core) {
      if (app) throw new VigieError('ADAPTER_ALREADY_STARTED', 'the Slack adapter is already started');
      const log = boltLogger(logger, options.boltLogLevel ?? (config.logLevel === 'debug' ? LogLevel.DEBUG : LogLevel.INFO));
      const clientOptions: webApi.WebClientOptions = { ...options.clientOptions, ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}) };
      const receiver =
        options.receiver ??
        (config.mode === 'socket'
          ? (socket = new SocketModeReceiver({
              appToken: config.appToken,
              logger: log,
              autoReconnectEnabled: options.autoReconnect ?? true,
              // Socket Mode builds its own Web API client (for apps.connections.open) from these.
              installerOptions: { clientOptions: { ...clientOptions } },
            }))
          : // Signatures and timestamps are checked in front of it (http.ts), against our clock.
            new HTTPReceiver({ signingSecret: config.signingSecret, logger: log, endpoints: ENDPOINT, signatureVerification: false }));
      // No conversation store: Vigie keeps its own context, and bolt's would cost a lookup per request.
      const instance = new App({ token: config.botToken, receiver, logger: log, clientOptions, deferInitialization: true, convoStore: false });
      // auth.test: a wrong token or API URL fails here, at startup, not at the first question.
      await instance.init();
      progress = new ProgressReporter(bot, logger, options.progress);
      const ctx: SlackContext = {
        bot,
        logger,
        admins: new Set(config.admins),
        subscribers: new Set(config.subscribers),
        // users.info never waits out a rate limit: the answer goes on without it.
        users: new SlackUsers(
          new webApi.WebClient(config.botToken, { ...clientOptions, logger: log, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 5_000 }),
          logger,
          () => bot.now().getTime(),
          options.users,
        ),
        progress,
      };
      const router = new SlackRouter(ctx);
      registerStatut(router, ctx, options.commands?.ask);
      registerAdmin(router, ctx, options.commands?.admin);
      registerConversations(router, ctx);
      registerActions(router, ctx);
      registerHome(router, ctx);
      registerAlertButton(router, ctx);
      instance.use(router.middleware());
      instance.error(async (error) => {
        logger.error('slack: unhandled error', { error, code: error.code });
      });
      if (options.receiver || config.mode === 'socket') {
        await instance.start();
      } else {
        const http = receiver as HTTPReceiver;
        const front = signedListener({ signingSecret: config.signingSecret, now: options.requestClock ?? Date.now, endpoints: [ENDPOINT], next: http.requestListener, logger });
        const listening = await listen(front, config.port, options.host);
        server = listening.server;
        port = listening.port;
      }
      app = instance;
      logger.info('slack: connected', { mode: options.receiver ? 'receiver' : config.mode, ...(port !== null ? { port } : {}) });
    },
    async stop() {
      const running = app;
      app = null;
      if (!running) return;
      await progress?.stop();
      progress = null;
      if (options.receiver) await running.stop();
      if (socket) {
        // app.stop() returns before the socket is closed; the client's disconnect resolves once it is.
        await socket.client.disconnect();
        socket = null;
      }
      if (server) {
        await close(server);
        server = null;
      }
      port = null;
    },
  };
}

/** Slack as one platform: the adapter answering people and the transport delivering notices, on one configuration. */
export interface SlackPlatform extends Platform {
  readonly adapter: SlackAdapter;
  readonly transport: SlackTransport;
}

/** Creates the Slack platform (`npm start` builds it when a Slack token is configured); nothing connects until `start`. */
export function createSlackPlatform(options: { config: SlackConfig } & PlatformDeps): SlackPlatform {
  const adapter = createSlackAdapter(options);
  const transport = createSlackTransport(options);
  const { config } = options;
  const alerts = config.alertChannel ? createSlackAlertSink({ config, channel: config.alertChannel, templates: options.templates, ...(options.logger ? { logger: options.logger } : {}) }) : undefined;
  return {
    name: 'slack',
    adapter,
    transport,
    ...(alerts ? { alerts } : {}),
    start: (core) => adapter.start(core),
    stop: () => adapter.stop(),
  };
}
