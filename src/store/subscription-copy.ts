/**
 * This process's copy of the subscriptions, for targeting: publishing or previewing a notice
 * to 50,000 channels reads them from memory instead of reading and validating 50,000 rows.
 * The copy catches up by change number (every subscription write bumps the `subscriptions`
 * counter and stamps its rows; removals leave a tombstone), so a change made by another
 * process (the CLI, another instance) is seen at the next use, at the cost of one counter
 * read when nothing changed and of the changed rows otherwise, never of the whole table.
 */
import type { Kysely } from 'kysely';
import type { PlaceKind } from '../types.js';
import { readCounter } from './sql/rows.js';
import type { Database, SubscriptionTable } from './sql/schema.js';
import type { PlaceContainers, Subscription, TargetQuery } from './subscriptions.js';

/** The counter every subscription write bumps. */
export const SUBSCRIPTION_COUNTER = 'subscriptions';

interface Entry {
  subscription: Subscription;
  containers: PlaceContainers;
  createdAt: string;
}

/** A copy of the subscriptions table, current as of change `seq`. */
export class SubscriptionCopy {
  private seq = -1;
  private readonly byId = new Map<string, Entry>();
  private sorted: Entry[] | null = null;
  private catchingUp: Promise<void> | null = null;

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
    this.sorted ??= [...this.byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.subscription.id < b.subscription.id ? -1 : 1));
    const match = prefilter(query);
    const out: Subscription[] = [];
    for (const e of this.sorted) if (match(e)) out.push(e.subscription);
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
      this.byId.set(subscription.id, { subscription, containers: { region: row.region, academie: row.academie, departement: row.departement }, createdAt: row.created_at });
    }
    this.seq = latest;
    this.sorted = null;
  }
}

/** The same prefilter as the store's SQL: service, then the place or what contains it. */
function prefilter(query: TargetQuery): (e: Entry) => boolean {
  const everyService = query.services.includes('*');
  const services = new Set([...query.services, '*']);
  const national = query.places.some((p) => p.kind === 'national');
  const exact = new Set([...query.places, ...query.ancestors].map((p) => `${p.kind}:${p.code}`));
  const within = (kind: PlaceKind) => new Set(query.places.filter((p) => p.kind === kind).map((p) => p.code));
  const regions = within('region');
  const academies = within('academie');
  const departements = within('departement');
  return ({ subscription: s, containers: c }) =>
    s.active &&
    (everyService || services.has(s.service)) &&
    (national ||
      exact.has(`${s.place.kind}:${s.place.code}`) ||
      c.region === '' ||
      regions.has(c.region) ||
      academies.has(c.academie) ||
      departements.has(c.departement));
}
