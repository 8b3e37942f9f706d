/**
 * Channel subscriptions to incident updates. A subscription is identified by where it
 * delivers and what it follows (platform, workspace, channel, service, place), so
 * subscribing the same channel twice to the same thing keeps a single record. Each row also
 * keeps the région, académie and département its place lies in, so the channels a notice
 * reaches are found by a query, not by reading every subscription.
 */
import * as crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../base/clock.js';
import { describeIssues } from '../content/validation.js';
import { InputError } from '../base/errors.js';
import type { Logger } from '../base/logger.js';
import { AUDIENCES, LEVELS, PLACE_KINDS, SUBSCRIPTION_PLATFORMS, type PlaceKind } from '../base/types.js';
import type { Db } from './sql/connect.js';
import type { Database, SubscriptionTable } from './sql/schema.js';
import { nextCounter } from './sql/rows.js';
import { SUBSCRIPTION_COUNTER, SubscriptionCopy, type ChannelNumbers } from './subscription-copy.js';

export { AUDIENCES, SUBSCRIPTION_PLATFORMS } from '../base/types.js';

/** A stored subscription. */
export const subscriptionSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  platform: z.enum(SUBSCRIPTION_PLATFORMS),
  /** Slack team id or Discord guild id; '' when the platform has none. */
  workspace: z.string(),
  channel: z.string().min(1),
  /** A service id, or '*' for every service. */
  service: z.string().min(1),
  place: z.strictObject({ kind: z.enum(PLACE_KINDS), code: z.string().min(1), name: z.string().min(1) }),
  /** Levels followed; empty means every level. */
  levels: z.array(z.enum(LEVELS)),
  audience: z.enum(AUDIENCES),
  createdAt: z.iso.datetime({ offset: true }),
  createdBy: z.string().min(1),
  active: z.boolean(),
  /** Consecutive failed deliveries. */
  failures: z.number().int().min(0),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

/** What a person gives to subscribe a channel. */
export type NewSubscription = Pick<Subscription, 'platform' | 'channel' | 'service' | 'place' | 'createdBy'> &
  Partial<Pick<Subscription, 'workspace' | 'levels' | 'audience'>>;

/** Filters for `list`; each given field must match exactly. */
export interface SubscriptionFilter {
  platform?: Subscription['platform'];
  workspace?: string;
  channel?: string;
}

/** The région, académie and département a place lies in ('' where it has none). */
export interface PlaceContainers {
  region: string;
  academie: string;
  departement: string;
}

/** Finds the containers of a place (the gazetteer's knowledge, injected into the store). */
export type PlaceLocator = (place: { kind: PlaceKind; code: string }) => PlaceContainers;

/** Where a notice is aimed, for finding candidate subscriptions. */
export interface TargetQuery {
  /** Service ids, or ['*'] for every service. */
  services: readonly string[];
  /** The notice's places and, for each, the places that contain it. */
  places: readonly { kind: PlaceKind; code: string }[];
  ancestors: readonly { kind: PlaceKind; code: string }[];
}

/** Stored subscriptions. */
export interface SubscriptionRepository {
  /**
   * Subscribes a channel. Adding an existing subscription again keeps its id, creation and
   * author, takes the new levels and audience, and makes it active with no failures.
   */
  add(input: NewSubscription): Promise<{ subscription: Subscription; created: boolean }>;
  get(id: string): Promise<Subscription | null>;
  /** Subscriptions matching the filter, by creation time. */
  list(filter?: SubscriptionFilter): Promise<Subscription[]>;
  /** Every subscription, by creation time. */
  listAll(): Promise<Subscription[]>;
  /**
   * Active subscriptions that may match a notice aimed at `query` (following one of its
   * services or all, at one of its places, one containing it, or one inside it); the caller
   * applies the exact rules (levels, audience).
   */
  candidates(query: TargetQuery, tx?: Kysely<Database>): Promise<Subscription[]>;
  /**
   * Numbers for the channels of the subscriptions `candidates` hands out (outside a
   * transaction): same number, same channel. Lets targeting group by channel without a key
   * per subscription; subscriptions it does not know (from a transaction, or made elsewhere)
   * have none.
   */
  readonly channels: ChannelNumbers;
  /** Changes delivery state (after failures, or to pause); null when there is none. */
  update(id: string, changes: Partial<Pick<Subscription, 'active' | 'failures'>>): Promise<Subscription | null>;
  /** Removes a subscription; false when there was none. */
  remove(id: string): Promise<boolean>;
  /**
   * Writes a whole subscription as given (import, restore): added when new, else its
   * levels, audience and state are replaced. True when it was new.
   */
  importOne(subscription: Subscription, tx?: Kysely<Database>): Promise<boolean>;
  /** Fills where places lie for rows written without it; how many were filled. */
  locateMissing(): Promise<number>;
}

/** The id of a subscription: a hash of where it delivers and what it follows. */
export function subscriptionId(s: Pick<Subscription, 'platform' | 'channel' | 'service' | 'place'> & { workspace?: string }): string {
  const natural = JSON.stringify([s.platform, s.workspace ?? '', s.channel, s.service, s.place.kind, s.place.code]);
  return sha256Hex(natural).slice(0, 16);
}

/**
 * SHA-256 in hex: Node's one-shot `crypto.hash` where it exists (Node 20.12 and later), about
 * three times faster than a Hash object per call (an import computes 100,000 ids); the same
 * digest either way.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

const NO_CONTAINERS: PlaceContainers = { region: '', academie: '', departement: '' };

/** Subscriptions kept in a database. */
export function createSubscriptionRepository(db: Db, clock: Clock, logger: Logger, locate: PlaceLocator = () => NO_CONTAINERS): SubscriptionRepository {
  const k = db.kysely;
  const decode = (rows: SubscriptionTable[]): Subscription[] => {
    const out: Subscription[] = [];
    for (const row of rows) {
      const parsed = subscriptionSchema.safeParse(fromRow(row));
      if (parsed.success) out.push(parsed.data);
      else logger.warn('store: skipping an invalid subscription', { id: row.id, problem: describeIssues(parsed.error) });
    }
    return out;
  };
  const get = async (id: string, tx: Kysely<Database> = k): Promise<Subscription | null> => decode(await tx.selectFrom('subscriptions').selectAll().where('id', '=', id).execute())[0] ?? null;
  const byCreation = (q: ReturnType<typeof base>) => q.orderBy('created_at').orderBy('id');
  const base = () => k.selectFrom('subscriptions').selectAll();
  // Targeting reads this process's copy, caught up by change number (subscription-copy.ts).
  const copy = new SubscriptionCopy(k, decode);

  return {
    async add(input) {
      const id = subscriptionId(input);
      return db.write(async (tx) => {
        const existing = await get(id, tx);
        const now = clock.now().toISOString();
        const subscription: Subscription = {
          id,
          platform: input.platform,
          workspace: input.workspace ?? '',
          channel: input.channel,
          service: input.service,
          place: { kind: input.place.kind, code: input.place.code, name: input.place.name },
          levels: [...new Set(input.levels ?? [])],
          audience: input.audience ?? 'all',
          createdAt: existing?.createdAt ?? now,
          createdBy: existing?.createdBy ?? input.createdBy,
          active: true,
          failures: 0,
        };
        const parsed = subscriptionSchema.safeParse(subscription);
        if (!parsed.success) throw new InputError(`subscription: ${describeIssues(parsed.error)}`);
        const row = toRow(parsed.data, locate(parsed.data.place), now, await nextCounter(tx, SUBSCRIPTION_COUNTER));
        const { id: _id, created_at: _c, created_by: _b, ...update } = row;
        await tx.insertInto('subscriptions').values(row).onConflict((oc) => oc.column('id').doUpdateSet(update)).execute();
        return { subscription: parsed.data, created: existing === null };
        // The person is told the channel is subscribed: synced.
      }, { durable: true });
    },
    get: (id) => get(id),
    async list(filter = {}) {
      let q = base();
      if (filter.platform !== undefined) q = q.where('platform', '=', filter.platform);
      if (filter.workspace !== undefined) q = q.where('workspace', '=', filter.workspace);
      if (filter.channel !== undefined) q = q.where('channel', '=', filter.channel);
      return decode(await byCreation(q).execute());
    },
    async listAll() {
      return decode(await byCreation(base()).execute());
    },
    channels: copy.channels,
    async candidates(query, tx) {
      if (!tx) return copy.candidates(query);
      const everyService = query.services.includes('*');
      const national = query.places.some((p) => p.kind === 'national');
      const within = (kind: PlaceKind) => [...new Set(query.places.filter((p) => p.kind === kind).map((p) => p.code))];
      const exact = [...query.places, ...query.ancestors];
      const rows = await (tx ?? k)
        .selectFrom('subscriptions')
        .selectAll()
        .where('active', '=', 1)
        .$if(!everyService, (q) => q.where('service', 'in', [...query.services, '*']))
        .$if(!national, (q) =>
          q.where((eb) => {
            const ors = exact.map((p) => eb.and([eb('place_kind', '=', p.kind), eb('place_code', '=', p.code)]));
            // Rows written without knowing where their place lies (and national ones) are
            // always candidates: the exact rules decide.
            ors.push(eb('region', '=', ''));
            const regions = within('region');
            const academies = within('academie');
            const departements = within('departement');
            if (regions.length > 0) ors.push(eb('region', 'in', regions));
            if (academies.length > 0) ors.push(eb('academie', 'in', academies));
            if (departements.length > 0) ors.push(eb('departement', 'in', departements));
            return ors.length > 0 ? eb.or(ors) : eb.val(false);
          }),
        )
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return decode(rows);
    },
    async update(id, changes) {
      return db.write(async (tx) => {
        const existing = await get(id, tx);
        if (!existing) return null;
        const next = { ...existing, ...(changes.active !== undefined ? { active: changes.active } : {}), ...(changes.failures !== undefined ? { failures: changes.failures } : {}) };
        await tx
          .updateTable('subscriptions')
          .set({ active: next.active ? 1 : 0, failures: next.failures, updated_at: clock.now().toISOString(), change_seq: await nextCounter(tx, SUBSCRIPTION_COUNTER) })
          .where('id', '=', id)
          .execute();
        return next;
      });
    },
    async remove(id) {
      return db.write(async (tx) => {
        const result = await tx.deleteFrom('subscriptions').where('id', '=', id).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return false;
        const change = await nextCounter(tx, SUBSCRIPTION_COUNTER);
        await tx.insertInto('subscription_tombstones').values({ id, change_seq: change }).onConflict((oc) => oc.column('id').doUpdateSet({ change_seq: change })).execute();
        return true;
      });
    },
    async locateMissing() {
      const rows = await k.selectFrom('subscriptions').select(['id', 'place_kind', 'place_code']).where('region', '=', '').where('place_kind', '<>', 'national').execute();
      const located = rows.map((row) => ({ id: row.id, at: locate({ kind: row.place_kind as PlaceKind, code: row.place_code }) })).filter((r) => r.at.region !== '');
      if (located.length === 0) return 0;
      await db.write(async (tx) => {
        const change = await nextCounter(tx, SUBSCRIPTION_COUNTER);
        for (const { id, at } of located) {
          await tx.updateTable('subscriptions').set({ region: at.region, academie: at.academie, departement: at.departement, change_seq: change }).where('id', '=', id).execute();
        }
      });
      return located.length;
    },
    async importOne(subscription, tx) {
      const run = async (t: Kysely<Database>) => {
        const parsed = subscriptionSchema.parse({ ...subscription, id: subscriptionId(subscription) });
        const row = toRow(parsed, locate(parsed.place), clock.now().toISOString(), await nextCounter(t, SUBSCRIPTION_COUNTER));
        const { id: _id, created_at: _c, created_by: _b, ...update } = row;
        const existed = await t.selectFrom('subscriptions').select('id').where('id', '=', parsed.id).executeTakeFirst();
        await t.insertInto('subscriptions').values(row).onConflict((oc) => oc.column('id').doUpdateSet(update)).execute();
        return existed === undefined;
      };
      return tx ? run(tx) : db.write(run);
    },
  };
}

/** The row of a subscription, stamped with change `change`. */
export function toRow(s: Subscription, containers: PlaceContainers, now: string, change: number): SubscriptionTable {
  return {
    id: s.id,
    platform: s.platform,
    workspace: s.workspace,
    channel: s.channel,
    service: s.service,
    place_kind: s.place.kind,
    place_code: s.place.code,
    place_name: s.place.name,
    region: containers.region,
    academie: containers.academie,
    departement: containers.departement,
    levels: JSON.stringify(s.levels),
    audience: s.audience,
    active: s.active ? 1 : 0,
    failures: s.failures,
    created_at: isoTime(s.createdAt),
    created_by: s.createdBy,
    updated_at: now,
    change_seq: change,
  };
}

/** `at` in the store's form (ISO, UTC); the last one remembered (an import stamps every row with the same time). */
function isoTime(at: string): string {
  if (at !== lastIso.at) lastIso = { at, iso: new Date(at).toISOString() };
  return lastIso.iso;
}
let lastIso = { at: '', iso: '' };

function fromRow(row: SubscriptionTable): unknown {
  let levels: unknown = [];
  try {
    levels = JSON.parse(row.levels);
  } catch {
    levels = null;
  }
  return {
    id: row.id,
    platform: row.platform,
    workspace: row.workspace,
    channel: row.channel,
    service: row.service,
    place: { kind: row.place_kind, code: row.place_code, name: row.place_name },
    levels,
    audience: row.audience,
    createdAt: row.created_at,
    createdBy: row.created_by,
    active: Number(row.active) === 1,
    failures: Number(row.failures),
  };
}
