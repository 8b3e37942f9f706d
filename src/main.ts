/**
 * `npm start`: the only place that wires the core to adapters. With no platform token
 * configured, it runs the console chat on the demo scenario, clearly labelled.
 */
import { FixedClock } from './clock.js';
import { loadDotenv, parseEnv } from './config/env.js';
import { createLogger, secretsFrom } from './logger.js';
import { createRuntime, loadCheckedScenario, loadReferenceData } from './runtime.js';
import { scenarioTime } from './incidents/index.js';
import { createConsoleAdapter } from '../adapters/console/index.js';

async function main(): Promise<number> {
  await loadDotenv();
  const env = parseEnv(process.env);
  const logger = createLogger({ level: env.VIGIE_LOG_LEVEL, secrets: secretsFrom(process.env) });
  const reference = loadReferenceData(env.VIGIE_CONTENT_DIR);

  // No platform adapter is configured yet: run the console chat on the demo scenario.
  const scenario = loadCheckedScenario(env.VIGIE_DEMO_SCENARIO, reference.content, reference.gazetteer);
  const clock = new FixedClock(scenarioTime(scenario, env.VIGIE_DEMO_AT));
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, logger, reference, scenario });
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
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`vigie: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
