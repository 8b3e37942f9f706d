/**
 * The seam between the core and a platform: the core starts and stops adapters; adapters
 * call the core only through the Bot facade.
 */
import type { Bot } from './bot.js';

/** A platform connection (Slack, Discord, console). */
export interface Adapter {
  readonly name: string;
  /** Connects and starts answering; resolves once ready. */
  start(bot: Bot): Promise<void>;
  /** Disconnects; resolves once nothing more will be sent. */
  stop(): Promise<void>;
}
