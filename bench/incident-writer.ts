/**
 * Another process changing incidents, for `npm run bench:store`: the CLI or another instance
 * as the bot under measure sees them. argv: STORE_URL MS EVERY_MS; the incidents to change
 * (JSON array) on stdin. Updates one of them (its title) every EVERY_MS for MS, then prints
 * how many changes it wrote. Says "ready" on fd 3 once its store is open, and starts on the
 * first byte it reads there.
 */
import { Socket } from 'node:net';
import { openStore } from '../src/store/index.js';
import type { Incident } from '../src/incidents/schema.js';

const [url, duration, every] = process.argv.slice(2);
if (!url || !duration || !every) {
  process.stderr.write('usage: incident-writer STORE_URL MS EVERY_MS < incidents.json\n');
  process.exit(2);
}
let input = '';
for await (const chunk of process.stdin) input += String(chunk);
const open = JSON.parse(input) as Incident[];
const store = await openStore(url);
// Ready: the bench starts measuring, then says go (a byte on fd 3), so this process's own
// start-up (loading modules, opening the store) is not inside the measured seconds.
const go = new Promise<void>((resolve) => {
  const control = new Socket({ fd: 3, readable: true, writable: true });
  control.once('data', () => resolve());
  control.write('ready\n');
  control.unref();
});
await go;
let writes = 0;
const until = performance.now() + Number(duration);
while (performance.now() < until) {
  const incident = open[writes % open.length]!;
  await store.incidents.put({ ...incident, title: { fr: `${incident.title.fr} (${writes})`, en: incident.title.en } });
  writes++;
  await new Promise((resolve) => setTimeout(resolve, Number(every)));
}
await store.close();
process.stdout.write(`${writes}\n`);
