/**
 * What `npm start` instances sharing one PostgreSQL store share besides the tables: change
 * notifications (a notice published or an incident changed in one instance, or by the CLI,
 * wakes every other instance's dispatcher and incident source at once) and the platforms'
 * rate limits (a pace kept in the database, so N instances do not send N times faster).
 * On SQLite (one instance) it adds nothing: the dispatcher polls and transports pace alone.
 */
import type { Logger } from './logger.js';
import type { DeliveryTransport } from './delivery/transport.js';
import type { Store } from './store/index.js';
import { listenChanges, type ChangeListener, type ChangeTopic } from './store/sql/changes.js';

/** What to do when another instance changed something. */
export type ChangeHandlers = Record<ChangeTopic, () => void>;

/** This instance's part in a group of instances. */
export interface SharedInstance {
  /** The transports to deliver through (paced together with the other instances on PostgreSQL). */
  readonly transports: DeliveryTransport[];
  /** Starts listening for the other instances' changes (nothing on SQLite). */
  listen(handlers: ChangeHandlers): void;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Options for `shareInstances`. */
export interface ShareOptions {
  logger: Logger;
  /** The Discord bot token: Discord's global limit is per token (only a digest of it is stored). */
  discordToken?: string | undefined;
}

/** Joins the instances sharing `store`. */
export function shareInstances(store: Store, transports: DeliveryTransport[], options: ShareOptions): SharedInstance {
  let listener: ChangeListener | null = null;
  return {
    transports,
    listen(handlers) {
      if (listener) return;
      // A connection that fails is retried in the background (and logged); polling covers the gap.
      listener = listenChanges(store.db, (topic) => handlers[topic](), { logger: options.logger });
    },
    async close() {
      await listener?.close();
      listener = null;
    },
  };
}
