/**
 * The status page's HTTP server (Fastify 5): one server, security headers on every response,
 * rendered responses cached per status version, routes added by the modules listed in
 * src/web/routes.ts. It reads everything through the Core (src/core.ts), as a platform does.
 *
 * Adding routes (feeds, badge, widget…): write a `WebRoutes` function in its own file under
 * src/web/ (`(app, web) => { app.get('/path', (request, reply) => web.send(request, reply, key, render)) }`)
 * and add it to ROUTES in src/web/routes.ts. `web.send` gives ETag / Last-Modified / 304s,
 * gzip and the in-memory cache; a route that sets its own Content-Security-Policy header (the
 * widget, which may be framed) keeps it, every other response gets the strict one.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Core } from '../core.js';
import type { Logger } from '../base/logger.js';
import { systemClock, type Clock } from '../base/clock.js';
import { ResponseCache, cachedOf, notModified, type CachedResponse, type Rendered } from './cache.js';
import { ROUTES } from './routes.js';
import { errorPage, languageOfPath } from './page-errors.js';

/** The strict policy: no script at all, styles from our own file only, never framed. */
export const STRICT_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** What route modules get. */
export interface WebContext {
  readonly core: Core;
  readonly logger: Logger;
  /** The wall clock of HTTP dates (Last-Modified); the core's clock is the one pages show. */
  readonly clock: Clock;
  /** The public address pages are reached at, without a trailing slash ("https://statut.example.fr"), for absolute links in feeds and the API; "" when unknown (links are then paths). */
  readonly baseUrl: string;
  /**
   * Sends the response `render` builds, kept until the core's status version changes:
   * ETag and Last-Modified, 304 when the request has it already, gzip when accepted.
   * `key` names the response among all (path, language, format). `vary` adds request headers
   * the response depends on (Accept-Encoding is always there).
   */
  send(request: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<Rendered>, options?: { vary?: string[]; cacheControl?: string }): Promise<FastifyReply>;
  /** Sends a response that is not kept (a search result, an error page), with the same headers. */
  sendOnce(request: FastifyRequest, reply: FastifyReply, rendered: Rendered, options?: { vary?: string[]; cacheControl?: string }): FastifyReply;
}

/** A module of routes (pages, API, feeds…), registered by createWebServer. */
export type WebRoutes = (app: FastifyInstance, web: WebContext) => void;

/** What the server is built from. */
export interface WebServerDeps {
  core: Core;
  logger: Logger;
  /** For Last-Modified (default: the wall clock). */
  clock?: Clock;
  /** The public address (VIGIE_PUBLIC_URL), for absolute links; default none (paths). */
  baseUrl?: string;
  /** Route modules (default: ROUTES, every one). */
  routes?: readonly WebRoutes[];
}

const DEFAULT_CACHE_CONTROL = 'public, no-cache';

/** The headers every response carries; a response that set its own CSP (the widget) keeps it. */
function securityHeaders(reply: FastifyReply): void {
  if (!reply.hasHeader('content-security-policy')) {
    reply.header('content-security-policy', STRICT_CSP);
    reply.header('x-frame-options', 'DENY');
  }
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
}

/** The server, routes registered, not listening (tests use `inject`; the platform calls `listen`). */
export function createWebServer(deps: WebServerDeps): FastifyInstance {
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 16_384,
    // A URL the router cannot read (bad percent-encoding, a parameter too long) gets the same
    // headers and an error page, not Fastify's bare JSON (hooks do not run for these).
    frameworkErrors: (error, request, reply) => {
      const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 400;
      const plain = reply as unknown as FastifyReply;
      securityHeaders(plain);
      void plain.code(status).type('text/html; charset=utf-8').send(errorPage(deps.core, languageOfPath(request.raw.url ?? '/'), status));
    },
  });
  const cache = new ResponseCache(clock);

  const write = (request: FastifyRequest, reply: FastifyReply, entry: CachedResponse, options: { vary?: string[]; cacheControl?: string } = {}): FastifyReply => {
    reply.header('vary', ['Accept-Encoding', ...(options.vary ?? [])].join(', '));
    reply.header('cache-control', options.cacheControl ?? DEFAULT_CACHE_CONTROL);
    reply.header('etag', entry.etag);
    reply.header('last-modified', entry.modified.toUTCString());
    if (entry.status === 200 && notModified(request.headers, entry)) return reply.code(304).send();
    reply.code(entry.status).type(entry.type);
    const accepts = request.headers['accept-encoding'];
    if (typeof accepts === 'string' && /\bgzip\b/.test(accepts) && entry.bytes.length > 1_024) {
      reply.header('content-encoding', 'gzip');
      return reply.send(entry.gzip());
    }
    return reply.send(entry.bytes);
  };

  const web: WebContext = {
    core: deps.core,
    logger: deps.logger,
    clock,
    baseUrl: (deps.baseUrl ?? '').replace(/\/+$/, ''),
    async send(request, reply, key, render, options) {
      const version = await deps.core.statusVersion();
      return write(request, reply, await cache.get(version, key, render), options);
    },
    sendOnce(request, reply, rendered, options) {
      return write(request, reply, cachedOf(rendered, new Date(Math.floor(clock.now().getTime() / 1000) * 1000)), options);
    },
  };

  // Security headers on every response (errors and 304s included).
  app.addHook('onSend', async (_request, reply, payload) => {
    securityHeaders(reply);
    return payload;
  });

  app.setNotFoundHandler((request, reply) => {
    const language = languageOfPath(request.url);
    return web.sendOnce(request, reply, { status: 404, type: 'text/html; charset=utf-8', body: errorPage(deps.core, language, 404) });
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    const language = languageOfPath(request.url);
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) deps.logger.error('web: response failed', { code: 'WEB_RENDER_FAILED', path: request.url.split('?')[0]?.slice(0, 200), error });
    return web.sendOnce(request, reply, { status, type: 'text/html; charset=utf-8', body: errorPage(deps.core, language, status) });
  });

  for (const routes of deps.routes ?? ROUTES) routes(app, web);
  return app;
}
