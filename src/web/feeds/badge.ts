/**
 * An SVG status badge for school websites: "ENT Occitanie | panne partielle". The state is
 * said in words and drawn as a shape (a check, a triangle, a cross…), never by colour alone;
 * the SVG is an image with a <title> screen readers read (role="img"); its colours keep the
 * text at a contrast of 4.5:1 at least (WCAG AA). Names are XML-escaped.
 */
import type { Language, ReplyStatus } from '../../base/types.js';
import type { Templates } from '../../content/templates.js';
import { attributes, xmlText } from './xml.js';

/** The media type badges are served with. */
export const SVG_TYPE = 'image/svg+xml; charset=utf-8';

/** Background colours, dark enough for white text (contrast ≥ 4.5:1, checked by the tests). */
export const BADGE_COLOURS: Record<ReplyStatus | 'label', string> = {
  label: '#2f363d',
  unknown: '#5c636a',
  operational: '#1a7431',
  under_maintenance: '#0a58ca',
  degraded_performance: '#8a5a00',
  partial_outage: '#b04a00',
  major_outage: '#b02a37',
};

/** The shape drawn for each state (white strokes in a 12×12 box), so no state is told by colour alone. */
export const BADGE_SHAPES: Record<ReplyStatus, { name: string; svg: string }> = {
  unknown: { name: 'circle', svg: '<circle cx="6" cy="6" r="4.5" fill="none" stroke="#fff" stroke-width="1.5"/>' },
  operational: { name: 'check', svg: '<path d="M1.5 6.5l3 3 6-7" fill="none" stroke="#fff" stroke-width="2"/>' },
  under_maintenance: { name: 'square', svg: '<rect x="1.5" y="1.5" width="9" height="9" fill="none" stroke="#fff" stroke-width="1.5"/>' },
  degraded_performance: { name: 'triangle', svg: '<path d="M6 1l5.5 10h-11z" fill="none" stroke="#fff" stroke-width="1.5"/>' },
  partial_outage: { name: 'diamond', svg: '<path d="M6 0.5l5.5 5.5-5.5 5.5-5.5-5.5z" fill="#fff"/>' },
  major_outage: { name: 'cross', svg: '<path d="M1.5 1.5l9 9m0-9l-9 9" fill="none" stroke="#fff" stroke-width="2.2"/>' },
};

/**
 * A service's state at a place as badges and the widget say it (src/web/state.ts decides it):
 * `inPart` when it comes only from incidents in part of the place (the Gard for Occitanie),
 * said "par endroits", never as the whole place's state.
 */
export interface BadgeState {
  status: ReplyStatus;
  inPart: boolean;
}

/** What a badge shows. */
export interface BadgeInput {
  lang: Language;
  /** "ENT Occitanie": the service and the place. */
  label: string;
  /** The accessible title: "ENT · Occitanie — état selon les sources officielles : panne partielle". */
  title: string;
  /** The state in words: "panne partielle", "inconnu". */
  words: string;
  state: Pick<BadgeState, 'status'>;
}

// Approximate advance widths of Verdana 11 px (the badge's font), in pixels; textLength makes
// the text fit the computed width whatever font the reader has.
const NARROW = /[ijlI.,:;'!|()\[\]tf ]/;
const WIDE = /[mwMW@%]/;
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += NARROW.test(ch) ? 3.9 : WIDE.test(ch) ? 10.5 : /[A-ZÀ-Þ0-9]/.test(ch) ? 7.6 : 6.6;
  return Math.ceil(width);
}

/** The badge as an SVG document. */
export function renderBadge(input: BadgeInput): string {
  const pad = 6;
  const icon = 12;
  const labelWidth = textWidth(input.label) + 2 * pad;
  const wordsWidth = textWidth(input.words);
  const stateWidth = pad + icon + 4 + wordsWidth + pad;
  const width = labelWidth + stateWidth;
  const shape = BADGE_SHAPES[input.state.status];
  const text = (x: number, w: number, s: string) =>
    `<text${attributes({ x: String(x), y: '14', textLength: String(w), lengthAdjust: 'spacingAndGlyphs' })}>${xmlText(s)}</text>`;
  return [
    `<svg${attributes({ xmlns: 'http://www.w3.org/2000/svg', width: String(width), height: '20', viewBox: `0 0 ${width} 20`, role: 'img', 'aria-labelledby': 'badge-title', 'xml:lang': input.lang, 'data-status': input.state.status, 'data-shape': shape.name })}>`,
    `<title id="badge-title">${xmlText(input.title)}</title>`,
    `<rect width="${labelWidth}" height="20" fill="${BADGE_COLOURS.label}"/>`,
    `<rect x="${labelWidth}" width="${stateWidth}" height="20" fill="${BADGE_COLOURS[input.state.status]}"/>`,
    `<g aria-hidden="true" fill="#fff" font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="11">`,
    text(pad, labelWidth - 2 * pad, input.label),
    `<g transform="translate(${labelWidth + pad} 4)">${shape.svg}</g>`,
    text(labelWidth + pad + icon + 4, wordsWidth, input.words),
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}

/** The state's words on a badge, the status page's own (web.state.*): "panne partielle", "panne partielle par endroits", "inconnu". */
export function badgeWords(state: BadgeState, t: (key: string, vars?: Record<string, string>) => string): string {
  const words = t(`web.state.${state.status}`);
  return state.inPart ? t('badge.in_part', { status: words }) : words;
}

/** The badge of a state: "ENT Occitanie | panne partielle", "DÉMO · ENT Occitanie | …" for replayed data. */
export function badgeInput(state: BadgeState, names: { service: string; place: string }, lang: Language, templates: Templates, demo: boolean): BadgeInput {
  const t = (key: string, vars?: Record<string, string>) => templates.t(lang, key, vars);
  const words = badgeWords(state, t);
  const label = `${demo ? `${t('badge.demo')} · ` : ''}${names.service} ${names.place}`;
  return { lang, label, words, state, title: `${demo ? `${t('badge.demo')} — ` : ''}${t('badge.title', { service: names.service, place: names.place, status: words })}` };
}
