/**
 * The Atom index of CAP alerts (/cap.atom), newest first: each entry links to its alert
 * (type application/cap+xml), as CAP aggregators expect of an alert feed.
 */
import type { Language } from '../../base/types.js';
import type { CapAlert } from './cap.js';
import type { AtomFeed } from './atom.js';
import { type OfficialMessage, capUrl } from './cap-alerts.js';
import { idPart, siteUrl, tagAuthority, type FeedContext } from './context.js';

/** Alerts listed in the index at most (the newest). */
export const CAP_INDEX_MAX = 100;

/** The index of `alerts` (as capAlerts gives them, oldest first) in `lang`. */
export function capIndexFeed(alerts: readonly { message: OfficialMessage; alert: CapAlert }[], lang: Language, ctx: FeedContext): AtomFeed {
  const t = (key: string, vars?: Record<string, string | number>) => ctx.templates.t(lang, key, vars);
  const authority = tagAuthority(ctx.base);
  const newest = [...alerts].reverse().slice(0, CAP_INDEX_MAX);
  const other: Language = lang === 'fr' ? 'en' : 'fr';
  const self = (l: Language) => siteUrl(ctx.base, l, '/cap.atom');
  return {
    id: `tag:${authority}:cap-index:${lang}`,
    lang,
    title: t('cap.title'),
    subtitle: t('cap.subtitle'),
    updated: newest[0] ? newest[0].message.sent : ctx.now,
    author: { name: 'Vigie', uri: siteUrl(ctx.base, lang, '/') },
    links: [
      { rel: 'self', href: self(lang), type: 'application/atom+xml', hreflang: lang },
      { rel: 'alternate', href: self(other), type: 'application/atom+xml', hreflang: other },
      { rel: 'alternate', href: siteUrl(ctx.base, lang, '/'), type: 'text/html', hreflang: lang },
    ],
    generator: { name: 'Vigie' },
    entries: newest.map(({ message, alert }) => {
      const info = alert.infos.find((i) => i.language.startsWith(lang)) ?? alert.infos[0];
      const type = alert.status === 'Actual' ? alert.msgType : `${alert.msgType} · ${alert.status}`;
      return {
        id: `tag:${authority}:cap:${idPart(message.key)}`,
        title: t('cap.entry.title', { headline: info?.headline ?? info?.event ?? message.key, type }),
        updated: message.sent,
        published: message.sent,
        author: { name: message.source.name },
        links: [{ rel: 'alternate', href: capUrl(ctx.base, message.key), type: 'application/cap+xml' }],
        categories: [{ term: alert.msgType }, { term: alert.status }],
        ...(alert.note ? { summary: alert.note } : {}),
        content: [info?.event, info?.description].filter(Boolean).join('\n\n'),
      };
    }),
  };
}
