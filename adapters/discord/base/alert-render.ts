/**
 * How a crowd-signal alert (src/signals/alert-types.ts) looks in the Discord alert channel, and
 * what its "Ouvrir un incident" button carries; the sink that sends it is ../alerts.ts, the
 * press is answered by ../handlers/alert.ts.
 * - One embed: the title, the facts one per line, up to three report texts as people wrote
 *   them in a quoted block, the caveat (crowd signals are not an official status) in italics;
 *   orange while open, grey once ended. Every text is escaped (escape.ts): sample texts are
 *   people's own words and may hold @everyone, @here, <@123>, <@&role>, masked links,
 *   markdown, code fences; addresses are shown as text, never as links.
 * - The button, while the alert is open: its custom id carries the prefill (service, places,
 *   status, cause) compactly ("vigie:alert:" + status index + cause index + service + ":" +
 *   places as kind letter and code, "." between), or, when that does not fit in Discord's 100
 *   characters, "~" and a token of the alert whose prefill is kept in memory (AlertPrefills).
 */
import { createHash } from 'node:crypto';
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import { CAUSES, cutText, STATUSES, type Cause, type PlaceKind, type Status } from '../../../src/index.js';
import type { AlertPrefill, SignalAlert } from '../../../src/signals/alert-types.js';
import { DISCORD_LIMITS, escapeText, IDS, plainText } from './render.js';

/** Orange while an alert is open (not red: crowd signals are not an outage status), grey once ended. */
export const ALERT_COLOURS = { open: 0xe67e22, ended: 0x99aab5 } as const;

/**
 * No text of an alert is a live link, not even a valid https address: report texts come from
 * anyone, and operators on a crisis morning must not be one click from a reporter's page.
 */
const NO_LINKS = { links: false } as const;

/** How much of each report text is shown, and how many of its lines. */
const SAMPLE_MAX = 300;
const SAMPLE_LINES = 4;
const SAMPLES_SHOWN = 3;

/** One-letter place kinds in a compact custom id. */
const KIND_LETTERS: Record<PlaceKind, string> = { national: 'n', region: 'r', academie: 'a', departement: 'd', commune: 'c' };
const LETTER_KINDS = new Map(Object.entries(KIND_LETTERS).map(([kind, letter]) => [letter, kind as PlaceKind]));
const SERVICE = /^[a-z0-9][a-z0-9-]{0,39}$/;
const CODE = /^[0-9A-Za-z][0-9A-Za-z-]{0,29}$/;
/** status index, cause index, service, ":", places as kind letter + code separated by "." */
const COMPACT = /^([0-9])([0-9])([a-z0-9][a-z0-9-]{0,39}):([nradc][0-9A-Za-z][0-9A-Za-z-]{0,29}(?:\.[nradc][0-9A-Za-z][0-9A-Za-z-]{0,29}){0,19})$/;
/** What follows the prefix when the prefill is kept in memory: "~" and the alert's token. */
const TOKEN = /^~([A-Za-z0-9_-]{22})$/;

/** Discord's nonce of an alert's post: 25 characters at most, the same for every post of the alert. */
export function alertNonce(alertId: string): string {
  return `a${createHash('sha256').update(`alert:${alertId}`).digest('base64url').slice(0, 24)}`;
}

function tokenOf(alertId: string): string {
  return createHash('sha256').update(`alert-button:${alertId}`).digest('base64url').slice(0, 22);
}

/**
 * Prefills kept in memory for buttons whose prefill does not fit in a custom id, by the
 * alert's token; bounded (the oldest go first). Lost on restart: the desk's next edit of the
 * alert keeps it again; a press before that is answered as expired.
 */
export class AlertPrefills {
  private readonly byToken = new Map<string, AlertPrefill>();

  constructor(private readonly max = 500) {}

  /** Keeps the alert's latest prefill; returns its token. */
  keep(alertId: string, prefill: AlertPrefill): string {
    const token = tokenOf(alertId);
    this.byToken.delete(token);
    this.byToken.set(token, prefill);
    if (this.byToken.size > this.max) this.byToken.delete(this.byToken.keys().next().value!);
    return token;
  }

  get(token: string): AlertPrefill | null {
    return this.byToken.get(token) ?? null;
  }

  get size(): number {
    return this.byToken.size;
  }
}

/** The prefill as a compact custom id ("vigie:alert:" then status, cause, service, places), or null when it cannot be one. */
export function compactAlertId(prefill: AlertPrefill): string | null {
  const status = STATUSES.indexOf(prefill.status);
  const cause = CAUSES.indexOf(prefill.cause);
  if (status < 0 || cause < 0 || status > 9 || cause > 9 || !SERVICE.test(prefill.service) || prefill.places.length === 0) return null;
  const places: string[] = [];
  for (const place of prefill.places) {
    const typed = /^([a-z]+):(.+)$/.exec(place);
    const letter = typed ? KIND_LETTERS[typed[1] as PlaceKind] : undefined;
    if (!typed || !letter || !CODE.test(typed[2]!)) return null;
    places.push(`${letter}${typed[2]}`);
  }
  const id = `${IDS.alert}${status}${cause}${prefill.service}:${places.join('.')}`;
  return id.length <= DISCORD_LIMITS.customId && COMPACT.test(id.slice(IDS.alert.length)) ? id : null;
}

/** The custom id of an alert's button: the compact prefill, or the alert's token (its prefill kept in `prefills`). */
export function alertButtonId(alert: Pick<SignalAlert, 'id' | 'prefill'>, prefills: AlertPrefills): string {
  return compactAlertId(alert.prefill) ?? `${IDS.alert}~${prefills.keep(alert.id, alert.prefill)}`;
}

/**
 * The prefill a button's custom id stands for, or null (malformed, or a token no longer in
 * memory). The custom id comes back from the client: it is read strictly, and the core
 * validates the form again before anything is stored.
 */
export function prefillOfButton(customId: string, prefills: AlertPrefills): AlertPrefill | null {
  if (!customId.startsWith(IDS.alert) || customId.length > DISCORD_LIMITS.customId) return null;
  const rest = customId.slice(IDS.alert.length);
  const token = TOKEN.exec(rest);
  if (token) return prefills.get(token[1]!);
  const m = COMPACT.exec(rest);
  if (!m) return null;
  const status = STATUSES[Number(m[1])] as Status | undefined;
  const cause = CAUSES[Number(m[2])] as Cause | undefined;
  if (!status || !cause) return null;
  const places = m[4]!.split('.').map((p) => `${LETTER_KINDS.get(p[0]!)!}:${p.slice(1)}`);
  return { service: m[3]!, places, status, cause };
}

/** A report text as a quoted block: its own lines escaped (a ">" of its own is literal), at most SAMPLE_LINES of them. */
function quoted(sample: string): string {
  const lines = cutText(sample.replace(/\r\n?/g, '\n').trim(), SAMPLE_MAX)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const shown = lines.length > SAMPLE_LINES ? [...lines.slice(0, SAMPLE_LINES - 1), `${lines[SAMPLE_LINES - 1]!} …`] : lines;
  return shown.map((l) => `> ${escapeText(l, undefined, NO_LINKS)}`).join('\n');
}

/** The alert's embed: title, facts, samples quoted, caveat in italics; within Discord's limits. */
export function alertEmbed(alert: SignalAlert): APIEmbed {
  const { wording } = alert;
  const facts = wording.lines.map((l) => escapeText(l.replace(/\s*\n\s*/g, ' '), DISCORD_LIMITS.fieldValue, NO_LINKS)).filter(Boolean);
  const samples = wording.samples
    .slice(0, SAMPLES_SHOWN)
    .map(quoted)
    .filter(Boolean);
  const caveat = wording.caveat.trim() ? `*${escapeText(wording.caveat.replace(/\s*\n\s*/g, ' '), 500, NO_LINKS)}*` : '';
  // The caveat always shows; then the facts, whole lines only (a cut could leave half an
  // escape or half a link); the samples are the first to give way.
  const budget = DISCORD_LIMITS.description - (caveat ? caveat.length + 2 : 0);
  const shownFacts: string[] = [];
  for (const fact of facts) {
    if ([...shownFacts, fact].join('\n').length > budget) break;
    shownFacts.push(fact);
  }
  const head = shownFacts.join('\n');
  const kept: string[] = [];
  for (const sample of samples) {
    if ([head, ...kept, sample].filter(Boolean).join('\n\n').length > budget) break;
    kept.push(sample);
  }
  const description = [head, ...kept, caveat].filter(Boolean).join('\n\n');
  return {
    title: escapeText(wording.title.replace(/\s*\n\s*/g, ' '), DISCORD_LIMITS.title, NO_LINKS) || '—',
    ...(description ? { description } : {}),
    color: alert.state === 'open' ? ALERT_COLOURS.open : ALERT_COLOURS.ended,
  };
}

/** The alert's button row: "Ouvrir un incident" while it is open and labelled (blurple, not red: the alert is not an outage status); none once ended. */
export function alertComponents(alert: SignalAlert, prefills: AlertPrefills): APIActionRowComponent<APIButtonComponent>[] {
  const label = alert.wording.openIncidentLabel?.trim();
  if (alert.state !== 'open' || !label) return [];
  return [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: plainText(label, DISCORD_LIMITS.buttonLabel), custom_id: alertButtonId(alert, prefills) }] }];
}

/** Discord's allowed_mentions that let nothing ping: no @everyone/@here, no role, no user, no reply. */
export const ALERT_NO_PINGS = { parse: [] as never[], replied_user: false };

/** The body of an alert message (post or edit): embed, button row, no pings. */
export function alertBody(alert: SignalAlert, prefills: AlertPrefills): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[]; allowed_mentions: typeof ALERT_NO_PINGS } {
  return { embeds: [alertEmbed(alert)], components: alertComponents(alert, prefills), allowed_mentions: ALERT_NO_PINGS };
}

