/** The HTML pages' routes, French at the root and English under /en/. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../base/types.js';
import type { WebContext, WebRoutes } from './server.js';
import type { Rendered } from './cache.js';
import { homePage } from './page-home.js';
import { placePage } from './page-place.js';
import { findIncident, incidentPage, unknownIncidentPage } from './page-incident.js';
import { historyPage, historySince } from './page-history.js';
import { search, searchPage } from './page-search.js';
import { placePath } from './words.js';
import type { PlaceKind } from '../base/types.js';
import { STYLE, STYLE_PATH } from './style.js';
import { PATHS, preferredLanguage } from './words.js';

const HTML = 'text/html; charset=utf-8';

/** A page rendered by `render`, kept per version under `key`. */
function page(web: WebContext, request: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<string>, vary?: string[]): Promise<FastifyReply> {
  const rendered = async (): Promise<Rendered> => ({ status: 200, type: HTML, body: await render() });
  return web.send(request, reply, key, rendered, vary ? { vary } : undefined);
}

export const pageRoutes: WebRoutes = (app, web) => {
  const { core } = web;
  // The style sheet: its name holds its hash, so it is cached for a year.
  app.get(STYLE_PATH, (request, reply) =>
    web.sendOnce(request, reply, { status: 200, type: 'text/css; charset=utf-8', body: STYLE }, { cacheControl: 'public, max-age=31536000, immutable' }),
  );
  // `/` speaks the visitor's language (Accept-Language); `/en/` is always English.
  app.get('/', (request, reply) => {
    const lang = preferredLanguage(request.headers['accept-language']);
    reply.header('content-language', lang);
    return page(web, request, reply, `home|${lang}`, () => homePage(core, lang), ['Accept-Language']);
  });
  app.get('/en', (_request, reply) => reply.redirect(PATHS.en.home, 301));
  app.get(PATHS.en.home, (request, reply) => page(web, request, reply, 'home|en', () => homePage(core, 'en')));
  for (const lang of ['fr', 'en'] as const satisfies Language[]) {
    const paths = PATHS[lang];
    // Kept per day too: an incident leaves the 30 days without any store change.
    app.get(paths.history, (request, reply) => page(web, request, reply, `history|${lang}|${historySince(core.now()).toISOString()}`, () => historyPage(core, lang)));
    app.get<{ Params: { kind: string; code: string } }>(`${paths.place}/:kind/:code`, (request, reply) => {
      const { kind, code } = request.params;
      const place = PLACE_KINDS.has(kind) ? core.place(kind as PlaceKind, code) : null;
      if (!place) return reply.callNotFound();
      return page(web, request, reply, `place|${lang}|${kind}:${code}`, () => placePage(core, lang, place));
    });
    // Looked up inside the render: a surge on one incident's page finds it once per version (a 404 is kept too).
    app.get<{ Params: { id: string } }>(`${paths.incident}/:id`, (request, reply) => {
      const { id } = request.params;
      return web.send(request, reply, `incident|${lang}|${id}`, async () => {
        const incident = await findIncident(core, id);
        return incident ? { status: 200, type: HTML, body: incidentPage(core, lang, incident) } : { status: 404, type: HTML, body: unknownIncidentPage(core, lang, id) };
      });
    });
    app.get<{ Querystring: { q?: string | string[] } }>(paths.search, (request, reply) => {
      const raw = request.query.q;
      const text = (Array.isArray(raw) ? raw[0] : raw) ?? '';
      const result = search(core, lang, text);
      if (result.kind === 'place') return reply.redirect(`${placePath(lang, result.place)}${result.service ? `#service-${result.service}` : ''}`, 303);
      return web.sendOnce(request, reply, { status: 200, type: HTML, body: searchPage(core, lang, text, result) }, { cacheControl: 'no-store' });
    });
  }
};

/** The kinds of places with a page (France is the home page). */
const PLACE_KINDS = new Set<string>(['region', 'academie', 'departement', 'commune']);
