/**
 * Reads a notice from raw input: zod first (each problem names its field), then the checks
 * zod cannot make (known services, known places, what opening an incident needs). Problems
 * come back as values, in the admin's language.
 */
import type { Templates } from '../answer/messages.js';
import type { z } from 'zod';
import type { adminIncidentInputSchema } from '../admin/incident-input.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { Language, PlaceRef } from '../types.js';
import { noticeInputSchema, type NoticeInput } from './notice.js';
import { noticeText } from './words.js';
import { parseDuration } from '../time-input.js';

/** What reading a notice needs from the rest of the core. */
export interface ValidateDeps {
  templates: Templates;
  gazetteer: Gazetteer;
  serviceIds: ReadonlySet<string>;
  resolvePlaces(text: string): { places: PlaceRef[]; unknown: string[] };
}

/** A notice read: its input, its resolved places (empty when the incident gives them). */
export type ReadNotice = { ok: true; input: NoticeInput; places: PlaceRef[] } | { ok: false; errors: string[] };

/** Validates raw notice input. */
export function readNotice(raw: unknown, lang: Language, deps: ValidateDeps): ReadNotice {
  const t = (key: string, vars?: Record<string, string | number>) => noticeText(deps.templates, lang, key, vars);
  const parsed = noticeInputSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues
        .slice(0, 8)
        .map((issue) => t('admin.error.field', { field: issue.path.map(String).join('.') || 'notice', problem: issue.message })),
    };
  }
  const input = parsed.data;
  const errors: string[] = [];
  const follows = input.incident && input.incident.action !== 'open';
  if (!follows && !input.services) errors.push(t('notice.error.services_required'));
  if (!follows && !input.places) errors.push(t('notice.error.places_required'));
  if (input.incident?.action === 'open' && input.services && (input.services.length !== 1 || input.services[0] === '*')) {
    errors.push(t('notice.error.one_service'));
  }
  if (input.incident?.recoveryAt && input.incident.recoveryIn) errors.push(t('notice.error.recovery_twice'));
  if (input.incident?.recoveryIn && parseDuration(`+${input.incident.recoveryIn}`) === null) {
    errors.push(t('admin.error.field', { field: 'incident.recoveryIn', problem: t('notice.error.duration') }));
  }
  for (const s of input.services ?? []) {
    if (s !== '*' && !deps.serviceIds.has(s)) errors.push(t('admin.error.unknown_service', { value: s }));
  }
  const places: PlaceRef[] = [];
  if (typeof input.places === 'string') {
    const resolved = deps.resolvePlaces(input.places);
    for (const name of resolved.unknown) errors.push(t('admin.error.unknown_place', { value: name }));
    places.push(...resolved.places);
  } else if (input.places) {
    for (const p of input.places) {
      const ref = deps.gazetteer.get(p.kind, p.code);
      if (ref) places.push(ref);
      else errors.push(t('notice.error.unknown_place_code', { value: `${p.kind}:${p.code}` }));
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, input, places };
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
  return out;
}
