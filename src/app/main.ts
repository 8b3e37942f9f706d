/**
 * `npm start`: the only place that wires the core to platforms. The platforms registered in
 * src/app/platforms.ts whose tokens are configured are built, then started after the store is
 * open, on the store's incidents and the wall clock, and all stopped at the end; with none,
 * it runs the console chat on the demo scenario, clearly labelled.
 */
import { FixedClock } from '../base/clock.js';
import { allClearMs, clockFromEnv, loadDotenv, parseEnv } from '../config/env.js';
import { createLogger, secretsFrom, type Logger } from '../base/logger.js';
import { createRuntime, loadCheckedScenario, loadReferenceData } from '../runtime.js';
import { scenarioTime } from '../incidents/index.js';
import type { Env } from '../config/env.js';
// Only the platforms' settings are read up front (src/app/platforms.ts); a platform's adapter
// and SDK (@slack/bolt, discord.js) are loaded only when its token is configured, and the
// console and the dispatcher only in the mode that uses them, so each mode starts with what it needs.
import { platformRegistry } from './platforms.js';
import { PlatformGroup, PLATFORM_STOP_MS, type ConfiguredPlatform, type Platform } from '../platform.js';
import { createTemplates, type Templates } from '../content/templates.js';
import { shareInstances } from '../instances.js';
import { RetentionJob } from '../store/retention.js';
import { probesFromEnv } from '../signals/probes.js';
import { useDemoSignals } from './demo.js';
import { SignalsService } from '../signals/service.js';
import { loadSignalsConfig } from '../content/signals-schema.js';
import { createSignalCountsKeeper } from '../store/reports.js';
import { AlertDesk } from '../signals/alerts.js';
import { createAlertStore } from '../store/alerts.js';
import { createPlacePhrases } from '../answer/place-phrases.js';

/** The configured platforms, built (not connected), their own words from these templates. */
async function build(configured: readonly ConfiguredPlatform[], logger: Logger, templates: Templates): Promise<Platform[]> {
  const built: Platform[] = [];
  for (const platform of configured) built.push(await platform.create({ logger, templates }));
  return built;
}

async function runPlatforms(env: Env, logger: Logger, platforms: PlatformGroup, reference: ReturnType<typeof loadReferenceData>, templates: Templates): Promise<void> {
  // Listened for from the start: a signal while the adapters connect stops the process too.
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const clock = clockFromEnv(env);
  if (env.VIGIE_NOW) logger.warn('VIGIE_NOW is set: running as if it were that time, not on the wall clock', { start: env.VIGIE_NOW });
  // Probes only with VIGIE_PROBES=on (content/probes.yaml read and checked here, before the
  // store opens: a bad file stops startup); off, nothing is asked of anyone's servers.
  // The alert desk (set below when an alert channel is configured) follows probes' changes at once.
  let desk: AlertDesk | null = null;
  const probes = probesFromEnv(env, reference, { clock, logger, onChange: () => desk?.probeChanged() });
  // content/signals.yaml read here too: a bad file stops startup before the store opens.
  const signalsConfig = loadSignalsConfig(reference.content.dir);
  const runtime = await createRuntime({ storeUrl: env.VIGIE_STORE_URL, cacheUrl: env.VIGIE_CACHE_URL, clock, logger, reference, templates, allClearMs: allClearMs(env), reportSecret: env.VIGIE_REPORT_SECRET });
  logger.info('store opened', { store: runtime.store.description });
  // Old deliveries, notices and audit entries go at start-up and then daily (src/store/retention.ts).
  const retention = new RetentionJob({ db: runtime.store.db, clock, logger, policy: { days: env.VIGIE_RETENTION_DAYS, auditDays: env.VIGIE_AUDIT_RETENTION_DAYS, reportMs: env.VIGIE_REPORT_RETENTION } });
  retention.start();
  if (probes) {
    probes.start();
    logger.info('probes: on', { probes: probes.readings().map((r) => r.probe) });
  }
  // Alerts in the operators' channels (VIGIE_SLACK_ALERT_CHANNEL, VIGIE_DISCORD_ALERT_CHANNEL): off without one.
  const alertSinks = platforms.alertSinks();
  if (alertSinks.length > 0) {
    const alertStore = createAlertStore(runtime.store.db, logger);
    const places = createPlacePhrases(templates, reference.gazetteer);
    desk = new AlertDesk({
      sinks: alertSinks,
      store: alertStore,
      samples: alertStore,
      templates,
      clock,
      language: env.VIGIE_ALERT_LANGUAGE,
      serviceName: (id, lang) => reference.content.services.find((s) => s.id === id)?.name[lang] ?? id,
      placePhrase: (lang, place) => places.phrase(lang, place),
      prober: probes,
      logger,
      // An alert keeps sample texts people wrote: gone with the reports they came from.
      keepEndedMs: env.VIGIE_REPORT_RETENTION,
    });
    await desk.start();
    logger.info('alerts: on', { platforms: alertSinks.map((s) => s.platform), language: env.VIGIE_ALERT_LANGUAGE });
  }
  const alertDesk = desk;
  // Crowd signals: the reports kept (and the counts saved) read now, then a step every minute.
  const signals = new SignalsService({
    places: reference.gazetteer,
    config: signalsConfig,
    // Read through the desk: reports other instances stored join the replies' counts.
    source: runtime.reports.counting(runtime.store.reports),
    clock,
    logger,
    prober: probes,
    counts: createSignalCountsKeeper(runtime.store.db, logger),
    services: reference.content.services.map((s) => s.id),
    reportsKeptMs: env.VIGIE_REPORT_RETENTION,
    ...(alertDesk ? { afterStep: (step) => void alertDesk.update(step) } : {}),
  });
  await signals.start();
  runtime.bot.useSignals(signals);
  const { Dispatcher } = await import('../delivery/index.js');
  // Several instances on one PostgreSQL store: shared platform pace, each other's changes heard at once.
  const shared = shareInstances(runtime.store, platforms.transports(), { logger });
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
  // What the first misspelled place name would build (the typo index), built meanwhile in slices.
  void runtime.bot.prepare().catch((error: unknown) => logger.warn('understanding: typo index not prepared; built at first need', { error }));
  // The platforms start after the store (and the dispatcher): one after the other.
  const startup = platforms.start(runtime.bot);
  let signal: NodeJS.Signals;
  try {
    signal = (await Promise.race([startup.then(() => null), stopSignal])) ?? (await stopSignal);
  } catch (error) {
    await retention.stop();
    await signals.stop();
    await probes?.stop();
    await dispatcher.stop();
    await shared.close();
    await platforms.stop();
    await runtime.close();
    throw error;
  }
  const bound = env.VIGIE_SHUTDOWN_GRACE_MS + PLATFORM_STOP_MS + 1_000;
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
  await signals.stop();
  await probes?.stop();
  await alertDesk?.idle();
  await dispatcher.stop();
  await shared.close();
  // Every platform, the last started first, even when one fails or hangs (each is logged).
  await platforms.stop();
  await runtime.close();
  logger.info('stopped');
}

async function runConsoleDemo(env: Env, logger: Logger, reference: ReturnType<typeof loadReferenceData>, beside: readonly ConfiguredPlatform[]): Promise<void> {
  const scenario = loadCheckedScenario(env.VIGIE_DEMO_SCENARIO, reference.content, reference.gazetteer);
  const clock = new FixedClock(scenarioTime(scenario, env.VIGIE_DEMO_AT));
  // The demo keeps nothing: answers come from the replayed scenario, contexts live in memory.
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, logger, reference, scenario, allClearMs: allClearMs(env), reportSecret: env.VIGIE_REPORT_SECRET });
  void runtime.bot.prepare().catch((error: unknown) => logger.warn('understanding: typo index not prepared; built at first need', { error }));
  // The scenario's reconstructed crowd timeline and the reports typed in the console, counted
  // up to the demo clock's now as /at moves it (/signaux lists them, answers say them as unconfirmed).
  await useDemoSignals({ runtime, reference, scenario, clock, logger });
  const { createConsoleAdapter } = await import('../../adapters/console/index.js');
  const adapter = createConsoleAdapter({
    input: process.stdin,
    output: process.stdout,
    clock,
    language: env.VIGIE_LANGUAGE,
    prompt: process.stdin.isTTY === true,
  });
  // The web status page (VIGIE_HTTP_PORT) shows the same replay at the same clock (`/at` moves both).
  const surfaces = new PlatformGroup(await build(beside, logger, runtime.bot.templates), logger);
  await surfaces.start(runtime.bot);
  await adapter.start(runtime.bot);
  const stop = () => void adapter.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await adapter.done;
  await surfaces.stop();
  await runtime.close();
}

async function main(): Promise<void> {
  await loadDotenv();
  const env = parseEnv(process.env);
  const logger = createLogger({ level: env.VIGIE_LOG_LEVEL, secrets: secretsFrom(process.env) });
  // A last safety net: a platform library's stray rejection is logged, not fatal.
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));
  // Every configured platform's settings are checked before the content is read.
  const configured = platformRegistry().configured(process.env);
  const reference = loadReferenceData(env.VIGIE_CONTENT_DIR, { logger });
  // The web status page runs beside the chat platforms, or beside the console demo when there are none.
  if (configured.some((p) => !p.alongside)) {
    // One catalogue of words for the platforms and the bot.
    const templates = createTemplates(reference.content.messages);
    const built = await build(configured, logger, templates);
    await runPlatforms(env, logger, new PlatformGroup(built, logger), reference, templates);
    // Stopped: a socket a hung platform still holds must not keep the process alive.
    setTimeout(() => process.exit(), 1_000).unref();
  } else {
    await runConsoleDemo(env, logger, reference, configured);
    // The console is done: a client still connected to the web must not keep the process alive.
    setTimeout(() => process.exit(), 1_000).unref();
  }
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
