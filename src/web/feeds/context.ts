/**
 * What the feed renderers need, as plain values and small functions: the site's public
 * address, the words, the services' names, the places' names and nesting, and the time the
 * output is computed for (the core's injected clock: a replay's hour, a test's fixed time).
 */
import type { Templates } from '../../content/templates.js';
import type { Language, Localized, PlaceKind, PlaceRef } from '../../base/types.js';

/** What the renderers need of the places: nesting. */
export interface PlaceNesting {
  /** True when `inner` is `outer` or lies inside it. */
  contains(outer: { kind: PlaceKind; code: string }, inner: { kind: PlaceKind; code: string }): boolean;
}

/** The renderers' view of Vigie. */
export interface FeedContext extends PlaceNesting {
  /** The site's public address, without a trailing slash: "https://statut.example.fr". */
  base: string;
  templates: Templates;
  /** Names of a service by id (undefined for an unknown one). */
  service(id: string): { name: Localized; short: Localized } | undefined;
  /** The full reference of a place, or null when there is none. */
  place(kind: PlaceKind, code: string): PlaceRef | null;
  /** The time the output is computed for. */
  now: Date;
  /** The replayed scenario's label ("DÉMO 17/03/2020 …"), when the data is a demo. */
  demo?: (scenario: string, lang: Language) => string;
}

/** The site's address in a language: French at the root, English under /en. */
export function siteUrl(base: string, lang: Language, path: string): string {
  return `${base}${lang === 'en' ? '/en' : ''}${path}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** encodeURIComponent that never throws: a lone surrogate (which it refuses) becomes U+FFFD first. */
export function uriComponent(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'));
}

/** An incident's page on the status site (src/web/words.ts's incidentPath; a route test follows it). */
export function incidentUrl(base: string, lang: Language, id: string): string {
  return siteUrl(base, lang, `/incident/${uriComponent(id)}`);
}

/** The site's host name (without port), as ids use it; "vigie.invalid" for a base that is not a URL (ids stay valid, only less unique). */
export function hostOf(base: string): string {
  let host = '';
  try {
    host = new URL(base).hostname;
  } catch {
    // Not a URL: the placeholder below.
  }
  return host.replace(/^\[|\]$/g, '').replace(/[^A-Za-z0-9.-]/g, '-') || 'vigie.invalid';
}

/**
 * The tagging entity of tag: URIs (RFC 4151): the site's host name and a date it is held on.
 * Ids built on it stay the same across requests, restarts and instances.
 */
export function tagAuthority(base: string): string {
  return `${hostOf(base)},2026`;
}

/** A segment of a tag: or urn: id: percent-encoded, so any incident id keeps the URI valid. */
export function idPart(text: string): string {
  return uriComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** "region:76", "national" for France. */
export function placeParam(place: { kind: PlaceKind; code: string }): string {
  return place.kind === 'national' ? 'national' : `${place.kind}:${place.code}`;
}

/** Builds a context from the catalogue and the gazetteer (or anything with the same two lookups). */
export function feedContext(deps: {
  base: string;
  templates: Templates;
  services: readonly { id: string; name: Localized; short: Localized }[];
  places: { get(kind: PlaceKind, code: string): PlaceRef | null } & PlaceNesting;
  now: Date;
  demo?: (scenario: string, lang: Language) => string;
}): FeedContext {
  const byId = new Map(deps.services.map((s) => [s.id, s]));
  return {
    base: deps.base.replace(/\/+$/, ''),
    templates: deps.templates,
    service: (id) => byId.get(id),
    place: (kind, code) => deps.places.get(kind, code),
    contains: (outer, inner) => deps.places.contains(outer, inner),
    now: deps.now,
    ...(deps.demo ? { demo: deps.demo } : {}),
  };
}
