/**
 * Where a Discord answer's own time goes, without the machine's noise: the question stream of
 * `npm run bench:adapters` (bench/questions.ts, seed 17, 33 rounds of 500) through the core
 * and the Discord rendering in one small process, each question's minimum over several passes.
 *
 * - new wordings: each distinct question read, composed, rendered and serialized as its
 *   callback JSON by a fresh reader and composer (so nothing is a memo hit but what the
 *   stream itself repeats), per stage;
 * - asked before: `bot.ask` for questions already read, each time from someone new (as in
 *   the bench), with the follow-up context read and written in the memory store.
 *
 * `--dump FILE` writes every distinct question with its query and callback body (the
 * timestamp left out), to check that a change leaves answers byte-identical.
 *
 *   node scripts/bench.mjs bench/new-wordings.ts [--passes 6] [--dump FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRuntime, FixedClock, loadReferenceData } from '../src/index.js';
import { createUnderstander } from '../src/understand/index.js';
import { createAnswerer } from '../src/answer/index.js';
import { callbackBody, renderReply } from '../adapters/discord/base/render.js';
import { offerFollow } from '../adapters/discord/handlers/subscriptions.js';
import { seededRandom } from '../src/base/prng.js';
import { makeQuestions } from './questions.js';

const { values } = parseArgs({ options: { passes: { type: 'string' }, dump: { type: 'string' } } });
const passes = Math.max(2, Number(values.passes ?? 6));

/** The bench's crisis morning (17 March 2020, 10:00 in Paris). */
const now = new Date('2020-03-17T09:00:00.000Z');
const reference = loadReferenceData();
const runtime = await createRuntime({ storeUrl: 'memory://', clock: new FixedClock(now), reference, scenario: '2020-03-17' });
const bot = runtime.bot;
const index = await bot.incidents(now);
const random = seededRandom(17);
const stream: string[] = [];
for (let r = 0; r < 33; r++) stream.push(...makeQuestions(reference.gazetteer, 500, random));
const distinct = [...new Set(stream)];
const bodyOf = (message: ReturnType<typeof renderReply>) =>
  callbackBody(message) ?? Buffer.from(JSON.stringify({ type: 4, data: { embeds: message.embeds, components: message.components, allowed_mentions: { parse: [], replied_user: false } } }));

// New wordings: per question and stage, the least time over the passes after the first.
const STAGES = ['reading', 'composing', 'rendering', 'callback JSON'] as const;
const best = new Float64Array(distinct.length * STAGES.length).fill(Number.POSITIVE_INFINITY);
const dump: string[] = [];
for (let pass = 0; pass < passes; pass++) {
  const understander = createUnderstander({ gazetteer: reference.gazetteer, services: reference.content.services });
  const answerer = createAnswerer({ content: reference.content, gazetteer: reference.gazetteer });
  distinct.forEach((question, i) => {
    const t0 = performance.now();
    const query = understander.understand(question, { locale: 'fr' });
    const t1 = performance.now();
    const reply = answerer.answer(query, index, now, { demo: bot.demoLabel(query.language), channel: true });
    const t2 = performance.now();
    const message = renderReply(bot.templates, offerFollow(bot.templates, reply, true));
    const t3 = performance.now();
    const body = bodyOf(message);
    const t4 = performance.now();
    if (pass > 0) [t1 - t0, t2 - t1, t3 - t2, t4 - t3].forEach((t, k) => (best[i * STAGES.length + k] = Math.min(best[i * STAGES.length + k]!, t)));
    if (pass === 0 && values.dump) dump.push(`${question}\n${JSON.stringify(query)}\n${body.toString('utf8').replace(/"timestamp":"[^"]*"/g, '')}`);
  });
}
const sums = STAGES.map((_, k) => distinct.reduce((sum, _q, i) => sum + best[i * STAGES.length + k]!, 0));
const us = (ms: number) => ((1000 * ms) / distinct.length).toFixed(1);

// Asked before: bot.ask on questions it has read, each time for someone new.
const sample = stream.slice(0, 2000);
const asked = new Float64Array(sample.length).fill(Number.POSITIVE_INFINITY);
let person = 0;
for (let pass = 0; pass < passes + 1; pass++) {
  for (let i = 0; i < sample.length; i++) {
    const t0 = performance.now();
    await bot.ask({ conversation: { platform: 'discord', workspace: 'guild', channel: 'channel', user: `person-${person++}` }, text: sample[i]!, locale: 'fr' });
    if (pass > 0) asked[i] = Math.min(asked[i]!, performance.now() - t0);
  }
}

process.stdout.write(
  [
    `${distinct.length} distinct questions in ${stream.length}; each question's least time over ${passes - 1} passes:`,
    `  new wording: ${STAGES.map((name, k) => `${name} ${us(sums[k]!)} µs`).join(' · ')} · in all ${us(sums.reduce((a, b) => a + b, 0))} µs`,
    `  asked before, by someone new: bot.ask ${((1000 * asked.reduce((a, b) => a + b, 0)) / sample.length).toFixed(1)} µs`,
    '',
  ].join('\n'),
);
if (values.dump) writeFileSync(values.dump, `${dump.join('\n')}\n`);
await runtime.close();
process.exit(0);
