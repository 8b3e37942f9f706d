/**
 * An Atom 1.0 (RFC 4287) document from plain values. Texts are plain text (type="text"), so
 * no markup from a title or an official's words can reach a reader as HTML; everything is
 * XML-escaped on the way out.
 */
import { attributes, element } from './xml.js';
import { atomTime } from './times.js';

/** A link of a feed or an entry. */
export interface AtomLink {
  href: string;
  rel?: 'alternate' | 'self' | 'related' | 'via' | 'enclosure';
  type?: string;
  hreflang?: string;
  title?: string;
}

/** A category: its term, and the words people read. */
export interface AtomCategory {
  term: string;
  scheme?: string;
  label?: string;
}

/** One entry. */
export interface AtomEntry {
  /** A stable IRI (tag: URI): the same entry keeps it across requests and restarts. */
  id: string;
  title: string;
  updated: Date | string;
  published?: Date | string;
  author: { name: string; uri?: string };
  links: AtomLink[];
  categories?: AtomCategory[];
  summary?: string;
  /** Plain text; line breaks are kept by readers that show text content as preformatted. */
  content: string;
}

/** A feed. */
export interface AtomFeed {
  id: string;
  /** The feed's language (xml:lang on the root): "fr", "en". */
  lang: string;
  title: string;
  subtitle?: string;
  /** The latest entry's time, or the time the feed was computed for when it has none. */
  updated: Date | string;
  author: { name: string; uri?: string };
  links: AtomLink[];
  categories?: AtomCategory[];
  generator?: { name: string; uri?: string };
  rights?: string;
  entries: AtomEntry[];
}

/** The media type Atom feeds are served with. */
export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

const person = (tag: string, p: { name: string; uri?: string }) =>
  `<${tag}>${element('name', p.name)}${p.uri ? element('uri', p.uri) : ''}</${tag}>`;
const link = (l: AtomLink) => `<link${attributes({ rel: l.rel, href: l.href, type: l.type, hreflang: l.hreflang, title: l.title })}/>`;
const category = (c: AtomCategory) => `<category${attributes({ term: c.term, scheme: c.scheme, label: c.label })}/>`;

function entry(e: AtomEntry): string {
  const parts = [
    element('id', e.id),
    element('title', e.title, { type: 'text' }),
    element('updated', atomTime(e.updated)),
    e.published === undefined ? '' : element('published', atomTime(e.published)),
    person('author', e.author),
    ...e.links.map(link),
    ...(e.categories ?? []).map(category),
    e.summary === undefined ? '' : element('summary', e.summary, { type: 'text' }),
    element('content', e.content, { type: 'text' }),
  ];
  return `<entry>\n  ${parts.filter(Boolean).join('\n  ')}\n</entry>`;
}

/** The feed as an XML document (UTF-8). */
export function renderAtom(feed: AtomFeed): string {
  const head = [
    element('id', feed.id),
    element('title', feed.title, { type: 'text' }),
    feed.subtitle === undefined ? '' : element('subtitle', feed.subtitle, { type: 'text' }),
    element('updated', atomTime(feed.updated)),
    person('author', feed.author),
    ...feed.links.map(link),
    ...(feed.categories ?? []).map(category),
    feed.generator ? element('generator', feed.generator.name, { uri: feed.generator.uri }) : '',
    feed.rights === undefined ? '' : element('rights', feed.rights, { type: 'text' }),
  ].filter(Boolean);
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed${attributes({ xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': feed.lang })}>\n` +
    head.join('\n') +
    '\n' +
    feed.entries.map(entry).join('\n') +
    (feed.entries.length > 0 ? '\n' : '') +
    '</feed>\n'
  );
}
