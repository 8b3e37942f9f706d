/**
 * Run as a separate process by concurrency.test.ts: opens the store given as argv[2] and
 * writes argv[3] audit entries and incidents tagged argv[4], then prints the audit numbers.
 */
import { openStore } from '../../src/store/index.js';
import { makeIncident } from './helpers.js';

const [url, countText, tag] = process.argv.slice(2);
const store = await openStore(url ?? 'memory://');
const seqs: number[] = [];
for (let i = 0; i < Number(countText); i++) {
  const entry = await store.audit.append({ actor: { platform: 'cli', user: tag ?? 'worker' }, action: 'test.write', outcome: 'ok' });
  seqs.push(entry.seq);
  await store.incidents.put(makeIncident({ id: `${tag}-${i}` }));
}
await store.close();
process.stdout.write(JSON.stringify(seqs));
