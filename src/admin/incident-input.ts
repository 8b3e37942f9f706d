/**
 * What an admin sends to open, update or resolve an incident (Slack and Discord modals,
 * later the CLI), validated with zod, and turned into a stored Incident. Problems come back
 * as values in the admin's language, each naming the field.
 */
import { z } from 'zod';
import { CAUSES, LEVELS, PHASES, STATUSES, type Actor, type Language, type PlaceRef } from '../base/types.js';
import type { Incident } from '../incidents/schema.js';
import type { Templates } from '../content/templates.js';
import { parseFutureTime } from '../base/time-input.js';
import { optionalText } from '../content/schemas.js';
import { httpUrlSchema, inputFailures, salvage } from '../content/validation.js';
import { failure, type ErrorCode, type Failure } from '../base/errors.js';

const text = (max: number) => z.string().trim().max(max);

/** The admin form, as adapters hand it over (strings from inputs and selects). */
export const adminIncidentInputSchema = z.strictObject({
  action: z.enum(['open', 'update', 'resolve']),
  id: optionalText(120),
  service: optionalText(60),
  places: optionalText(500),
  levels: z.array(z.enum(LEVELS)).max(3).optional(),
  status: z.enum(STATUSES).optional(),
  phase: z.enum(PHASES).optional(),
  cause: z.enum(CAUSES).optional(),
  titleFr: optionalText(200),
  titleEn: optionalText(200),
  textFr: text(3000).min(1),
  textEn: optionalText(3000),
  recoveryAt: optionalText(40),
  recoveryFr: optionalText(500),
  recoveryEn: optionalText(500),
  adviceFr: optionalText(1000),
  adviceEn: optionalText(1000),
  sourceName: optionalText(120),
  sourceUrl: httpUrlSchema.optional().or(z.literal('').transform(() => undefined)),
  /** Open even when an identical incident (same service, places and levels) is open. */
  force: z.boolean().optional(),
});
export type AdminIncidentInput = z.infer<typeof adminIncidentInputSchema>;

/** What building an incident needs from the rest of the core. */
export interface BuildDeps {
  templates: Templates;
  serviceIds: ReadonlySet<string>;
  resolvePlaces(text: string): { places: PlaceRef[]; unknown: string[] };
  serviceShort(id: string, lang: Language): string;
  /**
   * How fields are named to the person (a notice file says "incident.recoveryAt" where the
   * form says "recoveryAt"); null leaves out problems with that field, already reported.
   */
  fieldName?: FieldNamer;
}

/** Names a form field for the person, or null to leave its problems out. */
export type FieldNamer = (field: string) => string | null;

/** The incident an admin action produces, or the problems that stop it (coded, each about its field when it has one). */
export type BuildResult = { ok: true; incident: Incident } | { ok: false; failures: Failure[] };

/**
 * Validates raw input; zod problems become "field: what is expected" lines in the admin's
 * language, every one at once. `partial` is what the later checks can still look at.
 */
export function parseAdminInput(
  raw: unknown,
  lang: Language,
  templates: Templates,
  fieldName?: FieldNamer,
): { ok: true; input: AdminIncidentInput } | { ok: false; failures: Failure[]; partial: AdminIncidentInput | null } {
  const parsed = adminIncidentInputSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return { ok: true, input: parsed.data };
  return {
    ok: false,
    failures: inputFailures(parsed.error, lang, templates, 'form', fieldName),
    partial: salvage(adminIncidentInputSchema, raw, parsed.error.issues, { textFr: '-' }),
  };
}

/**
 * Builds the incident as it will be stored: a new one for `open`, the existing one with a
 * new official update for `update` and `resolve`. Pure: stores nothing.
 */
export function buildIncident(
  input: AdminIncidentInput,
  existing: Incident | null,
  actor: Actor,
  now: Date,
  lang: Language,
  deps: BuildDeps,
): BuildResult {
  const t = (key: string, vars?: Record<string, string | number>) => deps.templates.t(lang, key, vars);
  const errors: Failure[] = [];
  const name = deps.fieldName ?? ((field: string) => field);
  /** Records a problem with `field`, unless the caller already reported that field. */
  const fail = (code: ErrorCode, field: string, text: (named: string) => string) => {
    const named = name(field);
    if (named !== null) errors.push(failure(code, text(named), named));
  };
  const at = now.toISOString();
  const en = (fr: string | undefined, enText: string | undefined) => (fr ? { fr, en: enText || fr } : null);

  let places: PlaceRef[] | null = null;
  if (input.places) {
    const resolved = deps.resolvePlaces(input.places);
    for (const unknown of resolved.unknown) fail('INPUT_UNKNOWN_PLACE', 'places', () => t('admin.error.unknown_place', { value: unknown }));
    if (resolved.places.length > 0) places = resolved.places;
    else if (resolved.unknown.length === 0) fail('INPUT_MISSING', 'places', (field) => t('admin.error.required', { field }));
  }
  let recoveryAt: string | null = null;
  if (input.recoveryAt) {
    const when = parseFutureTime(input.recoveryAt, now);
    if (!when) fail('INPUT_BAD_TIME', 'recoveryAt', (field) => t('admin.error.field', { field, problem: t('admin.error.time') }));
    else if (when.getTime() < now.getTime()) fail('INPUT_BAD_TIME', 'recoveryAt', (field) => t('admin.error.field', { field, problem: t('admin.error.time_past') }));
    else recoveryAt = when.toISOString();
  }
  const recoveryText = en(input.recoveryFr, input.recoveryEn);
  const expectedRecovery = recoveryText || recoveryAt ? { at: recoveryAt, text: recoveryText ?? { fr: '—', en: '—' } } : undefined;
  const source = { name: input.sourceName ?? actor.name ?? t('admin.default_source'), ...(input.sourceUrl ? { url: input.sourceUrl } : {}) };
  const update = (status: Incident['status'], phase: Incident['phase']) => ({
    at,
    status,
    phase,
    text: { fr: input.textFr, en: input.textEn || input.textFr },
    source,
  });

  if (input.action === 'open') {
    if (!input.service) fail('INPUT_MISSING', 'service', (field) => t('admin.error.required', { field }));
    else if (!deps.serviceIds.has(input.service)) fail('INPUT_UNKNOWN_SERVICE', 'service', () => t('admin.error.unknown_service', { value: input.service! }));
    if (!input.places) fail('INPUT_MISSING', 'places', (field) => t('admin.error.required', { field }));
    if (errors.length > 0 || !places || !input.service || !deps.serviceIds.has(input.service)) return { ok: false, failures: errors };
    const status = input.status ?? 'major_outage';
    const phase = input.phase ?? 'investigating';
    const where = places.map((p) => p.name).join(', ');
    const short = (l: Language) => deps.serviceShort(input.service!, l);
    const title = {
      fr: input.titleFr ?? `${short('fr')} — ${where}`,
      en: input.titleEn ?? input.titleFr ?? `${short('en')} — ${where}`,
    };
    return {
      ok: true,
      incident: {
        id: input.id ?? '',
        service: input.service,
        scope: { places: places.map((p) => ({ kind: p.kind, code: p.code })), levels: input.levels ?? [] },
        title,
        status,
        phase,
        cause: input.cause ?? 'unknown',
        startedAt: at,
        resolvedAt: null,
        expectedRecovery: expectedRecovery ?? null,
        advice: en(input.adviceFr, input.adviceEn),
        updates: [update(status, phase)],
      },
    };
  }

  if (!input.id) fail('INPUT_MISSING', 'id', (field) => t('admin.error.required', { field }));
  else if (!existing) fail('INCIDENT_UNKNOWN', 'id', () => t('admin.error.unknown_incident', { value: input.id! }));
  else if (existing.phase === 'resolved' && input.action === 'resolve') fail('INCIDENT_ALREADY_RESOLVED', 'id', () => t('admin.error.already_resolved', { value: input.id! }));
  if (input.service && existing && input.service !== existing.service) fail('INCIDENT_SERVICE_CHANGE', 'service', () => t('admin.error.service_change'));
  if (errors.length > 0 || !existing) return { ok: false, failures: errors };

  const resolving = input.action === 'resolve' || input.phase === 'resolved';
  const status = resolving ? 'operational' : (input.status ?? existing.status);
  const phase = resolving ? 'resolved' : (input.phase ?? (existing.phase === 'resolved' ? 'investigating' : existing.phase));
  return {
    ok: true,
    incident: {
      ...existing,
      scope: {
        places: places ? places.map((p) => ({ kind: p.kind, code: p.code })) : existing.scope.places,
        levels: input.levels ?? existing.scope.levels,
      },
      title: input.titleFr ? { fr: input.titleFr, en: input.titleEn || input.titleFr } : existing.title,
      status,
      phase,
      cause: input.cause ?? existing.cause,
      resolvedAt: resolving ? at : null,
      expectedRecovery: resolving ? null : (expectedRecovery ?? existing.expectedRecovery),
      advice: en(input.adviceFr, input.adviceEn) ?? existing.advice,
      updates: [...existing.updates, update(status, phase)],
    },
  };
}
