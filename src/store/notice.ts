/**
 * An official notice: what admins publish to every subscribed channel. The input schema is
 * what a YAML file or an admin modal hands over; the stored schema is what the outbox keeps.
 */
import { z } from 'zod';
import { CAUSES, LEVELS, PHASES, STATUSES } from '../base/types.js';
import { localizedSchema, optionalText, scopePlaceSchema, sourceSchema } from '../content/schemas.js';
import { AUDIENCES } from './subscription-repository.js';
import { httpUrlSchema } from '../content/validation.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const bilingual = (max: number) => z.strictObject({ fr: text(max), en: optionalText(max) });

/** What an admin gives (a YAML file for `vigie notice publish`, or a modal). */
export const noticeInputSchema = z.strictObject({
  /** Service ids, or ['*'] for every service. Required unless updating or resolving an incident. */
  services: z.array(text(60)).min(1).max(20).optional(),
  /** Free text ("Occitanie, 31, national") or a list of {kind, code}. Required unless updating or resolving. */
  places: z.union([text(500), z.array(scopePlaceSchema).min(1).max(20)]).optional(),
  /** Levels concerned; empty or absent means every level. */
  levels: z.array(z.enum(LEVELS)).max(3).optional(),
  audience: z.enum(AUDIENCES).default('all'),
  status: z.enum(STATUSES).optional(),
  phase: z.enum(PHASES).optional(),
  title: bilingual(200).optional(),
  /** The notice itself; EN falls back to FR. */
  text: bilingual(3000),
  source: z.strictObject({ name: text(120), url: httpUrlSchema.optional() }).optional(),
  /** The incident this notice opens, updates or resolves; absent for a standalone notice. */
  incident: z
    .strictObject({
      action: z.enum(['open', 'update', 'resolve']),
      id: optionalText(120),
      cause: z.enum(CAUSES).optional(),
      /** When service should be back: a date-time, "HH:MM" today, or relative ("+4h"). */
      recoveryAt: optionalText(40),
      /** When service should be back, from the moment of publishing: "4h", "90 min", "1h30". */
      recoveryIn: optionalText(20),
      recovery: bilingual(500).optional(),
      advice: bilingual(1000).optional(),
      /** Open even when an identical incident (same service, places and levels) is open. */
      force: z.boolean().optional(),
    })
    .optional(),
});
export type NoticeInput = z.infer<typeof noticeInputSchema>;

/** A notice is kept as a draft while its deliveries are written, then published. */
export const NOTICE_STATES = ['draft', 'published'] as const;

const isoTime = z.iso.datetime({ offset: true });

/** The state of the incident as the notice leaves it, for the channel's root message. */
export const incidentSnapshotSchema = z.strictObject({
  id: z.string().min(1),
  action: z.enum(['open', 'update', 'resolve']),
  title: localizedSchema,
  status: z.enum(STATUSES),
  phase: z.enum(PHASES),
  startedAt: isoTime,
  recovery: localizedSchema.nullable(),
  advice: localizedSchema.nullable(),
});
export type IncidentSnapshot = z.infer<typeof incidentSnapshotSchema>;

/** A stored notice. */
export const noticeSchema = z.strictObject({
  id: z.string().min(1).max(40),
  /** Publication order in this store (1, 2, ...), used to deliver a channel's notices in order. */
  seq: z.number().int().positive(),
  state: z.enum(NOTICE_STATES),
  services: z.array(z.string().min(1)).min(1),
  places: z.array(scopePlaceSchema).min(1),
  levels: z.array(z.enum(LEVELS)),
  audience: z.enum(AUDIENCES),
  status: z.enum(STATUSES).nullable(),
  phase: z.enum(PHASES).nullable(),
  title: localizedSchema.nullable(),
  text: localizedSchema,
  source: sourceSchema,
  author: z.strictObject({ platform: z.string().min(1), user: z.string().min(1), name: z.string().optional() }),
  createdAt: isoTime,
  publishedAt: isoTime.nullable(),
  incident: incidentSnapshotSchema.nullable(),
  /** Channels targeted, per platform. */
  targets: z.record(z.string(), z.number().int().min(0)),
});
export type Notice = z.infer<typeof noticeSchema>;
