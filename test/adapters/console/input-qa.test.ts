import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createConsoleAdapter } from '../../../adapters/console/index.js';
import { createRuntime, FixedClock } from '../../../src/index.js';
import { loadCheckedScenario } from '../../../src/runtime.js';
import { scenarioTime } from '../../../src/incidents/index.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);

/** Feeds every line to the console, ends its input, and returns all it wrote after the banner. */
async function session(lines: string[]): Promise<string> {
  const clock = new FixedClock(scenarioTime(scenario, '10:00'));
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const adapter = createConsoleAdapter({ input, output, clock });
  await adapter.start(runtime.bot);
  const banner = text.length;
  input.end(lines.map((l) => `${l}\n`).join(''));
  await adapter.done;
  await runtime.close();
  return text.slice(banner);
}

describe('console: lines that are not questions', () => {
  test('GIVEN empty and blank lines THEN nothing is answered for them (no help card), and the next question is answered', async () => {
    const out = await session(['', '   \t', '\r', 'le CNED marche ?']);
    assert.doesNotMatch(out, /Vigie répond sur l'état|Exemples/);
    assert.equal(out.match(/🟠 CNED : panne partielle/g)?.length, 1, out);
  });

  test('GIVEN a choice pending and a number out of range THEN it says which numbers are offered, and the choice still works', async () => {
    const out = await session(['ENT à Saint-Denis ?', '7', '0', '2']);
    const parts = out.split('❓ Quel Saint-Denis ?')[1] ?? '';
    assert.equal(parts.match(/Choisissez un numéro entre 1 et 4/g)?.length, 2, out);
    assert.doesNotMatch(parts, /Vigie répond sur l'état/);
    // The demo label was shown in full with the question: the answer carries its tag.
    assert.match(parts, /^\[DÉMO 17\/03\/2020\] 🟠 ENT : panne partielle en Île-de-France$/m);
  });

  test('GIVEN the same in English THEN the range is said in English', async () => {
    const out = await session(['is the ENT down in Valence?', '9']);
    assert.match(out, /Pick a number from 1 to 3/);
  });
});
