/**
 * The seam between the core and a platform: the core starts and stops adapters; adapters
 * call the core only through the `Core` interface (src/core.ts).
 */
import type { Core } from './core.js';

/** A platform connection (Slack, Discord, console). */
export interface Adapter {
  readonly name: string;
  /** Connects and starts answering; resolves once ready. */
  start(core: Core): Promise<void>;
  /** Disconnects; resolves once nothing more will be sent. */
  stop(): Promise<void>;
}
