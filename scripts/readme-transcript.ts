/**
 * The README's console transcript, produced from real output: the console chat of `npm start`
 * (the same scenario, clock, language and adapter, with the default configuration) is fed the
 * lines below one at a time, and what it writes is kept, each typed line shown after "› " as a
 * terminal would echo it. `npm run readme:transcript` writes it into README.md between the
 * transcript markers; test/readme-transcript.test.ts fails when the README differs, so the
 * transcript cannot drift from what Vigie says.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createConsoleAdapter } from '../adapters/console/index.js';
import { useDemoSignals } from '../src/app/demo.js';
import { FixedClock } from '../src/base/clock.js';
import { allClearMs, parseEnv } from '../src/config/env.js';
import { scenarioTime } from '../src/incidents/index.js';
import { createRuntime, loadCheckedScenario, loadReferenceData } from '../src/runtime.js';

/** What the transcript types, in order. */
export const TRANSCRIPT_LINES = [
  '/at 08:30',
  "l'ENT est en panne en Occitanie ?",
  '/signaux',
  '/at 10:00',
  "l'ENT est en panne en Occitanie ?",
  'et pourquoi ?',
  '/plus',
  '/at 18:45',
  'quand est-ce que le cned revient ?',
  'is Pronote down in Lille?',
  'merci !',
];

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- transcript:start (npm run readme:transcript writes this block from real output) -->';
const END = '<!-- transcript:end -->';

/** The transcript of a console session on the demo, as `npm start` runs it with the default configuration. */
export async function transcript(): Promise<string> {
  const env = parseEnv({});
  const reference = loadReferenceData();
  const scenario = loadCheckedScenario(env.VIGIE_DEMO_SCENARIO, reference.content, reference.gazetteer);
  const clock = new FixedClock(scenarioTime(scenario, env.VIGIE_DEMO_AT));
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario, allClearMs: allClearMs(env) });
  // The crowd signals as npm start counts them (the scenario's reconstructed reports).
  await useDemoSignals({ runtime, reference, scenario, clock });
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  const adapter = createConsoleAdapter({ input, output, clock, language: env.VIGIE_LANGUAGE });
  try {
    await adapter.start(runtime.bot);
    let shown = written;
    for (const line of TRANSCRIPT_LINES) {
      const before = written.length;
      input.write(`${line}\n`);
      // A command writes a line; a question writes its answer between blank lines.
      while (written.length === before || (!line.startsWith('/') && !written.endsWith('\n\n')) || !written.endsWith('\n')) await new Promise((r) => setTimeout(r, 2));
      shown += `› ${line}\n${written.slice(before).replace(/^\n/, '')}`;
    }
    input.end();
    await adapter.done;
    return shown.replace(/\n{3,}/g, '\n\n').trimEnd();
  } finally {
    await runtime.close();
  }
}

/** The README with its transcript block replaced. */
export function withTranscript(readme: string, text: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no transcript markers (${START} … ${END})`);
  return `${readme.slice(0, start)}${START}\n\`\`\`\n${text}\n\`\`\`\n${readme.slice(end)}`;
}

/** The transcript block as it stands in the README. */
export function readmeTranscript(readme: string): string | null {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return null;
  return readme.slice(start + START.length, end).replace(/^\n```\n/, '').replace(/\n```\n$/, '');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await transcript();
  writeFileSync(README, withTranscript(readFileSync(README, 'utf8'), text));
  console.log(`README.md: transcript written (${text.split('\n').length} lines)`);
}
