/** The status page on the demo scenario or on a store, for tests through Fastify's inject. */
import type { FastifyInstance } from 'fastify';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { silentLogger, type Logger } from '../../src/base/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { loadCheckedScenario } from '../../src/runtime.js';
import { scenarioTime } from '../../src/incidents/index.js';
import { createWebServer } from '../../src/web/server.js';
import { sharedReference } from '../helpers/bot.js';
import { useDemoSignals } from '../../src/app/demo.js';

/** The HTTP dates' clock of the tests (Last-Modified): a fixed instant, never the machine's. */
export const HTTP_NOW = new Date('2026-12-01T09:00:00Z');

export interface DemoWeb {
  app: FastifyInstance;
  runtime: Runtime;
  /** The core's clock (the scenario's hour). */
  clock: FixedClock;
  /** The clock of HTTP dates. */
  httpClock: FixedClock;
  close(): Promise<void>;
}

/** The status page on the 2020-03-17 scenario, its clock at `at` ("10:00" Paris time by default). */
export async function demoWeb(at = '10:00', options: { logger?: Logger; baseUrl?: string; signals?: boolean } = {}): Promise<DemoWeb> {
  const reference = sharedReference();
  const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
  const clock = new FixedClock(scenarioTime(scenario, at));
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario });
  // As npm start's console demo: the scenario's reconstructed crowd timeline, counted up to the clock.
  if (options.signals) await useDemoSignals({ runtime, reference, scenario, clock });
  const httpClock = new FixedClock(HTTP_NOW);
  const app = createWebServer({ core: runtime.bot, logger: options.logger ?? silentLogger, clock: httpClock, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
  await app.ready();
  return {
    app,
    runtime,
    clock,
    httpClock,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

/** The text of an HTML page without its tags, spaces folded (what a reader sees, roughly). */
export function visibleText(page: string): string {
  return page
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The cells of the row of `rowName` in the overview's table, as text. */
export function row(page: string, rowName: string): string[] {
  const rows = page.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
  const found = rows.find((r) => visibleText(r.match(/<th scope="row">[\s\S]*?<\/th>/)?.[0] ?? '') === rowName);
  assert.ok(found, `no row ${rowName}`);
  return (found.match(/<td>[\s\S]*?<\/td>/g) ?? []).map(visibleText);
}

/** The overview table's service columns. */
export function columns(page: string): string[] {
  const head = page.match(/<thead>[\s\S]*?<\/thead>/)?.[0] ?? '';
  return (head.match(/<th scope="col">[\s\S]*?<\/th>/g) ?? []).map(visibleText).slice(1);
}

