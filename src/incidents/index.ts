/** Incidents: the stored shape, scenario replay and the index of what is in effect. */
export * from './schema.js';
export * from './incident-index.js';
export { replayScenario, timedEvents } from './replay.js';
export { scenarioTime, scenarioTimeline, parseScenarioTime } from './scenario-time.js';
export { validateScenario } from './validate-scenario.js';
