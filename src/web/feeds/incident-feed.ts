/**
 * The Atom feed of official incident updates for a service and a place: one entry per
 * official update (the source's own words, who said it, when, and its link), newest first.
 * A place's feed holds what applies there from above (national, its région…) and what
 * happens inside it (a département of the région). Ids are tag: URIs built from the site's
 * host, the incident id and the update's number, so they never change.
 */
import type { Language, PlaceRef } from '../../base/types.js';
import type { Incident } from '../../incidents/index.js';
import type { AtomEntry, AtomFeed } from './atom.js';
import { idPart, incidentUrl, placeParam, siteUrl, tagAuthority, type FeedContext } from './context.js';
import { createTimePhrases } from '../../content/time-phrases.js';
import { joinList } from '../../content/templates.js';

/** How far back resolved incidents stay in a feed. */
export const FEED_HISTORY_MS = 30 * 24 * 3600_000;
/** Entries in a feed at most (the newest). */
export const FEED_MAX_ENTRIES = 100;

/** What a feed is about: a service or all (null), and a place (national for all of France). */
export interface FeedSubject {
  service: string | null;
  place: PlaceRef;
}

/** True when the incident is about the subject: same service, a place that covers it or lies inside it. */
export function concerns(incident: Incident, subject: FeedSubject, ctx: Pick<FeedContext, 'contains'>): boolean {
  if (subject.service !== null && incident.service !== subject.service) return false;
  if (subject.place.kind === 'national') return true;
  return incident.scope.places.some((p) => ctx.contains(p, subject.place) || ctx.contains(subject.place, p));
}

/** The feed's address (for rel="self" and the other language's rel="alternate"). */
export function feedUrl(base: string, lang: Language, subject: FeedSubject): string {
  const query = new URLSearchParams();
  if (subject.service) query.set('service', subject.service);
  if (subject.place.kind !== 'national') query.set('place', placeParam(subject.place));
  const q = query.toString();
  return siteUrl(base, lang, `/feed.atom${q ? `?${q}` : ''}`);
}

/** The feed of `incidents` (every incident known at ctx.now) for the subject, in `lang`. */
export function incidentFeed(incidents: readonly Incident[], subject: FeedSubject, lang: Language, ctx: FeedContext): AtomFeed {
  const t = (key: string, vars?: Record<string, string | number>) => ctx.templates.t(lang, key, vars);
  const now = ctx.now.getTime();
  const authority = tagAuthority(ctx.base);
  const serviceWord = subject.service ? (ctx.service(subject.service)?.short[lang] ?? subject.service) : t('feed.all_services');
  const placeWord = subject.place.name;
  const entries: { at: number; order: string; entry: AtomEntry }[] = [];
  for (const incident of incidents) {
    if (!concerns(incident, subject, ctx)) continue;
    const last = incident.updates[incident.updates.length - 1];
    if (!last || (incident.resolvedAt !== null && Date.parse(incident.resolvedAt) < now - FEED_HISTORY_MS)) continue;
    incident.updates.forEach((update, i) => {
      const at = Date.parse(update.at);
      if (at > now) return;
      entries.push({ at, order: `${incident.id}\u0000${String(i).padStart(6, '0')}`, entry: entryOf(incident, i, lang, ctx, authority) });
    });
  }
  // Newest first; equal times in a fixed order (incident id, then update number, descending).
  entries.sort((a, b) => b.at - a.at || (a.order < b.order ? 1 : a.order > b.order ? -1 : 0));
  const kept = entries.slice(0, FEED_MAX_ENTRIES);
  const other: Language = lang === 'fr' ? 'en' : 'fr';
  const demo = incidents.find((i) => i.scenario && concerns(i, subject, ctx))?.scenario;
  const subtitle = t('feed.subtitle', { service: serviceWord, place: placeWord });
  return {
    id: `tag:${authority}:feed:${subject.service ? idPart(subject.service) : 'all'}:${idPart(placeParam(subject.place))}:${lang}`,
    lang,
    title: t('feed.title', { service: serviceWord, place: placeWord }),
    subtitle: demo && ctx.demo ? `${ctx.demo(demo, lang)} ${subtitle}` : subtitle,
    updated: kept[0] ? new Date(kept[0].at) : ctx.now,
    author: { name: 'Vigie', uri: siteUrl(ctx.base, lang, '/') },
    links: [
      { rel: 'self', href: feedUrl(ctx.base, lang, subject), type: 'application/atom+xml', hreflang: lang },
      { rel: 'alternate', href: feedUrl(ctx.base, other, subject), type: 'application/atom+xml', hreflang: other },
      { rel: 'alternate', href: siteUrl(ctx.base, lang, '/'), type: 'text/html', hreflang: lang },
    ],
    generator: { name: 'Vigie' },
    entries: kept.map((e) => e.entry),
  };
}

/** One official update as an entry. */
function entryOf(incident: Incident, index: number, lang: Language, ctx: FeedContext, authority: string): AtomEntry {
  const t = (key: string, vars?: Record<string, string | number>) => ctx.templates.t(lang, key, vars);
  const update = incident.updates[index]!;
  const times = createTimePhrases(ctx.templates);
  const service = ctx.service(incident.service)?.short[lang] ?? incident.service;
  const resolved = update.phase === 'resolved';
  const status = resolved ? t('feed.resolved') : t(`status.${update.status}`);
  // Read at any later date: the day is always written out, with its year.
  const readLater = new Date(Date.parse(update.at) + 400 * 24 * 3600_000);
  const when = times.short(lang, update.at, readLater, update.precision);
  const places = incident.scope.places.map((p) => ctx.place(p.kind, p.code)?.name ?? `${p.kind}:${p.code}`);
  const levels = incident.scope.levels.length > 0 ? joinList(ctx.templates, lang, incident.scope.levels.map((l) => t(`level.${l}`))) : t('level.all');
  const lines = [
    t('feed.said', { source: update.source.name, when }),
    update.text[lang],
    '',
    t('feed.state', { status, phase: t(`phase.${update.phase}`) }),
    t('feed.where', { places: joinList(ctx.templates, lang, places), levels }),
  ];
  if (update.source.url) lines.push(t('feed.source_link', { url: update.source.url }));
  if (incident.scenario && ctx.demo) lines.unshift(ctx.demo(incident.scenario, lang), '');
  const links: AtomEntry['links'] = [{ rel: 'alternate', href: incidentUrl(ctx.base, lang, incident.id), type: 'text/html', hreflang: lang }];
  if (update.source.url) links.push({ rel: 'via', href: update.source.url, title: update.source.name });
  return {
    id: `tag:${authority}:incident:${idPart(incident.id)}:update:${index + 1}:${lang}`,
    title: t('feed.entry.title', { service, title: incident.title[lang], status }),
    updated: update.at,
    published: update.at,
    author: { name: update.source.name, ...(update.source.url ? { uri: update.source.url } : {}) },
    links,
    categories: [
      { term: incident.service, label: service },
      { term: resolved ? 'resolved' : update.status, label: status },
    ],
    content: lines.join('\n'),
  };
}
