/** Builds a bot on a real SQLite file in a temp dir, reading incidents from the store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock, type Bot } from '../../src/index.js';
import { TEST_NOW } from './clock.js';
import { createRuntime, loadReferenceData, type Runtime } from '../../src/runtime.js';

let reference: ReturnType<typeof loadReferenceData> | null = null;

/** Content and places, loaded once per test process. */
export function sharedReference(): ReturnType<typeof loadReferenceData> {
  reference ??= loadReferenceData();
  return reference;
}

/** Runs `fn` with a bot on a fresh SQLite store; the clock starts at `at` (the tests' fixed "now" by default). */
export async function withStoreBot<T>(fn: (bot: Bot, clock: FixedClock, runtime: Runtime) => Promise<T>, at: string | Date = TEST_NOW): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-test-'));
  const clock = new FixedClock(new Date(at));
  const runtime = await createRuntime({ storeUrl: `sqlite://${join(dir, 'vigie.sqlite')}`, clock, reference: sharedReference() });
  try {
    return await fn(runtime.bot, clock, runtime);
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
