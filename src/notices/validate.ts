/**
 * Reads a notice from raw input: zod first (each problem names its field), then the checks
 * zod cannot make (known services, known places, what opening an incident needs). Problems
 * come back as values, in the admin's language.
 */
import type { Templates } from '../content/templates.js';
import type { z } from 'zod';
import type { adminIncidentInputSchema } from '../admin/incident-input.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { Language, PlaceRef } from '../base/types.js';
import { noticeInputSchema, type NoticeInput } from '../store/notice.js';
import { parseDuration } from '../base/time-input.js';
import { inputFailures, salvage } from '../content/validation.js';
import { failure, type ErrorCode, type Failure } from '../base/errors.js';
import type { FieldNamer } from '../admin/incident-input.js';

/** What reading a notice needs from the rest of the core. */
export interface ValidateDeps {
  templates: Templates;
  gazetteer: Gazetteer;
  serviceIds: ReadonlySet<string>;
  resolvePlaces(text: string): { places: PlaceRef[]; unknown: string[] };
}

/** The part of a notice that could be read, to check further even when something is wrong. */
export interface NoticeRead {
  input: NoticeInput;
  places: PlaceRef[];
}

/** A notice read: its input and resolved places, or every problem found and what remains readable. */
export type ReadNotice = ({ ok: true } & NoticeRead) | { ok: false; failures: Failure[]; partial: NoticeRead | null };

/** Validates raw notice input, reporting every problem at once. */
export function readNotice(raw: unknown, lang: Language, deps: ValidateDeps): ReadNotice {
  const t = (key: string, vars?: Record<string, string | number>) => deps.templates.t(lang, key, vars);
  const errors: Failure[] = [];
  const fail = (code: ErrorCode, text: string, field?: string) => errors.push(failure(code, text, field));
  let input: NoticeInput | null;
  const parsed = noticeInputSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) input = parsed.data;
  else {
    errors.push(...inputFailures(parsed.error, lang, deps.templates, 'notice'));
    // Whatever zod could not take, the rest is still checked, so the admin fixes everything in one go.
    input = salvage(noticeInputSchema, raw, parsed.error.issues, { text: { fr: '-' } });
  }
  if (!input) return { ok: false, failures: errors, partial: null };
  const follows = input.incident && input.incident.action !== 'open';
  const failed = (field: string) => parsed.success ? false : parsed.error.issues.some((i) => String(i.path[0]) === field);
  if (!follows && !input.services && !failed('services')) fail('INPUT_MISSING', t('notice.error.services_required'), 'services');
  if (!follows && !input.places && !failed('places')) fail('INPUT_MISSING', t('notice.error.places_required'), 'places');
  if (input.incident?.action === 'open' && input.services && (input.services.length !== 1 || input.services[0] === '*')) {
    fail('INPUT_CONFLICT', t('notice.error.one_service'), 'services');
  }
  if (input.incident?.recoveryAt && input.incident.recoveryIn) fail('INPUT_CONFLICT', t('notice.error.recovery_twice'), 'incident.recoveryIn');
  if (input.incident?.recoveryIn && parseDuration(`+${input.incident.recoveryIn}`) === null) {
    fail('INPUT_BAD_TIME', t('admin.error.field', { field: 'incident.recoveryIn', problem: t('notice.error.duration') }), 'incident.recoveryIn');
  }
  for (const s of input.services ?? []) {
    if (s !== '*' && !deps.serviceIds.has(s)) fail('INPUT_UNKNOWN_SERVICE', t('admin.error.unknown_service', { value: s }), 'services');
  }
  const places: PlaceRef[] = [];
  if (typeof input.places === 'string') {
    const resolved = deps.resolvePlaces(input.places);
    for (const name of resolved.unknown) fail('INPUT_UNKNOWN_PLACE', t('admin.error.unknown_place', { value: name }), 'places');
    places.push(...resolved.places);
  } else if (input.places) {
    for (const p of input.places) {
      const ref = deps.gazetteer.get(p.kind, p.code);
      if (ref) places.push(ref);
      else fail('INPUT_UNKNOWN_PLACE', t('notice.error.unknown_place_code', { value: `${p.kind}:${p.code}` }), 'places');
    }
  }
  return errors.length > 0 ? { ok: false, failures: errors, partial: { input, places } } : { ok: true, input, places };
}

/** The incident form's fields as a notice file names them. */
const NOTICE_FIELDS: Record<string, string> = {
  textFr: 'text.fr',
  textEn: 'text.en',
  titleFr: 'title.fr',
  titleEn: 'title.en',
  recoveryFr: 'incident.recovery.fr',
  recoveryEn: 'incident.recovery.en',
  adviceFr: 'incident.advice.fr',
  adviceEn: 'incident.advice.en',
  sourceName: 'source.name',
  sourceUrl: 'source.url',
  cause: 'incident.cause',
  id: 'incident.id',
  action: 'incident.action',
  status: 'status',
  phase: 'phase',
  levels: 'levels',
};

/**
 * Names the incident form's fields as the notice file does; services and places are the
 * notice's own checks (already reported), so the incident's problems with them are left out.
 */
export function noticeFieldName(input: NoticeInput): FieldNamer {
  return (field) => {
    const [head, ...rest] = field.split('.');
    if (head === 'service' || head === 'places') return null;
    if (head === 'recoveryAt') return input.incident?.recoveryIn && !input.incident.recoveryAt ? 'incident.recoveryIn' : 'incident.recoveryAt';
    const named = NOTICE_FIELDS[head ?? ''];
    return named ? [named, ...rest].join('.') : field;
  };
}

/** Admin incident input as a form hands it over (before zod). */
export type AdminIncidentFields = z.input<typeof adminIncidentInputSchema>;

/** The admin incident input a notice stands for (its places as typed codes the admin reader resolves). */
export function incidentInputOf(input: NoticeInput, places: readonly PlaceRef[]): AdminIncidentFields | null {
  const incident = input.incident;
  if (!incident) return null;
  const typed = places.map((p) => (p.kind === 'national' ? 'national' : `${p.kind}:${p.code}`)).join(', ');
  const out: AdminIncidentFields = { action: incident.action, textFr: input.text.fr };
  const set = <K extends keyof AdminIncidentFields>(key: K, value: AdminIncidentFields[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('id', incident.id);
  set('service', input.services?.[0]);
  set('places', typed || undefined);
  set('levels', input.levels);
  set('status', input.status);
  set('phase', input.phase);
  set('cause', incident.cause);
  set('titleFr', input.title?.fr);
  set('titleEn', input.title?.en);
  set('textEn', input.text.en);
  set('recoveryAt', incident.recoveryAt ?? (incident.recoveryIn ? `+${incident.recoveryIn}` : undefined));
  set('recoveryFr', incident.recovery?.fr);
  set('recoveryEn', incident.recovery?.en);
  set('adviceFr', incident.advice?.fr);
  set('adviceEn', incident.advice?.en);
  set('sourceName', input.source?.name);
  set('sourceUrl', input.source?.url);
  set('force', incident.force);
  return out;
}
