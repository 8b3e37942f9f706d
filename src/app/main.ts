/**
 * `npm start`: the only place that wires the core to adapters. Configured platform tokens
 * start their adapters on the store's incidents and the wall clock; with none, it runs the
 * console chat on the demo scenario, clearly labelled.
 */
import { FixedClock } from '../base/clock.js';
import { allClearMs, clockFromEnv, loadDotenv, parseEnv } from '../config/env.js';
import { createLogger, secretsFrom, type Logger } from '../base/logger.js';
import { createRuntime, loadCheckedScenario, loadReferenceData, type Runtime } from '../runtime.js';
import { scenarioTime } from '../incidents/index.js';
import type { Adapter } from '../adapter.js';
import type { Env } from '../config/env.js';
// Only the platforms' settings are read up front; an adapter (and its SDK: @slack/bolt,
// discord.js) is loaded only when its token is configured, and the console and the
// dispatcher only in the mode that uses them, so each mode starts with what it needs.
import { parseSlackConfig } from '../../adapters/slack/config.js';
import { parseDiscordConfig } from '../../adapters/discord/base/config.js';
import type { DeliveryTransport } from '../delivery/index.js';
import { shareInstances } from '../instances.js';
import { RetentionJob } from '../store/retention.js';

/** The platform adapters whose tokens are configured, and their notice transports. */
interface Platforms {
  adapters: Adapter[];
  transports: DeliveryTransport[];
  /** Releases what the transports hold (timers, sockets) once the dispatcher has stopped. */
  release: (() => void)[];
}

async function platforms(logger: Logger): Promise<Platforms> {
  const adapters: Adapter[] = [];
  const transports: DeliveryTransport[] = [];
  const release: (() => void)[] = [];
  const slack = parseSlackConfig(process.env);
  const discord = parseDiscordConfig(process.env);
  if (slack) {
    const { createSlackAdapter, createSlackTransport } = await import('../../adapters/slack/index.js');
    adapters.push(createSlackAdapter({ config: slack, logger }));
    transports.push(createSlackTransport({ config: slack, logger }));
  }
  if (discord) {
    const { createDiscordAdapter, createDiscordTransport } = await import('../../adapters/discord/index.js');
    adapters.push(createDiscordAdapter({ config: discord, logger }));
    const transport = createDiscordTransport({ token: discord.token, ...(discord.apiUrl ? { apiUrl: discord.apiUrl } : {}) });
    transports.push(transport);
    release.push(() => transport.destroy());
  }
  return { adapters, transports, release };
}

async function runPlatforms(
  env: Env,
  logger: Logger,
  { adapters, transports: platformTransports, release }: Platforms,
  reference: ReturnType<typeof loadReferenceData>,
): Promise<void> {
  // Listened for from the start: a signal while the adapters connect stops the process too.
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const clock = clockFromEnv(env);
  if (env.VIGIE_NOW) logger.warn('VIGIE_NOW is set: running as if it were that time, not on the wall clock', { start: env.VIGIE_NOW });
  const runtime = await createRuntime({ storeUrl: env.VIGIE_STORE_URL, cacheUrl: env.VIGIE_CACHE_URL, clock, logger, reference, allClearMs: allClearMs(env) });
  logger.info('store opened', { store: runtime.store.description });
  // Old deliveries, notices and audit entries go at start-up and then daily (src/store/retention.ts).
  const retention = new RetentionJob({ db: runtime.store.db, clock, logger, policy: { days: env.VIGIE_RETENTION_DAYS, auditDays: env.VIGIE_AUDIT_RETENTION_DAYS } });
  retention.start();
  const { Dispatcher } = await import('../delivery/index.js');
  // Several instances on one PostgreSQL store: shared platform pace, each other's changes heard at once.
  const shared = shareInstances(runtime.store, platformTransports, { logger, discordToken: parseDiscordConfig(process.env)?.token });
  const transports = shared.transports;
  // Deliveries left pending by a previous run (or published by the CLI) are resumed at once.
  const dispatcher = new Dispatcher({
    store: runtime.store,
    clock,
    templates: runtime.bot.templates,
    transports,
    logger,
    options: { shutdownGraceMs: env.VIGIE_SHUTDOWN_GRACE_MS, leaseMs: env.VIGIE_DELIVERY_LEASE_MS },
    // Woken by the other instances' changes: idle polls skip the store while nothing is due.
    changesHeard: () => shared.heard(),
  });
  // The incidents in effect are read before the first question (once; then only changes).
  await runtime.bot.incidents();
  runtime.bot.onPublished(() => dispatcher.kick());
  shared.listen({ outbox: () => dispatcher.kick(), incidents: () => runtime.bot.source.invalidate() });
  dispatcher.start();
  const started: Adapter[] = [];
  const startup = (async () => {
    for (const adapter of adapters) {
      // The one connecting is stopped too if a signal comes meanwhile.
      started.push(adapter);
      await adapter.start(runtime.bot);
      logger.info('adapter started', { adapter: adapter.name });
    }
  })();
  let signal: NodeJS.Signals;
  try {
    signal = (await Promise.race([startup.then(() => null), stopSignal])) ?? (await stopSignal);
  } catch (error) {
    await retention.stop();
    await dispatcher.stop();
    await shared.close();
    await stopAll(started, runtime, logger);
    throw error;
  }
  const bound = env.VIGIE_SHUTDOWN_GRACE_MS + ADAPTER_STOP_MS + 1_000;
  logger.info('stopping: no new delivery is started; requests already sent may finish', { signal, graceMs: env.VIGIE_SHUTDOWN_GRACE_MS });
  // Whatever hangs (a platform that never answers, a socket that never closes), the process
  // ends within the bound; a second signal ends it at once. Deliveries it held stay in the
  // outbox as they were and are checked before any resend.
  const hardExit = setTimeout(() => {
    logger.error('stop took too long: exiting now', { afterMs: bound });
    process.exit(1);
  }, bound);
  hardExit.unref();
  const again = () => {
    logger.warn('second stop signal: exiting now');
    process.exit(130);
  };
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  await retention.stop();
  await dispatcher.stop();
  await shared.close();
  for (const free of release) free();
  await stopAll(started, runtime, logger);
  logger.info('stopped');
}

/** How long each adapter may take to close its connections at shutdown. */
const ADAPTER_STOP_MS = 2_000;

async function stopAll(adapters: Adapter[], runtime: Runtime, logger: Logger): Promise<void> {
  for (const adapter of adapters.reverse()) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ADAPTER_STOP_MS);
    });
    try {
      const outcome = await Promise.race([adapter.stop().then(() => 'stopped' as const), late]);
      if (outcome === 'late') logger.warn('adapter did not stop in time; leaving its connections to the exit', { adapter: adapter.name, afterMs: ADAPTER_STOP_MS });
    } catch (error) {
      logger.warn('adapter did not stop cleanly', { adapter: adapter.name, error });
    } finally {
      clearTimeout(timer);
    }
  }
  await runtime.close();
}

async function runConsoleDemo(env: Env, logger: Logger, reference: ReturnType<typeof loadReferenceData>): Promise<void> {
  const scenario = loadCheckedScenario(env.VIGIE_DEMO_SCENARIO, reference.content, reference.gazetteer);
  const clock = new FixedClock(scenarioTime(scenario, env.VIGIE_DEMO_AT));
  // The demo keeps nothing: answers come from the replayed scenario, contexts live in memory.
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, logger, reference, scenario, allClearMs: allClearMs(env) });
  const { createConsoleAdapter } = await import('../../adapters/console/index.js');
  const adapter = createConsoleAdapter({
    input: process.stdin,
    output: process.stdout,
    clock,
    language: env.VIGIE_LANGUAGE,
    prompt: process.stdin.isTTY === true,
  });
  await adapter.start(runtime.bot);
  const stop = () => void adapter.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await adapter.done;
  await runtime.close();
}

async function main(): Promise<void> {
  await loadDotenv();
  const env = parseEnv(process.env);
  const logger = createLogger({ level: env.VIGIE_LOG_LEVEL, secrets: secretsFrom(process.env) });
  // A last safety net: a platform library's stray rejection is logged, not fatal.
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));
  const configured = await platforms(logger);
  const reference = loadReferenceData(env.VIGIE_CONTENT_DIR, { logger });
  if (configured.adapters.length > 0) {
    await runPlatforms(env, logger, configured, reference);
    // Stopped: a socket a hung platform still holds must not keep the process alive.
    setTimeout(() => process.exit(), 1_000).unref();
  }
  else await runConsoleDemo(env, logger, reference);
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`vigie: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
