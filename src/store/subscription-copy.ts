/**
 * This process's copy of the subscriptions, for targeting: publishing or previewing a notice
 * to 50,000 channels reads them from memory instead of reading and validating 50,000 rows.
 * The copy catches up by change number (every subscription write bumps the `subscriptions`
 * counter and stamps its rows; removals leave a tombstone), so a change made by another
 * process (the CLI, another instance) is seen at the next use, at the cost of one counter
 * read when nothing changed and of the changed rows otherwise, never of the whole table.
 */
import type { Kysely } from 'kysely';
import type { PlaceKind } from '../base/types.js';
import { readCounter } from './sql/rows.js';
import type { Database, SubscriptionTable } from './sql/schema.js';
import type { PlaceContainers, Subscription, TargetQuery } from './subscription-repository.js';

/** The counter every subscription write bumps. */
export const SUBSCRIPTION_COUNTER = 'subscriptions';

interface Entry {
  subscription: Subscription;
  containers: PlaceContainers;
  createdAt: string;
}

/**
 * Channel numbers: `of` gives the number of a subscription handed out by the copy (undefined
 * for any other object); every number is below `size()`. A channel keeps its number for the
 * life of the process (one map entry per channel ever subscribed).
 */
export interface ChannelNumbers {
  of(subscription: Subscription): number | undefined;
  size(): number;
}

/** A copy of the subscriptions table, current as of change `seq`. */
export class SubscriptionCopy {
  private seq = -1;
  private readonly byId = new Map<string, Entry>();
  private sorted: Entry[] | null = null;
  /** The sorted entries by service, built with `sorted`. */
  private readonly byService = new Map<string, Entry[]>();
  private catchingUp: Promise<void> | null = null;
  /** Channel (platform, workspace, channel id) → its number; numbers are never reused. */
  private readonly channelNumber = new Map<string, number>();
  /** The channel number of each subscription held (by object, as handed out by `candidates`). */
  private readonly numberOf = new WeakMap<Subscription, number>();
  /** Numbers handed out so far. */
  private channelCount = 0;

  /**
   * A number per channel for the subscriptions `candidates` hands out: two subscriptions have
   * the same number when they deliver to the same channel. Targeting groups 50,000 channels by
   * these (an array index) instead of building a key string and a map entry per channel.
   */
  readonly channels: ChannelNumbers = {
    of: (subscription) => this.numberOf.get(subscription),
    size: () => this.channelCount,
  };

  constructor(
    private readonly k: Kysely<Database>,
    /** Validates rows read back (invalid ones are skipped with a warning). */
    private readonly decode: (rows: SubscriptionTable[]) => Subscription[],
  ) {}

  /** Active subscriptions that may match `query` (the store's prefilter), by creation. */
  async candidates(query: TargetQuery): Promise<Subscription[]> {
    this.catchingUp ??= this.catchUp().finally(() => {
      this.catchingUp = null;
    });
    await this.catchingUp;
    if (!this.sorted) {
      this.sorted = [...this.byId.values()].sort(byCreation);
      this.byService.clear();
      for (const e of this.sorted) {
        const list = this.byService.get(e.subscription.service);
        if (list) list.push(e);
        else this.byService.set(e.subscription.service, [e]);
      }
    }
    const match = prefilter(query);
    const out: Subscription[] = [];
    // Only the subscriptions of the notice's services (and of every service), still by creation.
    const lists = query.services.includes('*') ? [this.sorted] : [...new Set([...query.services, '*'])].map((s) => this.byService.get(s) ?? []);
    for (const e of lists.length === 1 ? lists[0]! : merge(lists)) if (match(e)) out.push(e.subscription);
    return out;
  }

  private async catchUp(): Promise<void> {
    // The counter first: rows written meanwhile are read again next time, never missed.
    const latest = await readCounter(this.k, SUBSCRIPTION_COUNTER);
    if (latest === this.seq) return;
    const first = this.seq < 0;
    let q = this.k.selectFrom('subscriptions').selectAll();
    if (!first) q = q.where('change_seq', '>', this.seq);
    const rows = await q.execute();
    if (!first) {
      const gone = await this.k.selectFrom('subscription_tombstones').select('id').where('change_seq', '>', this.seq).execute();
      for (const { id } of gone) this.byId.delete(id);
    }
    const byRow = new Map(rows.map((r) => [r.id, r]));
    for (const id of rows.map((r) => r.id)) this.byId.delete(id);
    for (const subscription of this.decode(rows)) {
      const row = byRow.get(subscription.id)!;
      const key = `${subscription.platform}\n${subscription.workspace}\n${subscription.channel}`;
      let channel = this.channelNumber.get(key);
      if (channel === undefined) this.channelNumber.set(key, (channel = this.channelCount++));
      this.numberOf.set(subscription, channel);
      this.byId.set(subscription.id, { subscription, containers: { region: row.region, academie: row.academie, departement: row.departement }, createdAt: row.created_at });
    }
    this.seq = latest;
    this.sorted = null;
  }
}

/** Creation order (ties by id), as the store lists subscriptions. */
function byCreation(a: Entry, b: Entry): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.subscription.id < b.subscription.id ? -1 : a.subscription.id > b.subscription.id ? 1 : 0;
}

/** Lists each in creation order, merged into one (a service's list and every-service's). */
function merge(lists: readonly Entry[][]): Entry[] {
  const out: Entry[] = [];
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const e = lists[i]![at[i]!];
      if (e && (best < 0 || byCreation(e, lists[best]![at[best]!]!) < 0)) best = i;
    }
    if (best < 0) return out;
    out.push(lists[best]![at[best]!++]!);
  }
}

/** The same prefilter as the store's SQL: service, then the place or what contains it. */
function prefilter(query: TargetQuery): (e: Entry) => boolean {
  const everyService = query.services.includes('*');
  const services = new Set([...query.services, '*']);
  const national = query.places.some((p) => p.kind === 'national');
  // By kind, then code: no key string built per subscription (100,000 of them).
  const exact = new Map<string, Set<string>>();
  for (const p of [...query.places, ...query.ancestors]) {
    let codes = exact.get(p.kind);
    if (!codes) exact.set(p.kind, (codes = new Set()));
    codes.add(p.code);
  }
  const within = (kind: PlaceKind) => new Set(query.places.filter((p) => p.kind === kind).map((p) => p.code));
  const regions = within('region');
  const academies = within('academie');
  const departements = within('departement');
  return ({ subscription: s, containers: c }) =>
    s.active &&
    (everyService || services.has(s.service)) &&
    (national ||
      exact.get(s.place.kind)?.has(s.place.code) === true ||
      c.region === '' ||
      regions.has(c.region) ||
      academies.has(c.academie) ||
      departements.has(c.departement));
}
