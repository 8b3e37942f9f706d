/**
 * The dispatcher as a child process, for the crash test: argv = STORE_PATH BASE_URL [SEED],
 * delivering through the generic fake. The test kills it with SIGKILL.
 */
import { GenericTransport } from '../fakes/generic/transport.js';
import { drainAsWorker } from './crash-harness.js';

const [storePath, baseUrl, seed] = process.argv.slice(2);
if (!storePath || !baseUrl) {
  process.stderr.write('usage: crash-worker STORE_PATH BASE_URL [SEED]\n');
  process.exit(2);
}
await drainAsWorker(storePath, Number(seed ?? 1), [
  new GenericTransport({ platform: 'slack', baseUrl, timeoutMs: 150 }),
  new GenericTransport({ platform: 'discord', baseUrl, timeoutMs: 150 }),
]);
