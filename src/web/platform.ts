/**
 * The status page as a platform (name "web"): started by `npm start` after the store, beside
 * Slack and Discord or the console demo, it reads everything through the Core. A port it
 * cannot listen on (taken, not allowed) is logged with a code and the bot runs on without
 * the web: it never stops the process.
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../core.js';
import type { Logger } from '../base/logger.js';
import type { Platform } from '../platform.js';
import type { Clock } from '../base/clock.js';
import type { WebConfig } from './config.js';
import { createWebServer } from './server.js';

export interface WebPlatformDeps {
  config: WebConfig;
  logger: Logger;
  /** For Last-Modified dates (default: the wall clock). */
  clock?: Clock;
}

/** The web platform: what it listens on once started (null when it could not listen). */
export interface WebPlatform extends Platform {
  address(): { host: string; port: number } | null;
}

export function createWebPlatform(deps: WebPlatformDeps): WebPlatform {
  let app: FastifyInstance | null = null;
  let listening: { host: string; port: number } | null = null;
  return {
    name: 'web',
    address: () => listening,
    async start(core: Core): Promise<void> {
      const server = createWebServer({ core, logger: deps.logger, baseUrl: deps.config.publicUrl, ...(deps.clock ? { clock: deps.clock } : {}) });
      app = server;
      const { host, port } = deps.config;
      try {
        await server.listen({ host, port });
        const bound = server.server.address();
        listening = { host, port: typeof bound === 'object' && bound ? bound.port : port };
        deps.logger.info('web: status page listening', { url: `http://${host.includes(':') ? `[${host}]` : host}:${listening.port}/` });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        deps.logger.error(code === 'EADDRINUSE' ? 'web: port already in use; running without the status page' : 'web: cannot listen; running without the status page', {
          code: 'WEB_LISTEN_FAILED',
          host,
          port,
          reason: typeof code === 'string' ? code : undefined,
        });
        app = null;
        await server.close().catch(() => undefined);
      }
    },
    async stop(): Promise<void> {
      const server = app;
      app = null;
      listening = null;
      if (server) await server.close();
    },
  };
}
