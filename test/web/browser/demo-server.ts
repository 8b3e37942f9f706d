/**
 * The status page on the demo scenario (2020-03-17, replayed, in memory) listening on
 * 127.0.0.1 on a port of the system's choosing, its clock pinned to one scenario time
 * (test/web/helpers.ts's demoWeb, for real HTTP): what the browser tests open and what
 * `npm run bench:web` loads.
 */
import { demoWeb, type DemoWeb } from '../helpers.js';

export interface ListeningDemoWeb extends DemoWeb {
  /** "http://127.0.0.1:PORT" (no trailing slash). */
  readonly origin: string;
}

/** Starts the server in this process on the demo scenario at `at` (Paris time on the scenario's day, "10:00" by default). */
export async function startDemoWeb(at = '10:00'): Promise<ListeningDemoWeb> {
  const demo = await demoWeb(at);
  try {
    await demo.app.listen({ host: '127.0.0.1', port: 0 });
    const address = demo.app.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('the web server has no port');
    return { ...demo, origin: `http://127.0.0.1:${address.port}` };
  } catch (error) {
    await demo.close();
    throw error;
  }
}
