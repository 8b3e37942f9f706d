/**
 * Shared by the crash tests: the parent runs a worker (the dispatcher as a child process)
 * and may SIGKILL it; the worker drains the outbox of a SQLite store through given transports.
 */
import { spawnNode } from '../helpers/children.js';
import { openStore } from '../../src/store/index.js';
import { loadContent } from '../../src/content/load.js';
import { createTemplates, type Templates } from '../../src/content/templates.js';
import { ShiftedClock } from '../../src/base/clock.js';
import { TEST_NOW } from '../helpers/clock.js';
import { seededRandom } from '../../src/base/prng.js';
import { Dispatcher, type DeliveryTransport } from '../../src/delivery/index.js';

/**
 * The time the workers share: it starts at the tests' "now" and runs on, so each restarted
 * worker resumes where the killed one was, never earlier.
 */
const timeline = new ShiftedClock(TEST_NOW);

/** Where the workers' time is now: publish with this, so what is published is due for them. */
export function workerNow(): Date {
  return timeline.now();
}

/** Runs `worker` with `args`; kills it with SIGKILL `killAfterMs` after it prints "ready" (never when null). */
export function runWorker(worker: string, args: string[], killAfterMs: number | null): Promise<{ finished: boolean; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, VIGIE_NOW: timeline.now().toISOString() };
    // Killed with this process if the test ends first; a watchdog ends it if this process is killed.
    const child = spawnNode(['--import', 'tsx', worker, ...args], { env });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killAfterMs !== null && timer === undefined && out.includes('ready')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' || code === 0) resolve({ finished: out.includes('done'), killed: signal === 'SIGKILL' });
      else reject(new Error(`worker exited with ${code}: ${err}`));
    });
  });
}

let templates: Templates | null = null;

/** The shipped content/messages templates, made once per worker (the dispatcher's and the transports'). */
export function workerTemplates(): Templates {
  templates ??= createTemplates(loadContent().messages);
  return templates;
}

/** The worker's side: drains the outbox at `storePath`, printing "ready" then "done <summary>". */
export async function drainAsWorker(storePath: string, seed: number, transports: DeliveryTransport[]): Promise<void> {
  const clock = new ShiftedClock(new Date(process.env.VIGIE_NOW ?? TEST_NOW));
  const store = await openStore(`sqlite://${storePath}`, { clock });
  const random = seededRandom(seed);
  const dispatcher = new Dispatcher({
    store,
    clock,
    templates: workerTemplates(),
    transports,
    random,
    options: { backoff: { baseMs: 10, maxMs: 200 }, pollMs: 50, uncertainSettleMs: 500 },
  });
  process.stdout.write('ready\n');
  const summary = await dispatcher.drain();
  process.stdout.write(`done ${JSON.stringify(summary)}\n`);
  await store.close();
}
