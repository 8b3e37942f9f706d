/** Drives the console adapter the way a person at a terminal would, for the console tests. */
import { PassThrough } from 'node:stream';
import { createConsoleAdapter } from '../../../adapters/console/index.js';
import type { Language } from '../../../src/base/types.js';
import type { FixedClock } from '../../../src/index.js';

type ConsoleBot = Parameters<ReturnType<typeof createConsoleAdapter>['start']>[0];

/** Types `lines` into a console adapter on `bot`, ends the input, and returns everything it wrote. */
export async function typeLines(bot: ConsoleBot, clock: FixedClock, lines: readonly string[], language?: Language): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const adapter = createConsoleAdapter({ input, output, clock, ...(language ? { language } : {}) });
  await adapter.start(bot);
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await adapter.done;
  return text;
}
