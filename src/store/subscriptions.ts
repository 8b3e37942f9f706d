/**
 * Channel subscriptions to incident updates. A subscription is identified by where it
 * delivers and what it follows (platform, workspace, channel, service, place), so
 * subscribing the same channel twice to the same thing keeps a single record.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { describeIssues } from '../content/load.js';
import { InputError } from '../errors.js';
import type { Logger } from '../logger.js';
import { LEVELS, PLACE_KINDS } from '../types.js';
import { readAll, readOne, storeFailure, type Backend } from './backend.js';

/** The namespace subscriptions are kept in. */
export const SUBSCRIPTIONS_NAMESPACE = 'subscriptions';

/** Platforms a subscription can deliver to. */
export const SUBSCRIPTION_PLATFORMS = ['slack', 'discord', 'console'] as const;
/** Who a subscribed channel speaks to (notices can target one audience). */
export const AUDIENCES = ['all', 'staff', 'families'] as const;

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
  /** Changes delivery state (after failures, or to pause); null when there is none. */
  update(id: string, changes: Partial<Pick<Subscription, 'active' | 'failures'>>): Promise<Subscription | null>;
  /** Removes a subscription; false when there was none. */
  remove(id: string): Promise<boolean>;
}

/** The id of a subscription: a hash of where it delivers and what it follows. */
export function subscriptionId(s: Pick<Subscription, 'platform' | 'channel' | 'service' | 'place'> & { workspace?: string }): string {
  const natural = [s.platform, s.workspace ?? '', s.channel, s.service, s.place.kind, s.place.code];
  return createHash('sha256').update(JSON.stringify(natural)).digest('hex').slice(0, 16);
}

/** Subscriptions kept in a backend. */
export function createSubscriptionRepository(backend: Backend, clock: Clock, logger: Logger): SubscriptionRepository {
  const ns = SUBSCRIPTIONS_NAMESPACE;
  const save = async (subscription: Subscription): Promise<Subscription> => {
    const parsed = subscriptionSchema.safeParse(subscription);
    if (!parsed.success) throw new InputError(`subscription: ${describeIssues(parsed.error)}`);
    try {
      await backend.keyv(ns).set(parsed.data.id, parsed.data);
    } catch (error) {
      throw storeFailure(`saving subscription ${parsed.data.id}`, backend, error);
    }
    return parsed.data;
  };
  const listAll = async (): Promise<Subscription[]> =>
    (await readAll(backend, ns, subscriptionSchema, logger))
      .map((r) => r.value)
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id));
  const get = (id: string) => readOne(backend, ns, id, subscriptionSchema, logger);

  return {
    async add(input) {
      const id = subscriptionId(input);
      const existing = await get(id);
      const subscription: Subscription = {
        id,
        platform: input.platform,
        workspace: input.workspace ?? '',
        channel: input.channel,
        service: input.service,
        place: { kind: input.place.kind, code: input.place.code, name: input.place.name },
        levels: [...new Set(input.levels ?? [])],
        audience: input.audience ?? 'all',
        createdAt: existing?.createdAt ?? clock.now().toISOString(),
        createdBy: existing?.createdBy ?? input.createdBy,
        active: true,
        failures: 0,
      };
      return { subscription: await save(subscription), created: existing === null };
    },
    get,
    async list(filter = {}) {
      return (await listAll()).filter(
        (s) =>
          (filter.platform === undefined || s.platform === filter.platform) &&
          (filter.workspace === undefined || s.workspace === filter.workspace) &&
          (filter.channel === undefined || s.channel === filter.channel),
      );
    },
    listAll,
    async update(id, changes) {
      const existing = await get(id);
      if (!existing) return null;
      return save({
        ...existing,
        ...(changes.active !== undefined ? { active: changes.active } : {}),
        ...(changes.failures !== undefined ? { failures: changes.failures } : {}),
      });
    },
    async remove(id) {
      try {
        return await backend.keyv(ns).delete(id);
      } catch (error) {
        throw storeFailure(`removing subscription ${id}`, backend, error);
      }
    },
  };
}
