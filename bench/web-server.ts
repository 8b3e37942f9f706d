/**
 * The server side of `bench/web.ts`, in its own process (as `npm start` runs it, with its Node
 * flags and the build's compilation): the status page on the demo scenario (2020-03-17 at
 * 10:00, in memory), listening on 127.0.0.1 on a port of the system's choosing. Its CPU time
 * is measured here, so the load generator's never counts.
 *
 * Messages: child → `{ ready: true, origin }` | `{ cpu: { userMs, systemMs } }` | `{ error }`;
 * parent → `{ cpu: true }` | `{ stop: true }`.
 */
import { startDemoWeb } from '../test/web/browser/demo-server.js';

const send = (message: unknown) => process.send?.(message);
try {
  const web = await startDemoWeb('10:00');
  process.on('message', (m: { stop?: boolean; cpu?: boolean }) => {
    if (m.cpu) {
      const u = process.cpuUsage();
      send({ cpu: { userMs: u.user / 1000, systemMs: u.system / 1000 } });
    }
    if (m.stop) void web.close().then(() => process.disconnect());
  });
  send({ ready: true, origin: web.origin });
} catch (error) {
  send({ error: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exitCode = 1;
  process.disconnect();
}
