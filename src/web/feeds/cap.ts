/**
 * A CAP 1.2 alert (OASIS Common Alerting Protocol, 2010) from plain values, its elements in
 * the order the specification's schema requires. Enumerations are typed; identifiers and
 * senders are checked for what CAP forbids in them (spaces, commas, "<" and "&"), since
 * `references` joins them with commas and spaces; times are written as CAP wants (see
 * times.ts). Texts are XML-escaped.
 */
import { element } from './xml.js';
import { capTime } from './times.js';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
/** The media type CAP alerts are served with. */
export const CAP_TYPE = 'application/cap+xml; charset=utf-8';

export type CapStatus = 'Actual' | 'Exercise' | 'System' | 'Test' | 'Draft';
export type CapMsgType = 'Alert' | 'Update' | 'Cancel' | 'Ack' | 'Error';
export type CapScope = 'Public' | 'Restricted' | 'Private';
export type CapCategory = 'Geo' | 'Met' | 'Safety' | 'Security' | 'Rescue' | 'Fire' | 'Health' | 'Env' | 'Transport' | 'Infra' | 'CBRNE' | 'Other';
export type CapResponseType = 'Shelter' | 'Evacuate' | 'Prepare' | 'Execute' | 'Avoid' | 'Monitor' | 'Assess' | 'AllClear' | 'None';
export type CapUrgency = 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';
export type CapSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
export type CapCertainty = 'Observed' | 'Likely' | 'Possible' | 'Unlikely' | 'Unknown';

/** A name and value pair (eventCode, parameter, geocode). */
export interface CapValue {
  valueName: string;
  value: string;
}

/** An area: its description and geocodes. */
export interface CapArea {
  areaDesc: string;
  geocodes: CapValue[];
}

/** One `<info>` block: the alert in one language. */
export interface CapInfo {
  /** RFC 3066 language: "fr-FR", "en-US". */
  language: string;
  categories: CapCategory[];
  event: string;
  responseTypes: CapResponseType[];
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  eventCodes: CapValue[];
  onset?: Date | string;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  parameters: CapValue[];
  areas: CapArea[];
}

/** An earlier alert this one refers to. */
export interface CapReference {
  sender: string;
  identifier: string;
  sent: Date | string;
}

/** An alert. */
export interface CapAlert {
  identifier: string;
  sender: string;
  sent: Date | string;
  status: CapStatus;
  msgType: CapMsgType;
  scope: CapScope;
  /** Required by CAP for status Exercise and msgType Error. */
  note?: string;
  references: CapReference[];
  /** Ids of the incidents the alert is about (no spaces or commas). */
  incidents: string[];
  infos: CapInfo[];
}

/** Characters CAP forbids in identifiers and senders. */
const RESTRICTED = /[\s,<&]/;

/** Throws when an id would break `references` (a bug, never user input: ids are built by Vigie). */
function capId(kind: string, id: string): string {
  if (id.length === 0 || RESTRICTED.test(id)) throw new Error(`CAP ${kind} ${JSON.stringify(id)} has a space, comma, < or &`);
  return id;
}

const value = (tag: string, v: CapValue) => `<${tag}>${element('valueName', v.valueName)}${element('value', v.value)}</${tag}>`;
const optional = (tag: string, text: string | undefined) => (text === undefined || text === '' ? '' : element(tag, text));

function info(i: CapInfo): string {
  if (i.categories.length === 0) throw new Error('CAP info needs at least one category');
  const parts = [
    element('language', i.language),
    ...i.categories.map((c) => element('category', c)),
    element('event', i.event),
    ...i.responseTypes.map((r) => element('responseType', r)),
    element('urgency', i.urgency),
    element('severity', i.severity),
    element('certainty', i.certainty),
    ...i.eventCodes.map((v) => value('eventCode', v)),
    i.onset === undefined ? '' : element('onset', capTime(i.onset)),
    optional('senderName', i.senderName),
    optional('headline', i.headline),
    optional('description', i.description),
    optional('instruction', i.instruction),
    optional('web', i.web),
    ...i.parameters.map((v) => value('parameter', v)),
    ...i.areas.map((a) => `<area>${element('areaDesc', a.areaDesc)}${a.geocodes.map((g) => value('geocode', g)).join('')}</area>`),
  ];
  return `<info>\n    ${parts.filter(Boolean).join('\n    ')}\n  </info>`;
}

/** The alert as an XML document (UTF-8). */
export function renderCap(alert: CapAlert): string {
  const references = alert.references.map((r) => `${capId('sender', r.sender)},${capId('identifier', r.identifier)},${capTime(r.sent)}`).join(' ');
  const parts = [
    element('identifier', capId('identifier', alert.identifier)),
    element('sender', capId('sender', alert.sender)),
    element('sent', capTime(alert.sent)),
    element('status', alert.status),
    element('msgType', alert.msgType),
    element('scope', alert.scope),
    optional('note', alert.note),
    optional('references', references),
    optional('incidents', alert.incidents.map((id) => capId('incident', id)).join(' ')),
    ...alert.infos.map(info),
  ];
  return `<?xml version="1.0" encoding="utf-8"?>\n<alert xmlns="${CAP_NAMESPACE}">\n  ${parts.filter(Boolean).join('\n  ')}\n</alert>\n`;
}
