/**
 * Incidents as stored: one record per incident id, validated on the way in and out.
 */
import { describeIssues } from '../content/load.js';
import { InputError } from '../errors.js';
import { incidentSchema, type Incident } from '../incidents/schema.js';
import type { Logger } from '../logger.js';
import { readAll, readOne, storeFailure, type Backend } from './backend.js';

/** The namespace incidents are kept in. */
export const INCIDENTS_NAMESPACE = 'incidents';

/** Stored incidents. */
export interface IncidentRepository {
  /** The incident, or null when there is none with this id (or its record is corrupted). */
  get(id: string): Promise<Incident | null>;
  /** Every valid incident, oldest start first (ties by id). */
  list(): Promise<Incident[]>;
  /** Creates or replaces the incident with this id. Throws InputError when it is invalid. */
  put(incident: Incident): Promise<void>;
  /** Removes an incident; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** How many valid incidents are stored. */
  count(): Promise<number>;
}

/** Incidents kept in a backend. */
export function createIncidentRepository(backend: Backend, logger: Logger): IncidentRepository {
  const ns = INCIDENTS_NAMESPACE;
  const list = async (): Promise<Incident[]> => {
    const records = await readAll(backend, ns, incidentSchema, logger);
    return records
      .filter((r) => {
        if (r.key === r.value.id) return true;
        logger.warn('store: skipping an incident stored under another id', { namespace: ns, key: r.key, id: r.value.id });
        return false;
      })
      .map((r) => r.value)
      .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id.localeCompare(b.id));
  };
  return {
    async get(id) {
      const incident = await readOne(backend, ns, id, incidentSchema, logger);
      return incident && incident.id === id ? incident : null;
    },
    list,
    async put(incident) {
      const parsed = incidentSchema.safeParse(incident);
      if (!parsed.success) throw new InputError(`incident "${incident.id}": ${describeIssues(parsed.error)}`);
      try {
        await backend.keyv(ns).set(parsed.data.id, parsed.data);
      } catch (error) {
        throw storeFailure(`saving incident ${parsed.data.id}`, backend, error);
      }
    },
    async delete(id) {
      try {
        return await backend.keyv(ns).delete(id);
      } catch (error) {
        throw storeFailure(`deleting incident ${id}`, backend, error);
      }
    },
    async count() {
      return (await list()).length;
    },
  };
}
