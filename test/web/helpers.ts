/** The status page on the demo scenario or on a store, for tests through Fastify's inject. */
import type { FastifyInstance } from 'fastify';
import { FixedClock } from '../../src/base/clock.js';
import { silentLogger, type Logger } from '../../src/base/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { loadCheckedScenario } from '../../src/runtime.js';
import { scenarioTime } from '../../src/incidents/index.js';
import { createWebServer } from '../../src/web/server.js';
import { sharedReference } from '../helpers/bot.js';

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
export async function demoWeb(at = '10:00', options: { logger?: Logger; baseUrl?: string } = {}): Promise<DemoWeb> {
  const reference = sharedReference();
  const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
  const clock = new FixedClock(scenarioTime(scenario, at));
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario });
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
