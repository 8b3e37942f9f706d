/**
 * zod schemas of the files in content/. Every content file is validated once, at load;
 * a bad file stops startup with the file, the field path and what was expected.
 */
import { z } from 'zod';
import { httpUrl } from './validation.js';
import { CAUSES, LEVELS, PHASES, PLACE_KINDS, STATUSES, TIME_PRECISIONS, type TimePrecision } from '../base/types.js';
import { insideSpan } from '../base/precision.js';
import { SCHOOL_TIMEZONE } from '../base/zoned-time.js';

/** Web addresses in content and stored records: absolute http(s), no spaces or markup, ≤ 2,048 characters. */
const contentUrl = httpUrl('expected a full http(s) web address without spaces, < > or quotes, at most 2,048 characters');

/** An optional trimmed text of at most `max` characters, where "" means absent (form inputs). */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/** A non-empty text in French and English. */
export const localizedSchema = z.strictObject({
  fr: z.string().trim().min(1),
  en: z.string().trim().min(1),
});

const inseeRegion = z.string().regex(/^\d{2}$/, 'a two-digit INSEE région code such as "76" or "01"');
const inseeDepartement = z
  .string()
  .regex(/^(\d{2}|2A|2B|97\d)$/, 'an INSEE département code such as "31", "2A" or "974"');
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a lower-case slug such as "aix-marseille"');

/** content/services.yaml */
export const serviceSchema = z.strictObject({
  id: slug,
  name: localizedSchema,
  /** Short name used in headlines ("ENT", "CNED"). */
  short: localizedSchema,
  /** Ways people name it: lower-case, accents optional; matching folds accents and case. */
  aliases: z.array(z.string().trim().min(1)).min(1),
  operator: localizedSchema,
  scope: localizedSchema,
  levels: z.array(z.enum(LEVELS)).default([]),
  /** Regional or departmental brands: a name people use, and where it applies. */
  brands: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1),
        aliases: z.array(z.string().trim().min(1)).default([]),
        regions: z.array(inseeRegion).default([]),
        departements: z.array(inseeDepartement).default([]),
        levels: z.array(z.enum(LEVELS)).default([]),
      }),
    )
    .default([]),
  links: z
    .array(z.strictObject({ label: localizedSchema, url: contentUrl }))
    .default([]),
  /** Advice when nothing is known to be wrong but the person has a problem. */
  selfHelp: localizedSchema.optional(),
});
export const servicesFileSchema = z.strictObject({ services: z.array(serviceSchema).min(1) });
export type Service = z.infer<typeof serviceSchema>;

/** content/places/academies.yaml */
export const academieSchema = z.strictObject({
  slug,
  name: z.string().trim().min(1),
  region: inseeRegion,
  departements: z.array(inseeDepartement).min(1),
  aliases: z.array(z.string().trim().min(1)).default([]),
});
export const academiesFileSchema = z.strictObject({
  academies: z.array(academieSchema).min(1),
  /** Région names from before 2016 (and other common names), pointing at today's région. */
  regionAliases: z.array(z.strictObject({ name: z.string().trim().min(1), region: inseeRegion })),
});
export type Academie = z.infer<typeof academieSchema>;

/** content/messages/{fr,en}.yaml: a flat map of message keys to templates with {placeholders}. */
export const messagesFileSchema = z.record(
  z.string().regex(/^[a-z][a-zA-Z0-9_.]*$/, 'a message key such as "status.headline": lower-case letters first, then letters, digits, "_" and "."'),
  z.string().min(1),
);
export type Messages = z.infer<typeof messagesFileSchema>;

/** A place in an incident's scope: its kind and code (the name is looked up). */
export const scopePlaceSchema = z.strictObject({
  kind: z.enum(PLACE_KINDS),
  code: z.string().trim().min(1),
});

export const sourceSchema = z.strictObject({
  name: z.string().trim().min(1),
  url: contentUrl.optional(),
});

/** "HH:MM" on the scenario's day, or "+N HH:MM" for N days later. */
export const scenarioTimeSchema = z
  .string()
  .regex(/^(\+\d+ )?([01]\d|2[0-3]):[0-5]\d$/, 'a time such as "08:30" or "+1 07:00"');

/**
 * How precisely a scenario time is known when the source gives no minute ("ce matin",
 * "dès demain matin"): the time is then a replay point inside that span, said as the span.
 */
const precisionSchema = z.enum(TIME_PRECISIONS).optional();

/** A problem when a scenario time lies outside the span its precision names ("14:00" said "ce matin"). */
function spanProblem(at: string | undefined, precision: TimePrecision | undefined): string | null {
  if (at === undefined || precision === undefined) return null;
  const m = /(\d{2}):(\d{2})$/.exec(at);
  if (!m || insideSpan(precision, Number(m[1]) * 60 + Number(m[2]))) return null;
  return `${at} is not in the ${precision} (morning: 05:00-11:59, evening: 17:00-23:59)`;
}

const recoverySchema = z
  .strictObject({
    at: scenarioTimeSchema.optional(),
    /** The precision of `at`; a span (morning, evening, day) counts as passed once it is over. */
    precision: precisionSchema,
    text: localizedSchema,
  })
  .superRefine((r, ctx) => {
    if (r.precision !== undefined && r.at === undefined) ctx.addIssue({ code: 'custom', path: ['precision'], message: 'precision needs an "at" time' });
    const problem = spanProblem(r.at, r.precision);
    if (problem) ctx.addIssue({ code: 'custom', path: ['at'], message: problem });
  });

/** One event of a scenario timeline: it opens, updates or resolves an incident. */
export const scenarioEventSchema = z.strictObject({
  /** The replay point: when the event takes effect in the replayed day. */
  at: scenarioTimeSchema,
  /**
   * How precisely the source dates the event ("ce matin": morning); answers then say the span
   * of its update (and, on open, of the start), never `at`'s minutes. Absent: `at` is exact.
   */
  precision: precisionSchema,
  /** On open, the start's own precision when it differs from the update's ("ce matin" vs "aujourd'hui"). */
  startPrecision: precisionSchema,
  action: z.enum(['open', 'update', 'resolve']),
  incident: slug,
  service: z.string().optional(),
  scope: z
    .strictObject({
      places: z.array(scopePlaceSchema).min(1),
      levels: z.array(z.enum(LEVELS)).default([]),
    })
    .optional(),
  title: localizedSchema.optional(),
  status: z.enum(STATUSES).optional(),
  phase: z.enum(PHASES).optional(),
  cause: z.enum(CAUSES).optional(),
  expectedRecovery: recoverySchema.nullable().optional(),
  advice: localizedSchema.nullable().optional(),
  /** The official update published with this event. */
  update: z.strictObject({ text: localizedSchema, source: sourceSchema }),
}).superRefine((e, ctx) => {
  if (e.startPrecision !== undefined && e.action !== 'open') ctx.addIssue({ code: 'custom', path: ['startPrecision'], message: 'startPrecision is for "open" events' });
  const problem = spanProblem(e.at, e.precision);
  if (problem) ctx.addIssue({ code: 'custom', path: ['precision'], message: problem });
  const start = spanProblem(e.at, e.startPrecision);
  if (start) ctx.addIssue({ code: 'custom', path: ['startPrecision'], message: start });
});
export type ScenarioEvent = z.infer<typeof scenarioEventSchema>;

/** content/scenarios/*.yaml, and files given to `--data`. */
export const scenarioFileSchema = z.strictObject({
  id: z.string().trim().min(1),
  title: localizedSchema,
  /** The day the timeline is anchored on, YYYY-MM-DD. */
  date: z.iso.date(),
  timezone: z.string().default(SCHOOL_TIMEZONE),
  description: localizedSchema.optional(),
  events: z.array(scenarioEventSchema).min(1),
});
export type Scenario = z.infer<typeof scenarioFileSchema>;
