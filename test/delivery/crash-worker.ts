/**
 * The dispatcher as a child process, for the crash test: opens the SQLite store given as
 * argv[2], delivers through the generic fake at argv[3], prints "ready" when it starts
 * sending and "done <summary>" when the outbox is drained. The test kills it with SIGKILL.
 */
import { openStore } from '../../src/store/index.js';
import { loadContent } from '../../src/content/load.js';
import { createTemplates } from '../../src/answer/messages.js';
import { systemClock } from '../../src/clock.js';
import { Dispatcher } from '../../src/delivery/index.js';
import { GenericTransport } from '../fakes/generic/transport.js';

const [storePath, baseUrl, seed] = process.argv.slice(2);
if (!storePath || !baseUrl) {
  process.stderr.write('usage: crash-worker STORE_PATH BASE_URL [SEED]\n');
  process.exit(2);
}
const store = await openStore(`sqlite://${storePath}`);
const templates = createTemplates(loadContent().messages);
let state = Number(seed ?? 1) >>> 0;
const random = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 4294967296;
};
const dispatcher = new Dispatcher({
  store,
  clock: systemClock,
  templates,
  transports: [new GenericTransport({ platform: 'slack', baseUrl, timeoutMs: 150 }), new GenericTransport({ platform: 'discord', baseUrl, timeoutMs: 150 })],
  random,
  options: { backoff: { baseMs: 10, maxMs: 200 }, maxAttempts: 50 },
});
process.stdout.write('ready\n');
const summary = await dispatcher.drain();
process.stdout.write(`done ${JSON.stringify(summary)}\n`);
await store.close();
