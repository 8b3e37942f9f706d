/**
 * The console demo's crowd signals (#15, item 7), one wiring for `npm start` without platform
 * tokens, the README transcript and the tests: the replayed scenario's reconstructed crowd
 * timeline and the reports typed in the demo (its in-memory store), counted up to the demo
 * clock's now as `/at` moves it (src/signals/replay.ts). Never used by a real deployment.
 */
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { Scenario } from '../content/schemas.js';
import { loadSignalsConfig } from '../content/signals-schema.js';
import { scenarioTime } from '../incidents/index.js';
import type { ReferenceData } from '../reference-snapshot.js';
import type { Runtime } from '../runtime.js';
import { crowdReports } from '../signals/crowd.js';
import { ReplayedSignals } from '../signals/replay.js';

/** Builds the demo's signals lookup, counts up to the clock's now, and hands it to the bot. */
export async function useDemoSignals(options: { runtime: Runtime; reference: ReferenceData; scenario: Scenario; clock: Clock; logger?: Logger }): Promise<ReplayedSignals> {
  const { runtime, reference, scenario, clock, logger } = options;
  const signals = new ReplayedSignals({
    places: reference.gazetteer,
    config: loadSignalsConfig(reference.content.dir),
    clock,
    crowd: crowdReports(scenario),
    typed: runtime.store.reports,
    // The scenario day from midnight: no history before it (the baseline's floor).
    from: scenarioTime(scenario, '00:00'),
    services: reference.content.services.map((s) => s.id),
    ...(logger ? { logger } : {}),
  });
  await signals.settle();
  runtime.bot.useSignals(signals);
  return signals;
}
