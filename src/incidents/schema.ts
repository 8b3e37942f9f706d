/**
 * The stored shape of an incident, validated when read back from the store or from admin input.
 */
import { z } from 'zod';
import { CAUSES, LEVELS, PHASES, STATUSES, TIME_PRECISIONS } from '../base/types.js';
import { localizedSchema, scopePlaceSchema, sourceSchema } from '../content/schemas.js';

const isoTime = z.iso.datetime({ offset: true });
/** How precisely the time beside it is known; absent when exact (see TIME_PRECISIONS). */
const precision = z.enum(TIME_PRECISIONS).optional();

/** One official update in an incident's timeline. */
export const incidentUpdateSchema = z.strictObject({
  at: isoTime,
  /** Set when the source gives no exact time ("ce matin"): `at` is then a point inside that span. */
  precision,
  status: z.enum(STATUSES),
  phase: z.enum(PHASES),
  text: localizedSchema,
  source: sourceSchema,
});
export type IncidentUpdate = z.infer<typeof incidentUpdateSchema>;

/** An incident: what is wrong, where, for whom, since when, why, and what officials said. */
export const incidentSchema = z.strictObject({
  id: z.string().trim().min(1).max(120),
  service: z.string().trim().min(1),
  scope: z.strictObject({
    /** Places affected; [{kind: 'national', code: 'FR'}] for the whole country. */
    places: z.array(scopePlaceSchema).min(1),
    /** Levels affected; empty means every level. */
    levels: z.array(z.enum(LEVELS)),
  }),
  title: localizedSchema,
  status: z.enum(STATUSES),
  phase: z.enum(PHASES),
  cause: z.enum(CAUSES),
  startedAt: isoTime,
  /** Set when the source gives no exact start ("mardi matin"): startedAt is a point inside that span. */
  startPrecision: precision,
  resolvedAt: isoTime.nullable(),
  /** `precision` when the announced time is a span ("dès demain matin"): `at` is then a point inside it. */
  expectedRecovery: z.strictObject({ at: isoTime.nullable(), precision, text: localizedSchema }).nullable(),
  advice: localizedSchema.nullable(),
  updates: z.array(incidentUpdateSchema).min(1),
  /** Set when the incident comes from a replayed scenario. */
  scenario: z.string().optional(),
});
export type Incident = z.infer<typeof incidentSchema>;
