/** Builds a bot on a real store (a SQLite file in a temp dir, or a fresh PostgreSQL schema), reading incidents from the store. */
import { FixedClock, type Bot } from '../../src/index.js';
import { TEST_NOW } from './clock.js';
import { freshStoreUrl, type StoreKind } from './stores.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { sharedReference } from './reference.js';

export { sharedReference };

/**
 * Runs `fn` with a bot on a fresh store of `kind` (default a SQLite file); the clock starts
 * at `at` (the tests' fixed "now" by default). The store is removed afterwards.
 */
export async function withStoreBot<T>(fn: (bot: Bot, clock: FixedClock, runtime: Runtime) => Promise<T>, at: string | Date = TEST_NOW, kind: StoreKind = 'sqlite'): Promise<T> {
  const { url, cleanup } = await freshStoreUrl(kind);
  const clock = new FixedClock(new Date(at));
  try {
    const runtime = await createRuntime({ storeUrl: url, clock, reference: sharedReference() });
    try {
      return await fn(runtime.bot, clock, runtime);
    } finally {
      await runtime.close();
    }
  } finally {
    await cleanup();
  }
}
