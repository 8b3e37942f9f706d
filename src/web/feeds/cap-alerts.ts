/**
 * Official words as CAP 1.2 alerts: each official notice an admin published (status Actual),
 * and, for demo data, each official update of a replayed scenario's incidents (status
 * Exercise, with a note saying it is replayed data). One `<info>` per language (fr-FR, en-US).
 *
 * Mapping (said in the README):
 * - msgType: the first message about an incident (or a notice about none) is an Alert; later
 *   ones Update, with `references` to every earlier alert of the incident; a resolution is an
 *   Update with responseType AllClear (CAP's Cancel withdraws a mistaken message: Vigie never
 *   sends one).
 * - category Infra; certainty Observed (an official source said it; Unknown for a notice with
 *   no status); urgency Immediate while a disruption is in effect, Past once restored, Unknown
 *   without a status; severity Minor (CAP's scale is the threat to life or property: a
 *   distance-learning outage is none), Unknown without a status. The Statuspage status and
 *   phase are given as parameters, so readers keep the detail.
 * - areas: one per place, named, with its code: INSEE-REG / INSEE-DEP / INSEE-COM (INSEE
 *   codes), academie (the académie's slug), ISO3166-1 "FR" for France.
 */
import type { Language, Level, Localized, Phase, PlaceKind, Status } from '../../base/types.js';
import type { Incident } from '../../incidents/index.js';
import type { Notice } from '../../store/notice.js';
import type { CapAlert, CapArea, CapInfo, CapReference, CapValue } from './cap.js';
import { hostOf, idPart, incidentUrl, siteUrl, uriComponent, type FeedContext } from './context.js';
import { joinList } from '../../content/templates.js';

/** CAP's language tags for Vigie's languages. */
export const CAP_LANGUAGES: Record<Language, string> = { fr: 'fr-FR', en: 'en-US' };

/** Geocode value names per kind of place. */
export const GEOCODE_NAMES: Record<PlaceKind, string> = {
  national: 'ISO3166-1',
  region: 'INSEE-REG',
  academie: 'academie',
  departement: 'INSEE-DEP',
  commune: 'INSEE-COM',
};

/** One official message, from a notice or a replayed update, before it becomes an alert. */
export interface OfficialMessage {
  /** The alert's id in URLs (/cap/<key>.xml): the notice's id, or "demo-<scenario>-<incident>-<n>". */
  key: string;
  sent: string;
  /** The scenario of replayed data (the alert is then an Exercise). */
  scenario?: string;
  /** The incident it is about, or null for a notice about none. */
  incident: string | null;
  resolves: boolean;
  /** Service ids ("*" for all). */
  services: string[];
  places: { kind: PlaceKind; code: string }[];
  levels: Level[];
  status: Status | null;
  phase: Phase | null;
  title: Localized | null;
  text: Localized;
  recovery: Localized | null;
  advice: Localized | null;
  source: { name: string; url?: string };
}

/** A published notice as an official message. */
export function noticeMessage(notice: Notice): OfficialMessage {
  const snapshot = notice.incident;
  const resolves = snapshot?.action === 'resolve' || (snapshot?.phase ?? notice.phase) === 'resolved';
  return {
    key: notice.id,
    sent: notice.publishedAt ?? notice.createdAt,
    incident: snapshot?.id ?? null,
    resolves,
    services: notice.services,
    places: notice.places,
    levels: notice.levels,
    status: snapshot?.status ?? notice.status,
    phase: snapshot?.phase ?? notice.phase,
    title: notice.title ?? snapshot?.title ?? null,
    text: notice.text,
    recovery: resolves ? null : (snapshot?.recovery ?? null),
    advice: resolves ? null : (snapshot?.advice ?? null),
    source: notice.source,
  };
}

/**
 * Each official update of a replayed scenario's incident as a message. The expected recovery
 * and advice are the incident's current ones: given with its latest update only.
 */
export function replayedMessages(incident: Incident): OfficialMessage[] {
  const scenario = incident.scenario;
  if (!scenario) return [];
  return incident.updates.map((u, i) => {
    const latest = i === incident.updates.length - 1;
    const resolves = u.phase === 'resolved';
    return {
      key: `demo-${scenario}-${incident.id}-${i + 1}`,
      sent: u.at,
      scenario,
      incident: incident.id,
      resolves,
      services: [incident.service],
      places: incident.scope.places,
      levels: incident.scope.levels,
      status: u.status,
      phase: u.phase,
      title: incident.title,
      text: u.text,
      recovery: latest && !resolves ? (incident.expectedRecovery?.text ?? null) : null,
      advice: latest && !resolves ? incident.advice : null,
      source: u.source,
    };
  });
}

/** Who sends Vigie's alerts: "vigie@<host>". */
export function capSender(base: string): string {
  return `vigie@${hostOf(base)}`;
}

/** The alert's identifier: the sender's host, then the message's key. */
export function capIdentifier(base: string, key: string): string {
  return `${hostOf(base)}:cap:${idPart(key)}`;
}

/** Where an alert is served. */
export function capUrl(base: string, key: string): string {
  return `${base}/cap/${uriComponent(key)}.xml`;
}

/**
 * The alerts of `messages`, oldest first: msgType and references follow each incident's
 * earlier messages in this list (give the whole history, then show the part wanted).
 */
export function capAlerts(messages: readonly OfficialMessage[], ctx: FeedContext): { message: OfficialMessage; alert: CapAlert }[] {
  const sorted = [...messages].sort((a, b) => Date.parse(a.sent) - Date.parse(b.sent) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sender = capSender(ctx.base);
  const earlier = new Map<string, CapReference[]>();
  return sorted.map((message) => {
    const subject = message.incident === null ? null : `${message.scenario ?? ''}\u0000${message.incident}`;
    const references = subject === null ? [] : [...(earlier.get(subject) ?? [])];
    const identifier = capIdentifier(ctx.base, message.key);
    if (subject !== null) earlier.set(subject, [...references, { sender, identifier, sent: message.sent }]);
    const alert: CapAlert = {
      identifier,
      sender,
      sent: message.sent,
      status: message.scenario ? 'Exercise' : 'Actual',
      msgType: references.length > 0 ? 'Update' : 'Alert',
      scope: 'Public',
      ...(message.scenario && ctx.demo ? { note: `${ctx.demo(message.scenario, 'fr')} / ${ctx.demo(message.scenario, 'en')}` } : message.scenario ? { note: `Demo: ${message.scenario}` } : {}),
      references,
      incidents: message.incident === null ? [] : [idPart(message.incident)],
      infos: (['fr', 'en'] as const).map((lang) => infoOf(message, lang, ctx)),
    };
    return { message, alert };
  });
}

const HEADLINE_MAX = 160;

function infoOf(m: OfficialMessage, lang: Language, ctx: FeedContext): CapInfo {
  const t = (key: string, vars?: Record<string, string | number>) => ctx.templates.t(lang, key, vars);
  const service = m.services.includes('*') ? t('feed.all_services') : joinList(ctx.templates, lang, m.services.map((s) => ctx.service(s)?.short[lang] ?? s));
  const restored = m.resolves || m.status === 'operational';
  const inEffect = m.status !== null && !restored;
  const event = restored ? t('cap.event.resolved', { service }) : m.status ? t('cap.event', { service, status: t(`status.${m.status}`) }) : t('cap.event.notice', { service });
  let headline = m.title?.[lang] ?? event;
  if (headline.length > HEADLINE_MAX) headline = `${headline.slice(0, HEADLINE_MAX - 1)}…`;
  const description = [m.text[lang], ...(m.recovery ? [t('cap.recovery', { text: m.recovery[lang] })] : [])].join('\n\n');
  const parameters: CapValue[] = [];
  if (m.status) parameters.push({ valueName: 'vigie-status', value: m.status });
  if (m.phase) parameters.push({ valueName: 'vigie-phase', value: m.phase });
  if (m.levels.length > 0) parameters.push({ valueName: 'vigie-levels', value: m.levels.join(' ') });
  const web = m.source.url ?? (m.incident !== null ? incidentUrl(ctx.base, lang, m.incident) : siteUrl(ctx.base, lang, '/'));
  return {
    language: CAP_LANGUAGES[lang],
    categories: ['Infra'],
    event,
    responseTypes: restored ? ['AllClear'] : inEffect ? ['Monitor'] : [],
    urgency: restored ? 'Past' : inEffect ? 'Immediate' : 'Unknown',
    severity: m.status === null ? 'Unknown' : 'Minor',
    certainty: m.status === null ? 'Unknown' : 'Observed',
    eventCodes: m.services.filter((s) => s !== '*').map((s) => ({ valueName: 'vigie-service', value: s })),
    senderName: m.source.name,
    headline,
    description,
    ...(m.advice ? { instruction: m.advice[lang] } : {}),
    web,
    parameters,
    areas: m.places.map((p) => areaOf(p, ctx)),
  };
}

function areaOf(p: { kind: PlaceKind; code: string }, ctx: FeedContext): CapArea {
  return { areaDesc: ctx.place(p.kind, p.code)?.name ?? `${p.kind}:${p.code}`, geocodes: [{ valueName: GEOCODE_NAMES[p.kind], value: p.code }] };
}
