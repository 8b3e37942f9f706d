/**
 * Assembles a working bot from configuration: content, places, store, incident source.
 * Used by the CLI, `npm start` and the benchmarks so they all build Vigie the same way.
 */
import type { Templates } from './content/templates.js';
import { ContentError } from './base/errors.js';
import { DEFAULT_CONTENT_DIR, loadScenario, type Content } from './content/load.js';
import type { Scenario } from './content/schemas.js';
import type { Gazetteer } from './places/gazetteer.js';
import { resolve } from 'node:path';
import { fromSources, loadReferenceWithSnapshot, referenceInputs, type ReferenceData, type SnapshotCache } from './reference-snapshot.js';
import { buildSnapshotCache } from './build-info.js';
import { openContextCache, openStore, type PlaceLocator, type Store } from './store/index.js';
import { validateScenario } from './incidents/index.js';
import { ScenarioSource, StoreSource, type IncidentSource } from './sources/incident-source.js';
import { Bot } from './bot.js';
import { ReportDesk } from './signals/reports.js';
import type { Understander } from './understand/index.js';
import type { Clock } from './base/clock.js';
import { silentLogger, type Logger } from './base/logger.js';

/** What to build. */
export interface RuntimeOptions {
  storeUrl: string;
  /** Redis for follow-up contexts shared by several instances (VIGIE_CACHE_URL); default bounded memory. */
  cacheUrl?: string;
  clock: Clock;
  logger?: Logger;
  contentDir?: string;
  /** Replay this scenario (a name in content/scenarios, a file path, or a loaded one) instead of reading the store. */
  scenario?: string | Scenario;
  /** Content and places already loaded (they take a few hundred milliseconds to build). */
  reference?: { content: Content; gazetteer: Gazetteer };
  /** The templates of that content, when the caller already made them (one catalogue per process). */
  templates?: Templates;
  /** A reader of questions other than the shipped one (tests: models of a chosen certainty). */
  understander?: Understander;
  /** How long a resolution counts as an official all-clear (VIGIE_ALL_CLEAR_HOURS; default 24 h). */
  allClearMs?: number;
  /** The key of reporters' pseudonyms (VIGIE_REPORT_SECRET); unset, a random one per process (warned once). */
  reportSecret?: string | undefined;
}

/** A built bot and what it holds, to close when done. */
export interface Runtime {
  bot: Bot;
  content: Content;
  gazetteer: Gazetteer;
  store: Store;
  /** Where reports are recorded (counts in memory, writes grouped); `close` writes what it holds. */
  reports: ReportDesk;
  close(): Promise<void>;
}

/** Where reference snapshots are read and saved: the build's by default; null builds from the sources. */
export interface ReferenceOptions {
  cache?: SnapshotCache | null;
  /** Told when a snapshot was there but could not be used. */
  logger?: Logger;
}

/**
 * What this process already loaded, by content folder and the key of everything it is built
 * from (content bytes, official data): a second load of unchanged inputs returns the same
 * read-only data (the CLI run in-process by the tests loads it once, not once per command).
 */
const loaded = new Map<string, ReferenceData>();

/**
 * Loads content and places once; both are read-only and shared. Compiled (dist/), it reads
 * the reference snapshot matching the current sources, content and official data when there
 * is one (src/reference-snapshot.ts); from the TypeScript sources, it builds everything.
 */
export function loadReferenceData(contentDir?: string, options: ReferenceOptions = {}): ReferenceData {
  const dir = contentDir ?? DEFAULT_CONTENT_DIR;
  // Hashed once: the memo's key, and the snapshot's key below.
  const inputs = referenceInputs(dir);
  const memo = inputs && `${resolve(dir)}\0${inputs}`;
  const known = memo ? loaded.get(memo) : undefined;
  if (known) return known;
  const cache = options.cache === undefined ? buildSnapshotCache() : options.cache;
  const reference = cache ? loadReferenceWithSnapshot(dir, cache, options.logger ?? silentLogger, inputs) : fromSources(contentDir);
  if (memo) loaded.set(memo, reference);
  return reference;
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

/** Where a place lies, for the store's targeting columns. */
export function placeLocator(gazetteer: Gazetteer): PlaceLocator {
  return (place) => {
    const within = gazetteer.ancestors(place);
    const code = (kind: string) => (place.kind === kind ? place.code : (within.find((p) => p.kind === kind)?.code ?? ''));
    return { region: code('region'), academie: code('academie'), departement: code('departement') };
  };
}

/** Builds the bot. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const logger = options.logger ?? silentLogger;
  const { content, gazetteer } = options.reference ?? loadReferenceData(options.contentDir, { logger });
  const contexts = await openContextCache(options.cacheUrl, logger);
  const store = await openStore(options.storeUrl, { clock: options.clock, logger, locate: placeLocator(gazetteer), contexts }).catch(async (error: unknown) => {
    await contexts.disconnect().catch(() => undefined);
    throw error;
  });
  try {
    const scenario =
      typeof options.scenario === 'string' ? loadCheckedScenario(options.scenario, content, gazetteer) : options.scenario;
    const window = options.allClearMs === undefined ? {} : { resolvedWindowMs: options.allClearMs };
    const source: IncidentSource = scenario ? new ScenarioSource(scenario, gazetteer, window) : new StoreSource(store, gazetteer, undefined, undefined, window);
    const reports = new ReportDesk(store.reports, { secret: options.reportSecret, logger, places: gazetteer });
    const bot = new Bot({ content, gazetteer, store, clock: options.clock, source, logger, reports, ...(options.templates ? { templates: options.templates } : {}), ...(options.understander ? { understander: options.understander } : {}) });
    return {
      bot,
      content,
      gazetteer,
      store,
      reports,
      // The reports queued are written before the store closes (each reply waits for its write).
      close: async () => {
        await reports.close().catch((error: unknown) => logger.error('reports: not all written at stop', { error }));
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
