/**
 * What `npm start` instances sharing one PostgreSQL store share besides the tables: change
 * notifications (a notice published or an incident changed in one instance, or by the CLI,
 * wakes every other instance's dispatcher and incident source at once) and the platforms'
 * rate limits (a pace kept in the database, so N instances do not send N times faster).
 * On SQLite (one instance) it adds nothing: the dispatcher polls and transports pace alone.
 */
import { createHash } from 'node:crypto';
import type { Logger } from './base/logger.js';
import type { DeliveryTransport } from './delivery/transport.js';
import { discordPlan, pacedTransport, SLACK_HOLD_MS, slackPlan, type PacePlan } from './delivery/paced.js';
import type { Store } from './store/index.js';
import { createRateBuckets } from './store/rate-buckets.js';
import { listenChanges, type ChangeListener, type ChangeTopic } from './store/sql/changes.js';

/** What to do when another instance changed something. */
export type ChangeHandlers = Record<ChangeTopic, () => void>;

/** This instance's part in a group of instances. */
export interface SharedInstance {
  /** The transports to deliver through (paced together with the other instances on PostgreSQL). */
  readonly transports: DeliveryTransport[];
  /** Starts listening for the other instances' changes (nothing on SQLite). */
  listen(handlers: ChangeHandlers): void;
  /** True while the other instances' changes are heard at once (the LISTEN connection is up). */
  heard(): boolean;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Options for `shareInstances`. */
export interface ShareOptions {
  logger: Logger;
  /** Other shared limits than the platforms' documented ones (benchmarks against the fakes). */
  plans?: Partial<Record<'slack' | 'discord', PacePlan>>;
}

/** Joins the instances sharing `store`. */
export function shareInstances(store: Store, transports: DeliveryTransport[], options: ShareOptions): SharedInstance {
  let listener: ChangeListener | null = null;
  const pace = store.db.postgres ? createRateBuckets(store.db) : null;
  return {
    transports: pace
      ? transports.map((t) => {
          const plan = planFor(t, options);
          // Slack's slots are taken at most SLACK_HOLD_MS ahead (paced.ts); Discord's global
          // limit keeps waits to a few seconds (requests in flight ÷ 49/s).
          return plan ? pacedTransport(t, pace, plan, undefined, t.platform === 'slack' ? SLACK_HOLD_MS : undefined) : t;
        })
      : transports,
    listen(handlers) {
      if (listener) return;
      // A connection that fails is retried in the background (and logged); polling covers the gap.
      listener = listenChanges(store.db, (topic) => handlers[topic](), { logger: options.logger });
    },
    heard: () => listener?.live() ?? false,
    async close() {
      await listener?.close();
      listener = null;
    },
  };
}

/** The shared limits of a platform's requests (none for the console). */
function planFor(transport: DeliveryTransport, options: ShareOptions): PacePlan | null {
  if (transport.platform === 'console') return null;
  const custom = options.plans?.[transport.platform];
  if (custom) return custom;
  // Discord's global limit is per bot token: its transport gives a digest of it.
  if (transport.platform === 'discord') return discordPlan(transport.paceKey ?? createHash('sha256').update('').digest('hex').slice(0, 16));
  if (transport.platform === 'slack') return slackPlan();
  return null;
}
