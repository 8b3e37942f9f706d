/**
 * The embeddable status block (/widget): a small self-contained HTML page a school puts in an
 * <iframe>. No script; one inline style allowed by its hash (no 'unsafe-inline'); links open
 * the full status page in a new tab. Its route is the only one whose Content-Security-Policy
 * lets other sites frame it. Every text is escaped.
 */
import { createHash } from 'node:crypto';
import type { Language, TimePrecision } from '../../base/types.js';
import type { Incident } from '../../incidents/index.js';
import { createTimePhrases } from '../../content/time-phrases.js';
import type { Templates } from '../../content/templates.js';
import { BADGE_COLOURS, BADGE_SHAPES, badgeWords, type BadgeState } from './badge.js';
import { xmlAttr, xmlText } from './xml.js';

/** The widget's only style, inline (allowed by its hash in the CSP). */
export const WIDGET_STYLE = [
  'body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#fff}',
  'main{padding:10px 12px;border:1px solid #8c959f;border-radius:6px}',
  'h1{font-size:16px;margin:0 0 6px;display:flex;align-items:center;gap:8px}',
  '.state{display:inline-flex;align-items:center;gap:6px;padding:2px 8px;border-radius:4px;color:#fff}',
  'p,ul{margin:4px 0}',
  'ul{padding-left:18px}',
  '.demo{font-weight:bold;color:#6e3b00}',
  'a{color:#0a4fb4}',
  'a:focus{outline:2px solid #0a4fb4;outline-offset:2px}',
  // One class per state, in the badge's colours (white text at 4.5:1 or more).
  ...Object.entries(BADGE_COLOURS).map(([status, colour]) => `.s-${status}{background:${colour}}`),
].join('');

/** The Content-Security-Policy of the widget: framable anywhere, nothing else allowed but its style. */
export const WIDGET_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(WIDGET_STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors *',
].join('; ');

/** The state and what it rests on. */
export interface WidgetState extends BadgeState {
  /** Incidents in effect at or in the place, worst first. */
  incidents: readonly Incident[];
  /** The latest official update among those incidents (or of the resolution), with its source. */
  latest: { at: string; precision?: TimePrecision; source: { name: string } } | null;
}

/** The latest official update among incidents. */
export function latestUpdate(incidents: readonly Incident[]): WidgetState['latest'] {
  let best: WidgetState['latest'] = null;
  for (const i of incidents) {
    const u = i.updates[i.updates.length - 1];
    if (u && (!best || u.at > best.at)) best = { at: u.at, ...(u.precision ? { precision: u.precision } : {}), source: { name: u.source.name } };
  }
  return best;
}

/** What the widget shows. */
export interface WidgetInput {
  lang: Language;
  /** The service's and the place's names. */
  service: string;
  place: string;
  state: WidgetState;
  /** The reader's now, for "9 h", "hier, 18 h 45". */
  now: Date;
  /** The full status page for this service and place. */
  pageUrl: string;
  /** The demo label, when the data is a replayed scenario. */
  demo?: string;
  templates: Templates;
}

const MAX_INCIDENTS = 3;

/** The widget as an HTML document. */
export function renderWidget(w: WidgetInput): string {
  const t = (key: string, vars?: Record<string, string>) => w.templates.t(w.lang, key, vars);
  const times = createTimePhrases(w.templates);
  const title = t('widget.title', { service: w.service, place: w.place });
  const words = badgeWords(w.state, t);
  const shape = BADGE_SHAPES[w.state.status];
  const lines: string[] = [];
  const incidents = w.state.incidents.slice(0, MAX_INCIDENTS);
  if (incidents.length > 0) {
    lines.push('<ul>');
    for (const i of incidents) lines.push(`<li>${xmlText(t('widget.incident', { title: i.title[w.lang], status: t(`status.${i.status}`) }))}</li>`);
    lines.push('</ul>');
  }
  const latest = w.state.latest;
  if (w.state.status === 'unknown') lines.push(`<p>${xmlText(t('widget.unknown'))}</p>`);
  else if (latest) {
    const when = times.short(w.lang, latest.at, w.now, latest.precision);
    const key = w.state.status === 'operational' ? 'widget.restored' : 'widget.latest';
    lines.push(`<p>${xmlText(t(key, { source: latest.source.name, when }))}</p>`);
  }
  return [
    '<!doctype html>',
    `<html lang="${xmlAttr(w.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${xmlText(`${title} — ${words} — Vigie`)}</title>`,
    `<style>${WIDGET_STYLE}</style>`,
    '</head>',
    '<body>',
    `<main data-status="${xmlAttr(w.state.status)}">`,
    ...(w.demo ? [`<p class="demo">${xmlText(w.demo)}</p>`] : []),
    `<h1>${xmlText(title)} <span class="state s-${w.state.status}" data-shape="${shape.name}"><svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">${shape.svg}</svg>${xmlText(words)}</span></h1>`,
    ...lines,
    `<p><a href="${xmlAttr(w.pageUrl)}" target="_blank" rel="noopener">${xmlText(t('widget.more'))}</a></p>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
