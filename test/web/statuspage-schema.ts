/**
 * The shapes of Atlassian Statuspage's public API v2 (summary, status, components, incidents,
 * scheduled maintenances), written from its documentation: field names, types and enums a
 * Statuspage reader relies on. Extra fields (Vigie's vigie_*) are allowed, as readers ignore them.
 */
import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });

export const pageSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  url: z.string(),
  time_zone: z.string().min(1),
  updated_at: isoTime,
});

export const componentStatus = z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']);

export const componentSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  status: componentStatus,
  created_at: isoTime,
  updated_at: isoTime,
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.string().nullable(),
  group_id: z.string().nullable(),
  page_id: z.string().min(1),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
  components: z.array(z.string()).optional(),
});

export const incidentUpdateSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'update', 'postmortem', 'scheduled', 'in_progress', 'verifying', 'completed']),
  body: z.string(),
  incident_id: z.string().min(1),
  created_at: isoTime,
  updated_at: isoTime,
  display_at: isoTime,
  affected_components: z.array(z.unknown()).nullable(),
});

export const incidentSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']),
  created_at: isoTime,
  updated_at: isoTime,
  monitoring_at: isoTime.nullable(),
  resolved_at: isoTime.nullable(),
  impact: z.enum(['none', 'minor', 'major', 'critical']),
  shortlink: z.string(),
  started_at: isoTime,
  page_id: z.string().min(1),
  incident_updates: z.array(incidentUpdateSchema),
  components: z.array(componentSchema),
});

export const maintenanceSchema = incidentSchema.extend({
  status: z.enum(['scheduled', 'in_progress', 'verifying', 'completed']),
  impact: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  scheduled_for: isoTime,
  scheduled_until: isoTime,
});

export const statusSchema = z.object({
  indicator: z.enum(['none', 'minor', 'major', 'critical']),
  description: z.string().min(1),
});

export const SCHEMAS = {
  'summary.json': z.object({ page: pageSchema, components: z.array(componentSchema), incidents: z.array(incidentSchema), scheduled_maintenances: z.array(maintenanceSchema), status: statusSchema }),
  'status.json': z.object({ page: pageSchema, status: statusSchema }),
  'components.json': z.object({ page: pageSchema, components: z.array(componentSchema) }),
  'incidents.json': z.object({ page: pageSchema, incidents: z.array(incidentSchema) }),
  'incidents/unresolved.json': z.object({ page: pageSchema, incidents: z.array(incidentSchema) }),
  'scheduled-maintenances.json': z.object({ page: pageSchema, scheduled_maintenances: z.array(maintenanceSchema) }),
  'scheduled-maintenances/upcoming.json': z.object({ page: pageSchema, scheduled_maintenances: z.array(maintenanceSchema) }),
  'scheduled-maintenances/active.json': z.object({ page: pageSchema, scheduled_maintenances: z.array(maintenanceSchema) }),
} as const;
