/**
 * Another process changing incidents, for `npm run bench:store`: the CLI or another instance
 * as the bot under measure sees them. argv: STORE_URL MS EVERY_MS; the incidents to change
 * (JSON array) on stdin. Updates one of them (its title) every EVERY_MS for MS, then prints
 * how many changes it wrote.
 */
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
