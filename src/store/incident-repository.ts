/**
 * Incidents as stored: one row per incident id, the whole incident as a validated JSON body,
 * and the columns queries need (open or resolved, when, change number). Every write bumps
 * the `incidents` counter, so a reader catches up on what changed without re-reading history.
 */
import type { Kysely } from 'kysely';
import { describeIssues } from '../content/validation.js';
import { InputError } from '../base/errors.js';
import { incidentSchema, type Incident } from '../incidents/schema.js';
import type { Logger } from '../base/logger.js';
import type { Db } from './sql/connect.js';
import { notifyChange } from './sql/changes.js';
import { nextCounter, readBody, readCounter } from './sql/rows.js';
import type { Database } from './sql/schema.js';

/** The counter bumped by every incident change. */
export const INCIDENT_COUNTER = 'incidents';

/** What changed since a given change number. */
export interface IncidentChanges {
  changed: Incident[];
  deleted: string[];
  /** The change number to ask from next time. */
  seq: number;
}

/** Stored incidents. */
export interface IncidentRepository {
  /** The incident, or null when there is none with this id (or its record is corrupted). */
  get(id: string, tx?: Kysely<Database>): Promise<Incident | null>;
  /** Every valid incident, oldest start first (ties by id). Reads the whole history: for tools, not answers. */
  list(): Promise<Incident[]>;
  /** Incidents not resolved, most recent start first (inside `tx` when given). */
  listOpen(tx?: Kysely<Database>): Promise<Incident[]>;
  /** Incidents open, or resolved at or after `since`; with the change number they are current at. */
  inEffect(since: Date): Promise<IncidentChanges>;
  /** Incidents written or deleted after change `seq`. */
  changesSince(seq: number): Promise<IncidentChanges>;
  /** The latest change number (cheap: one row). */
  epoch(): Promise<number>;
  /** Creates or replaces the incident with this id. Throws InputError when it is invalid. */
  put(incident: Incident, tx?: Kysely<Database>): Promise<void>;
  /** Removes an incident; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Removes every incident loaded from this scenario; how many. */
  deleteScenario(scenario: string): Promise<number>;
  /** How many incidents are stored. */
  count(): Promise<number>;
}

type Row = { id: string; body: string };

/** Incidents kept in a database. */
export function createIncidentRepository(db: Db, logger: Logger): IncidentRepository {
  const k = db.kysely;
  const decode = (rows: Row[]): Incident[] => {
    const out: Incident[] = [];
    for (const row of rows) {
      const incident = readBody(row.body, incidentSchema, `incident ${row.id}`, logger);
      if (incident && incident.id === row.id) out.push(incident);
      else if (incident) logger.warn('store: skipping an incident stored under another id', { key: row.id, id: incident.id });
    }
    return out;
  };
  const put = async (incident: Incident, tx: Kysely<Database>) => {
    const parsed = incidentSchema.safeParse(incident);
    if (!parsed.success) throw new InputError(`incident "${incident.id}": ${describeIssues(parsed.error)}`);
    const value = parsed.data;
    const change = await nextCounter(tx, INCIDENT_COUNTER);
    const row = {
      id: value.id,
      service: value.service,
      status: value.status,
      phase: value.phase,
      started_at: iso(value.startedAt),
      resolved_at: value.resolvedAt ? iso(value.resolvedAt) : null,
      scenario: value.scenario ?? null,
      change_seq: change,
      body: JSON.stringify(value),
    };
    const { id: _id, ...update } = row;
    await tx.insertInto('incidents').values(row).onConflict((oc) => oc.column('id').doUpdateSet(update)).execute();
    await tx.deleteFrom('incident_tombstones').where('id', '=', value.id).execute();
    await notifyChange(db, tx, 'incidents');
  };
  const remove = async (ids: string[], tx: Kysely<Database>) => {
    if (ids.length === 0) return 0;
    const deleted = await tx.deleteFrom('incidents').where('id', 'in', ids).returning('id').execute();
    for (const { id } of deleted) {
      const change = await nextCounter(tx, INCIDENT_COUNTER);
      await tx.insertInto('incident_tombstones').values({ id, change_seq: change }).onConflict((oc) => oc.column('id').doUpdateSet({ change_seq: change })).execute();
    }
    if (deleted.length > 0) await notifyChange(db, tx, 'incidents');
    return deleted.length;
  };

  return {
    async get(id, tx) {
      const row = await (tx ?? k).selectFrom('incidents').select(['id', 'body']).where('id', '=', id).executeTakeFirst();
      return row ? (decode([row])[0] ?? null) : null;
    },
    async list() {
      return decode(await k.selectFrom('incidents').select(['id', 'body']).orderBy('started_at').orderBy('id').execute());
    },
    async listOpen(tx) {
      return decode(await (tx ?? k).selectFrom('incidents').select(['id', 'body']).where('resolved_at', 'is', null).orderBy('started_at', 'desc').orderBy('id').execute());
    },
    async inEffect(since) {
      // Read the epoch first: a change landing in between is caught by the next changesSince.
      const seq = await readCounter(k, INCIDENT_COUNTER);
      const rows = await k
        .selectFrom('incidents')
        .select(['id', 'body'])
        .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', since.toISOString())]))
        .execute();
      return { changed: decode(rows), deleted: [], seq };
    },
    async changesSince(seq) {
      const latest = await readCounter(k, INCIDENT_COUNTER);
      if (latest <= seq) return { changed: [], deleted: [], seq };
      const rows = await k.selectFrom('incidents').select(['id', 'body']).where('change_seq', '>', seq).execute();
      const gone = await k.selectFrom('incident_tombstones').select('id').where('change_seq', '>', seq).execute();
      return { changed: decode(rows), deleted: gone.map((g) => g.id), seq: latest };
    },
    epoch: () => readCounter(k, INCIDENT_COUNTER),
    async put(incident, tx) {
      if (tx) await put(incident, tx);
      // An admin is told the incident is saved: synced, like a publication.
      else await db.write((t) => put(incident, t), { durable: true });
    },
    async delete(id) {
      return (await db.write((t) => remove([id], t))) > 0;
    },
    async deleteScenario(scenario) {
      return db.write(async (t) => {
        const rows = await t.selectFrom('incidents').select('id').where('scenario', '=', scenario).execute();
        return remove(
          rows.map((r) => r.id),
          t,
        );
      });
    },
    async count() {
      const row = await k.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}

/** The same instant as a UTC ISO string, so text order is time order. */
export function iso(time: string): string {
  return new Date(time).toISOString();
}
