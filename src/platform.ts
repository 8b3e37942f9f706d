/**
 * The core owns its platforms. A platform (Slack, Discord, the console, a web surface to
 * come) is one `Platform` object for both directions: it answers people through the `Core`
 * it is started with, and it delivers official notices through its transport, which the
 * dispatcher uses. Platforms are registered by name in a `PlatformRegistry` with how to read
 * their settings and how to build them (loading their SDK only then); `npm start`
 * (src/app/main.ts) builds those whose settings are configured, starts them after the store
 * is open, and stops them all, in reverse order, even when one of them fails to stop.
 */
import type { Core } from './core.js';
import type { Logger } from './base/logger.js';
import type { Templates } from './content/templates.js';
import type { DeliveryTransport } from './delivery/transport.js';
import type { AlertSink } from './signals/alert-types.js';
import { VigieError } from './base/errors.js';

/** One platform, both directions. */
export interface Platform {
  /** Its registered name ("slack", "discord"), in logs. */
  readonly name: string;
  /** How official notices reach its channels (the dispatcher's); none for a platform without channels. */
  readonly transport?: DeliveryTransport;
  /** How crowd-signal alerts reach its operators' alert channel; none when no alert channel is configured. */
  readonly alerts?: AlertSink;
  /** Connects and starts answering through `core`; resolves once ready. */
  start(core: Core): Promise<void>;
  /**
   * Disconnects and releases what it holds (sockets, the transport's timers); resolves once
   * nothing more will be sent. Also called on one never started (a stop signal came first).
   */
  stop(): Promise<void>;
}

/** What a platform is built with. */
export interface PlatformDeps {
  logger: Logger;
  /** The content/messages templates its own words (buttons, forms, notices' footers) come from. */
  templates: Templates;
}

/** What the registry knows of a platform: how to read its settings and how to build it. */
export interface PlatformEntry<Config> {
  /** Its settings from the environment, or null when it is not configured (no token); throws ConfigError when they are invalid. */
  configure(env: NodeJS.ProcessEnv): Config | null;
  /** Builds it from its settings (its SDK is loaded only now). */
  create(config: Config, deps: PlatformDeps): Promise<Platform>;
  /**
   * True for a surface that runs beside the others (the web status page): configured by
   * default, it does not by itself make `npm start` leave the console demo for the platforms.
   */
  alongside?: boolean;
}

/** A platform whose settings are configured, ready to be built. */
export interface ConfiguredPlatform {
  readonly name: string;
  /** Runs beside the chat platforms or the console demo (see PlatformEntry.alongside). */
  readonly alongside: boolean;
  create(deps: PlatformDeps): Promise<Platform>;
}

/** The platforms by name, in registration order. */
export class PlatformRegistry {
  private readonly entries = new Map<string, PlatformEntry<unknown>>();

  /** Registers a platform under a name of its own. */
  register<Config>(name: string, entry: PlatformEntry<Config>): this {
    if (this.entries.has(name)) throw new VigieError('ADAPTER_REGISTERED_TWICE', `platform "${name}" is registered twice`);
    this.entries.set(name, entry as PlatformEntry<unknown>);
    return this;
  }

  /** The registered names. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The platforms configured in `env`, in registration order; every one's settings are read (and checked) before any is built. */
  configured(env: NodeJS.ProcessEnv): ConfiguredPlatform[] {
    const found: ConfiguredPlatform[] = [];
    for (const [name, entry] of this.entries) {
      const config = entry.configure(env);
      if (config !== null) found.push({ name, alongside: entry.alongside === true, create: (deps) => entry.create(config, deps) });
    }
    return found;
  }
}

/** How long each platform may take to stop before the next one is stopped (its connections are left to the exit). */
export const PLATFORM_STOP_MS = 2_000;

/** Platforms started together, stopped together. */
export class PlatformGroup {
  constructor(
    readonly platforms: readonly Platform[],
    private readonly logger: Logger,
  ) {}

  /** The transports of the platforms that deliver notices. */
  transports(): DeliveryTransport[] {
    return this.platforms.flatMap((p) => (p.transport ? [p.transport] : []));
  }

  /** The alert sinks of the platforms with an alert channel. */
  alertSinks(): AlertSink[] {
    return this.platforms.flatMap((p) => (p.alerts ? [p.alerts] : []));
  }

  /** Starts the platforms one after the other; the first failure is thrown (`stop` stops them all, whatever their state). */
  async start(core: Core): Promise<void> {
    for (const platform of this.platforms) {
      await platform.start(core);
      this.logger.info('adapter started', { adapter: platform.name });
    }
  }

  /**
   * Stops every platform, the last first (the one still connecting when a stop signal comes
   * included), each within `timeoutMs`: one that throws or hangs is logged with a code and the
   * others are stopped all the same. Never throws.
   */
  async stop(timeoutMs = PLATFORM_STOP_MS): Promise<void> {
    for (const platform of [...this.platforms].reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), timeoutMs);
      });
      try {
        const outcome = await Promise.race([platform.stop().then(() => 'stopped' as const), late]);
        if (outcome === 'late') this.logger.warn('adapter did not stop in time; leaving its connections to the exit', { adapter: platform.name, code: 'ADAPTER_STOP_LATE', afterMs: timeoutMs });
      } catch (error) {
        this.logger.warn('adapter did not stop cleanly', { adapter: platform.name, code: 'ADAPTER_STOP_FAILED', error });
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
