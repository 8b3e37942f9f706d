/**
 * The open feeds' routes (issue 16, item 3), French at the root and English under /en/:
 *   /feed.atom?service=ent&place=region:76   Atom of official incident updates (all services, France, when absent)
 *   /cap.atom                                 Atom index of the CAP alerts
 *   /cap/<id>.xml                             one CAP 1.2 alert (both languages inside)
 *   /badge/<service>.svg, /badge/<service>/<kind>/<code>.svg, /badge.svg?service=…&place=…   SVG badge
 *   /widget?service=…&place=…                 the embeddable status block, the only framable page
 * Unknown services, places or alerts get a 404 in plain words. Everything is read through the
 * Core and rendered by src/web/feeds/, cached per status version like the pages.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../core.js';
import type { Language, PlaceKind, PlaceRef } from '../base/types.js';
import { PLACE_KINDS } from '../base/types.js';
import { PLACE_CODE } from '../content/place-code.js';
import type { WebContext, WebRoutes } from './server.js';
import { placeState, type PlaceState } from './state.js';
import { placeName, placePath } from './words.js';
import { feedContext, type FeedContext } from './feeds/context.js';
import { renderAtom, ATOM_TYPE } from './feeds/atom.js';
import { incidentFeed } from './feeds/incident-feed.js';
import { renderCap, CAP_TYPE } from './feeds/cap.js';
import { capAlerts, noticeMessage, replayedMessages, type OfficialMessage } from './feeds/cap-alerts.js';
import { capIndexFeed } from './feeds/cap-index.js';
import { badgeInput, renderBadge, SVG_TYPE, type BadgeState } from './feeds/badge.js';
import { latestUpdate, renderWidget, WIDGET_CSP, type WidgetState } from './feeds/widget.js';
import { capTime } from './feeds/times.js';

const TEXT = 'text/plain; charset=utf-8';
/** Badges and the widget sit on other sites' pages: browsers and proxies may keep them a minute. */
const EMBED_CACHE = 'public, max-age=60';
/** Notices listed as CAP alerts at most (the latest): the history msgType and references follow. */
const MAX_NOTICES = 1_000;

/** The badge's and widget's state from the page's (src/web/state.ts): one rule for both. */
export function widgetState(state: PlaceState): WidgetState {
  const incidents = [...state.covering, ...state.inside];
  return {
    status: state.state,
    inPart: state.covering.length === 0 && state.inside.length > 0,
    incidents,
    latest: latestUpdate(state.restored ? [state.restored] : incidents),
  };
}

/** The first value of a query parameter. */
function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

type Found<T> = { ok: true; value: T } | { ok: false; message: string };

/** A service id of the catalogue; null for none given (all services) when allowed. */
function serviceOf(core: Core, lang: Language, raw: string | undefined, optional: boolean): Found<string | null> {
  const id = raw?.trim() ?? '';
  if (id === '' && optional) return { ok: true, value: null };
  const services = core.services();
  if (services.some((s) => s.id === id)) return { ok: true, value: id };
  return { ok: false, message: core.templates.t(lang, 'feed.not_found.service', { value: id.slice(0, 80), list: services.map((s) => s.id).join(', ') }) };
}

/** A place written "region:76", "academie:toulouse", "commune:31555" or "national" (France when absent). */
function placeOf(core: Core, lang: Language, raw: string | undefined): Found<PlaceRef> {
  const text = raw?.trim() ?? '';
  const national = core.place('national', 'FR');
  if ((text === '' || text === 'national' || text === 'national:FR') && national) return { ok: true, value: national };
  const m = /^([a-z]+)[:/](.+)$/.exec(text);
  const kind = m?.[1] as PlaceKind | undefined;
  const code = m?.[2] ?? '';
  const place = kind && (PLACE_KINDS as readonly string[]).includes(kind) && PLACE_CODE[kind].test(code) ? core.place(kind, code) : null;
  return place ? { ok: true, value: place } : { ok: false, message: core.templates.t(lang, 'feed.not_found.place', { value: text.slice(0, 80) }) };
}

/**
 * The site's address for absolute links: VIGIE_PUBLIC_URL, else the request's Host when it
 * is a plain host name (part of the cache key, so one host's links never reach another's).
 */
function baseOf(web: WebContext, request: FastifyRequest): string {
  if (web.baseUrl) return web.baseUrl;
  const host = request.headers.host ?? '';
  return /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/.test(host) ? `http://${host}` : 'http://localhost';
}

/** The renderers' context at the core's now. */
function contextOf(core: Core, base: string): FeedContext {
  return feedContext({
    base,
    templates: core.templates,
    services: core.services(),
    places: {
      get: (kind, code) => core.place(kind, code),
      contains: (outer, inner) =>
        (outer.kind === inner.kind && outer.code === inner.code) || outer.kind === 'national' || core.placeAncestors(inner).some((a) => a.kind === outer.kind && a.code === outer.code),
    },
    now: core.now(),
    demo: (scenario, lang) => core.demoFor(scenario, lang).label,
  });
}

/** Every official message: the published notices, and the replayed data's updates. */
async function officialMessages(core: Core): Promise<OfficialMessage[]> {
  const notices = await core.publishedNotices(MAX_NOTICES);
  const incidents = (await core.incidents()).all();
  return [...notices.map(noticeMessage), ...incidents.flatMap(replayedMessages)];
}

/** A name for badges and the widget: "Occitanie", "Gard (30)", "Nîmes (30)", "Académie de Toulouse", "France". */
function shortPlaceName(core: Core, lang: Language, place: PlaceRef): string {
  return place.kind === 'region' || place.kind === 'national' ? place.name : placeName(core, lang, place);
}

export const feedRoutes: WebRoutes = (app, web) => {
  const { core } = web;
  const notFound = (request: FastifyRequest, reply: FastifyReply, message: string) => web.sendOnce(request, reply, { status: 404, type: TEXT, body: `${message}\n` });

  for (const lang of ['fr', 'en'] as const satisfies Language[]) {
    const prefix = lang === 'en' ? '/en' : '';

    app.get<{ Querystring: { service?: string | string[]; place?: string | string[] } }>(`${prefix}/feed.atom`, (request, reply) => {
      const service = serviceOf(core, lang, one(request.query.service), true);
      if (!service.ok) return notFound(request, reply, service.message);
      const place = placeOf(core, lang, one(request.query.place));
      if (!place.ok) return notFound(request, reply, place.message);
      const base = baseOf(web, request);
      const subject = { service: service.value, place: place.value };
      return web.send(request, reply, `feed|${lang}|${base}|${subject.service ?? '*'}|${place.value.kind}:${place.value.code}`, async () => {
        const ctx = contextOf(core, base);
        return { status: 200, type: ATOM_TYPE, body: renderAtom(incidentFeed((await core.incidents(ctx.now)).all(), subject, lang, ctx)) };
      });
    });

    app.get(`${prefix}/cap.atom`, async (request, reply) => {
      const base = baseOf(web, request);
      // A notice about no incident changes no status version: the latest notice is in the key.
      const latest = (await core.publishedNotices(1))[0]?.id ?? '';
      return web.send(request, reply, `cap-index|${lang}|${base}|${latest}`, async () => {
        const ctx = contextOf(core, base);
        return { status: 200, type: ATOM_TYPE, body: renderAtom(capIndexFeed(capAlerts(await officialMessages(core), ctx), lang, ctx)) };
      });
    });

    // The badge: path form (/badge/ent.svg, /badge/ent/region/76.svg) and query form (/badge.svg?service=ent&place=region:76).
    const badge = (request: FastifyRequest, reply: FastifyReply, rawService: string | undefined, rawPlace: string | undefined) => {
      const service = serviceOf(core, lang, rawService, false);
      if (!service.ok || service.value === null) return notFound(request, reply, service.ok ? '' : service.message);
      const place = placeOf(core, lang, rawPlace);
      if (!place.ok) return notFound(request, reply, place.message);
      const id = service.value;
      const where = place.value;
      return web.send(
        request,
        reply,
        `badge|${lang}|${id}|${where.kind}:${where.code}`,
        async () => {
          const now = core.now();
          const state = widgetState(placeState(await core.incidents(now), id, where, core.placeAncestors(where), now));
          const names = { service: core.services().find((s) => s.id === id)?.short[lang] ?? id, place: shortPlaceName(core, lang, where) };
          return { status: 200, type: SVG_TYPE, body: renderBadge(badgeInput(state satisfies BadgeState, names, lang, core.templates, core.demoLabel(lang) !== undefined)) };
        },
        { cacheControl: EMBED_CACHE },
      );
    };
    const svgName = (file: string) => (file.endsWith('.svg') ? file.slice(0, -4) : null);
    app.get<{ Querystring: { service?: string | string[]; place?: string | string[] } }>(`${prefix}/badge.svg`, (request, reply) =>
      badge(request, reply, one(request.query.service), one(request.query.place)),
    );
    app.get<{ Params: { file: string } }>(`${prefix}/badge/:file`, (request, reply) => {
      const service = svgName(request.params.file);
      return service === null ? reply.callNotFound() : badge(request, reply, service, undefined);
    });
    app.get<{ Params: { service: string; kind: string; file: string } }>(`${prefix}/badge/:service/:kind/:file`, (request, reply) => {
      const code = svgName(request.params.file);
      return code === null ? reply.callNotFound() : badge(request, reply, request.params.service, `${request.params.kind}:${code}`);
    });

    app.get<{ Querystring: { service?: string | string[]; place?: string | string[] } }>(`${prefix}/widget`, (request, reply) => {
      const service = serviceOf(core, lang, one(request.query.service), false);
      if (!service.ok || service.value === null) return notFound(request, reply, service.ok ? '' : service.message);
      const place = placeOf(core, lang, one(request.query.place));
      if (!place.ok) return notFound(request, reply, place.message);
      const id = service.value;
      const where = place.value;
      const base = baseOf(web, request);
      // Set before sending: the server then keeps this policy instead of the strict one (frame-ancestors 'none').
      reply.header('content-security-policy', WIDGET_CSP);
      // Its times are said relative to today ("9 h", "hier, 18 h 45"): the Paris day is in the key.
      const day = capTime(core.now()).slice(0, 10);
      return web.send(
        request,
        reply,
        `widget|${lang}|${base}|${id}|${where.kind}:${where.code}|${day}`,
        async () => {
          const now = core.now();
          const state = widgetState(placeState(await core.incidents(now), id, where, core.placeAncestors(where), now));
          const body = renderWidget({
            lang,
            service: core.services().find((s) => s.id === id)?.short[lang] ?? id,
            place: shortPlaceName(core, lang, where),
            state,
            now,
            pageUrl: `${base}${placePath(lang, where)}${where.kind === 'national' ? '' : `#service-${id}`}`,
            templates: core.templates,
            ...(core.demoLabel(lang) ? { demo: core.demoLabel(lang)!.label } : {}),
          });
          return { status: 200, type: 'text/html; charset=utf-8', body };
        },
        { cacheControl: EMBED_CACHE },
      );
    });
  }

  // One alert holds both languages: one address.
  app.get<{ Params: { file: string } }>('/cap/:file', async (request, reply) => {
    const file = request.params.file;
    const key = file.endsWith('.xml') ? file.slice(0, -4) : '';
    const base = baseOf(web, request);
    const latest = (await core.publishedNotices(1))[0]?.id ?? '';
    return web.send(request, reply, `cap|${base}|${latest}|${key}`, async () => {
      const found = capAlerts(await officialMessages(core), contextOf(core, base)).find((a) => a.message.key === key);
      if (found) return { status: 200, type: CAP_TYPE, body: renderCap(found.alert) };
      const value = key.slice(0, 80);
      return { status: 404, type: TEXT, body: `${core.templates.t('fr', 'feed.not_found.notice', { value })}\n${core.templates.t('en', 'feed.not_found.notice', { value })}\n` };
    });
  });
};
