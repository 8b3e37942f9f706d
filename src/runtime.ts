/**
 * Assembles a working bot from configuration: content, places, store, incident source.
 * Used by the CLI, `npm start` and the benchmarks so they all build Vigie the same way.
 */
import { ContentError } from './errors.js';
import { loadContent, loadScenario, type Content } from './content/load.js';
import type { Scenario } from './content/schemas.js';
import { Gazetteer } from './places/gazetteer.js';
import { openStore, type Store } from './store/index.js';
import { validateScenario } from './incidents/index.js';
import { ScenarioSource, StoreSource, type IncidentSource } from './sources/incident-source.js';
import { Bot } from './bot.js';
import type { Clock } from './clock.js';
import { silentLogger, type Logger } from './logger.js';

/** What to build. */
export interface RuntimeOptions {
  storeUrl: string;
  clock: Clock;
  logger?: Logger;
  contentDir?: string;
  /** Replay this scenario (a name in content/scenarios, a file path, or a loaded one) instead of reading the store. */
  scenario?: string | Scenario;
  /** Content and places already loaded (they take a few hundred milliseconds to build). */
  reference?: { content: Content; gazetteer: Gazetteer };
}

/** A built bot and what it holds, to close when done. */
export interface Runtime {
  bot: Bot;
  content: Content;
  gazetteer: Gazetteer;
  store: Store;
  close(): Promise<void>;
}

/** Loads content and places once; both are read-only and shared. */
export function loadReferenceData(contentDir?: string): { content: Content; gazetteer: Gazetteer } {
  const content = loadContent(contentDir);
  const gazetteer = new Gazetteer(content.academies, content.regionAliases);
  return { content, gazetteer };
}

/** Loads a scenario and checks it against the places and services; throws ContentError on problems. */
export function loadCheckedScenario(nameOrFile: string, content: Content, gazetteer: Gazetteer): Scenario {
  const scenario = loadScenario(nameOrFile, content.dir);
  const problems = validateScenario(
    scenario,
    gazetteer,
    content.services.map((s) => s.id),
  );
  if (problems.length > 0) throw new ContentError(nameOrFile, problems.slice(0, 10).join('; '));
  return scenario;
}

/** Builds the bot. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const logger = options.logger ?? silentLogger;
  const { content, gazetteer } = options.reference ?? loadReferenceData(options.contentDir);
  const store = await openStore(options.storeUrl, { clock: options.clock, logger });
  try {
    const scenario =
      typeof options.scenario === 'string' ? loadCheckedScenario(options.scenario, content, gazetteer) : options.scenario;
    const source: IncidentSource = scenario ? new ScenarioSource(scenario, gazetteer) : new StoreSource(store, gazetteer);
    const bot = new Bot({ content, gazetteer, store, clock: options.clock, source, logger });
    return { bot, content, gazetteer, store, close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}
