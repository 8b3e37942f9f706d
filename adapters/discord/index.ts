/**
 * The Discord adapter on discord.js: slash commands, autocomplete, buttons and admin modals,
 * and (optionally) answers to mentions. Intents are the minimum: Guilds, plus Guild Messages
 * only when mentions are on. No message Vigie sends can ping anyone.
 */
import { Client, Events, GatewayIntentBits, type ClientOptions, type REST } from 'discord.js';
import { silentLogger, VigieError, type Adapter, type Core, type Logger, type Platform, type PlatformDeps } from '../../src/index.js';
import type { DiscordConfig } from './base/config.js';
import { NO_PINGS } from './base/render.js';
import type { HandlerContext } from './handlers/context.js';
import { handleMention } from './handlers/mention.js';
import { PendingForms } from './handlers/pending.js';
import { ProgressWatchers, type ProgressTiming } from './handlers/progress.js';
import { timerDeadline, DEFER_AFTER_MS, type Deadline } from './handlers/respond.js';
import { routeInteraction } from './handlers/route.js';
import { safeError } from './base/log-safe.js';
import { guardPackets } from './packet-guard.js';
import { shareRest } from './shared-rest.js';
import { takeStatusCommands } from './fast-status.js';
import { answerUnemitted } from './unanswered.js';
import { createDiscordTransport, type DiscordTransport } from './transport.js';
import { AlertPrefills } from './base/alert-render.js';
import { createDiscordAlertSink } from './alerts.js';
import type { AlertSink } from '../../src/signals/alert-types.js';

export { parseDiscordConfig, type DiscordConfig } from './base/config.js';
export { commandDefinitions } from './base/commands.js';
export { renderReply, renderEmbed } from './base/render.js';
export { escapeText, plainText } from './base/escape.js';
export { guardPackets, DISCORDJS_GUARDED_VERSIONS } from './packet-guard.js';
export { shareRest, DISCORDJS_SHARED_REST_VERSIONS } from './shared-rest.js';
export { createDiscordTransport, mapDiscordError, type DiscordTransport, type DiscordTransportOptions } from './transport.js';
export { createDiscordAlertSink, AlertPrefills, type DiscordAlertSinkOptions } from './alerts.js';

/** Options of the Discord adapter. */
export interface DiscordAdapterOptions {
  config: DiscordConfig;
  logger?: Logger;
  /** Extra discord.js options (tests: `ws`, `waitGuildTimeout`...). Intents, REST base and mentions are not overridable. */
  clientOptions?: Partial<Omit<ClientOptions, 'intents' | 'allowedMentions'>>;
  /** How often and how long an admin's notice progress is updated (tests shorten it). */
  progress?: Partial<ProgressTiming>;
  /**
   * When an answer that is not ready yet is deferred (then edited): by default after
   * DEFER_AFTER_MS (2 s of Discord's 3). Tests give a deadline they control.
   */
  deadline?: () => Deadline;
  /**
   * The REST client the gateway client sends through (the platform's transport's, so one token
   * has one rate-limit state: shared-rest.ts); without it the client builds its own.
   */
  rest?: REST;
  /**
   * Where the platform's alert sink keeps the prefills of "Ouvrir un incident" buttons too long
   * for a custom id, so the button's press finds them (default: a store of the adapter's own).
   */
  alertPrefills?: AlertPrefills;
}

/** The Discord adapter; `client` is the live discord.js client between start and stop. */
export interface DiscordAdapter extends Adapter {
  readonly client: Client | null;
}

/** The gateway intents for a configuration: no privileged intent is ever requested. */
export function intentsFor(config: Pick<DiscordConfig, 'mentions'>): GatewayIntentBits[] {
  // Discord sends the content of messages that mention the bot without the Message Content intent.
  return config.mentions ? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] : [GatewayIntentBits.Guilds];
}

/** Creates the Discord adapter. */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  let client: Client | null = null;
  let watchers: ProgressWatchers | null = null;
  const alertPrefills = options.alertPrefills ?? new AlertPrefills();

  return {
    name: 'discord',
    get client() {
      return client;
    },
    async start(bot: Core) {
      if (client) throw new VigieError('ADAPTER_ALREADY_STARTED', 'the Discord adapter is already started');
      const c = new Client({
        ...options.clientOptions,
        intents: intentsFor(config),
        allowedMentions: NO_PINGS,
        rest: { ...options.clientOptions?.rest, ...(config.apiUrl ? { api: config.apiUrl } : {}) },
      });
      if (options.rest) shareRest(c, options.rest, logger);
      client = c;
      watchers = new ProgressWatchers(bot, options.progress);
      const ctx: HandlerContext = { bot, config, logger, pending: new PendingForms(), watchers, alertPrefills, deadline: options.deadline ?? (() => timerDeadline(DEFER_AFTER_MS)) };
      const guarded = guardPackets(c, logger);
      const answeredElsewhere = answerUnemitted(c, logger, bot.templates);
      // Only over the guard: both rely on the same private packet handler (packet-guard.ts).
      if (guarded === 'installed') takeStatusCommands(c, ctx, answeredElsewhere);
      c.on(Events.Error, (error) => logger.error('discord client error', { error: safeError(error) }));
      c.on(Events.ShardDisconnect, (event, shard) => logger.warn('discord gateway disconnected', { shard, code: event.code }));
      c.on(Events.ShardResume, (shard, replayed) => logger.info('discord gateway resumed', { shard, replayed }));
      c.on(Events.InteractionCreate, (interaction) => void routeInteraction(ctx, interaction));
      if (config.mentions) {
        c.on(Events.MessageCreate, (message) => {
          const me = c.user?.id;
          if (!me) return;
          handleMention(ctx, message, me).catch((error: unknown) => logger.error('discord mention failed', { error: safeError(error), channel: message.channelId }));
        });
      }
      const ready = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
      try {
        await c.login(config.token);
        await ready;
      } catch (error) {
        client = null;
        await c.destroy();
        throw error;
      }
      logger.info('discord connected', { user: c.user?.tag, guilds: c.guilds.cache.size, mentions: config.mentions });
    },
    async stop() {
      const c = client;
      client = null;
      watchers?.stop();
      watchers = null;
      if (c) await c.destroy();
    },
  };
}

/**
 * Discord as one platform: the adapter (a gateway client answering people) and the transport
 * (delivering notices), on one configuration and one REST client. The transport builds it (the
 * dispatcher may deliver before the gateway connects) and the gateway client adopts it
 * (shared-rest.ts), so Discord's global limit, the route buckets and a 429's reset are tracked
 * once for the token; between instances on PostgreSQL the pace kept in the store counts the
 * deliveries (src/instances.ts). Answers to people run under the transport's REST options:
 * rate-limit waits are queued however long (only deliveries hand long ones back to the
 * dispatcher), but a 5xx or a timeout is not resent by @discordjs/rest (`retries: 0`): the
 * router answers the interaction as for any failure, with the apology (when Discord still
 * takes it), and a failed answer to a mention is logged.
 */
export interface DiscordPlatform extends Platform {
  readonly adapter: DiscordAdapter;
  readonly transport: DiscordTransport;
  /** Crowd-signal alerts in VIGIE_DISCORD_ALERT_CHANNEL, when it is set (alerts.ts). */
  readonly alerts?: AlertSink;
}

/** Creates the Discord platform (`npm start` builds it when DISCORD_TOKEN is set); nothing connects until `start`. */
export function createDiscordPlatform(options: { config: DiscordConfig } & PlatformDeps): DiscordPlatform {
  const { config } = options;
  const transport = createDiscordTransport({ token: config.token, templates: options.templates, ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}) });
  const alertPrefills = new AlertPrefills();
  const adapter = createDiscordAdapter({ ...options, rest: transport.rest, alertPrefills });
  // Alerts go through the transport's REST client too: one rate-limit state for the token.
  const alerts = config.alertChannel ? createDiscordAlertSink({ rest: transport.rest, channel: config.alertChannel, prefills: alertPrefills, logger: options.logger }) : undefined;
  return {
    name: 'discord',
    adapter,
    transport,
    ...(alerts ? { alerts } : {}),
    start: (core) => adapter.start(core),
    async stop() {
      // The REST client's sweep timers first: the dispatcher, its only other user, has stopped.
      // The adapter's stop leaves the shared client its token (shared-rest.ts).
      transport.destroy();
      await adapter.stop();
    },
  };
}
