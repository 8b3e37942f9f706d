/**
 * zod schemas of the files in content/. Every content file is validated once, at load;
 * a bad file stops startup with the file, the field path and what was expected.
 */
import { z } from 'zod';
import { httpUrl } from './validation.js';
import { CAUSES, LEVELS, PHASES, PLACE_KINDS, STATUSES, TIME_PRECISIONS, type TimePrecision } from '../base/types.js';
import { insideSpan } from '../base/precision.js';
import { SCHOOL_TIMEZONE } from '../base/zoned-time.js';
import { placeCodeSchema } from './place-code.js';

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

/** Minutes after the scenario day's midnight of a scenario time ("+1 07:00" → 1,860); null when malformed. */
function scenarioMinutes(at: unknown): number | null {
  const m = typeof at === 'string' ? /^(?:\+(\d+) )?(\d{2}):(\d{2})$/.exec(at) : null;
  return m ? Number(m[1] ?? 0) * 24 * 60 + Number(m[2]) * 60 + Number(m[3]) : null;
}

/** The most reporters a crowd entry may give per 15 minutes (a demo, not a load test). */
export const CROWD_MAX_REPORTERS = 10_000;

/**
 * One step of a crowd timeline: from `at`, `reporters` distinct people report a problem with
 * `service` at `place` in every 15 minutes, until the next entry of the same service and
 * place (0 ends it).
 */
export const crowdEntrySchema = z.strictObject({
  at: scenarioTimeSchema,
  /** A service id of content/services.yaml (checked when the scenario is loaded). */
  service: z.string().trim().min(1),
  /** Where the people report from, as "kind:code" ("region:76", "national:FR"). */
  place: placeCodeSchema,
  /** Distinct people reporting per 15 minutes from `at`; 0 ends the series. */
  reporters: z
    .number({ error: 'a whole number of people per 15 minutes, such as 20' })
    .int('a whole number of people per 15 minutes, such as 20')
    .min(0, 'at least 0 (0 ends the series)')
    .max(CROWD_MAX_REPORTERS, `at most ${CROWD_MAX_REPORTERS.toLocaleString('en')} per 15 minutes`),
  /** What the entry stands for, for whoever reads the file (not shown to users). */
  note: z.string().trim().min(1).optional(),
});
export type CrowdEntry = z.infer<typeof crowdEntrySchema>;

/**
 * A scenario's crowd timeline: people's reports as they could have come in, for the demo to
 * feed the signal detector. Never observed data: `reconstructed: true` is required, and the
 * label says so to whoever sees it.
 */
export const crowdSchema = z
  .strictObject({
    reconstructed: z.literal(true, { error: 'a crowd timeline is a reconstruction, never observed data: write "reconstructed: true"' }),
    /** Said wherever the timeline's signals are shown: that they are reconstructed, and from what. */
    label: localizedSchema,
    entries: z.array(crowdEntrySchema).min(1),
  })
  .superRefine((crowd, ctx) => {
    const last = new Map<string, { index: number; minutes: number; reporters: number }>();
    let previous = -Infinity;
    crowd.entries.forEach((entry, index) => {
      // zod runs this even when an entry failed its own checks: those are reported already.
      const minutes = scenarioMinutes(entry.at);
      if (minutes === null || typeof entry.place !== 'object' || entry.place === null || typeof entry.reporters !== 'number') return;
      if (minutes < previous) ctx.addIssue({ code: 'custom', path: ['entries', index, 'at'], message: `${entry.at} is earlier than the entry before it: list the entries in time order` });
      previous = Math.max(previous, minutes);
      const key = `${entry.service} at ${entry.place.kind}:${entry.place.code}`;
      const before = last.get(key);
      if (before && before.minutes === minutes) ctx.addIssue({ code: 'custom', path: ['entries', index, 'at'], message: `${key} has two entries at ${entry.at} (entries.${before.index} and this one)` });
      if (!before && entry.reporters === 0) ctx.addIssue({ code: 'custom', path: ['entries', index, 'reporters'], message: `${key} starts with 0 reporters: nothing to end` });
      last.set(key, { index, minutes, reporters: entry.reporters });
    });
    for (const [key, end] of last) {
      if (end.reporters !== 0) ctx.addIssue({ code: 'custom', path: ['entries', end.index, 'reporters'], message: `the last entry of ${key} must be 0 reporters, to say when the reports stop` });
    }
  });
export type Crowd = z.infer<typeof crowdSchema>;

/** content/scenarios/*.yaml, and files given to `--data`. */
export const scenarioFileSchema = z.strictObject({
  id: z.string().trim().min(1),
  title: localizedSchema,
  /** The day the timeline is anchored on, YYYY-MM-DD. */
  date: z.iso.date(),
  timezone: z.string().default(SCHOOL_TIMEZONE),
  description: localizedSchema.optional(),
  events: z.array(scenarioEventSchema).min(1),
  /** People's reports over the day, reconstructed (see crowdSchema); the demo feeds them to the signal detector. */
  crowd: crowdSchema.optional(),
});
export type Scenario = z.infer<typeof scenarioFileSchema>;
