/**
 * `npm run eval`: reads the labelled corpus (test/corpus/*.yaml) with the real understander,
 * prints the accuracy per field and every miss, and exits 1 when a field is under its
 * threshold (service, place, level ≥ 97%, intent ≥ 95%, language ≥ 99%); then reads the
 * false-place corpus (test/corpus/no-place/: sentences that name no place) and fails when
 * more than 0.5% of them are read as naming a place; then asks the whole corpus through the
 * bot (demo day, next morning, empty live store) and prints the distribution of first-message
 * lines and characters per platform, failing when one is over 5 lines or 500 characters.
 */
import { loadReferenceData } from '../src/runtime.js';
import { createUnderstander } from '../src/understand/index.js';
import { loadCorpus } from '../test/corpus/load.js';
import { FIELDS, THRESHOLDS, describeCorpus, scoreCorpus } from '../test/corpus/score.js';
import { FALSE_PLACE_MAX, scoreNoPlace } from '../test/corpus/no-place.js';
import { describeLengths, measureCorpus } from '../test/corpus/lengths.js';
import { FIRST_MESSAGE_MAX_CHARS, FIRST_MESSAGE_MAX_LINES } from '../src/answer/brief.js';

const { content, gazetteer } = loadReferenceData();
const understander = createUnderstander({ gazetteer, services: content.services });
const corpus = loadCorpus({ gazetteer, serviceIds: new Set(content.services.map((s) => s.id)) });
const score = scoreCorpus(understander, corpus);
const c = describeCorpus(corpus);

console.log(`Corpus: ${c.items} questions (${c.fr} FR, ${c.en} EN), ${c.traps} traps, ${c.followUps} follow-up pairs`);
for (const m of score.misses) {
  const after = m.after !== undefined ? `  [after: ${m.after}]` : '';
  console.log(`  MISS ${m.field.padEnd(8)} ${JSON.stringify(m.q)}${after}\n       expected ${m.expected}, got ${m.got}   (${m.where})`);
}
console.log('');
for (const f of FIELDS) {
  const pct = (score.accuracy[f] * 100).toFixed(1);
  const mark = score.accuracy[f] >= THRESHOLDS[f] ? 'ok' : 'FAIL';
  console.log(`  ${f.padEnd(8)} ${pct.padStart(5)}%  (${score.correct[f]}/${score.total}, need ${THRESHOLDS[f] * 100}%)  ${mark}`);
}

const noPlace = scoreNoPlace(understander);
console.log(`\nFalse places: sentences that name no place (${noPlace.total}: ${noPlace.fr.total} FR, ${noPlace.en.total} EN)`);
for (const f of noPlace.falsePlaces) console.log(`  FALSE PLACE ${JSON.stringify(f.text)} → ${f.place}`);
const pct = (n: number, d: number) => `${((n / Math.max(1, d)) * 100).toFixed(2)}%`;
const placesOk = noPlace.rate <= FALSE_PLACE_MAX;
console.log(
  `  false-place rate ${pct(noPlace.falsePlaces.length, noPlace.total)}  (${noPlace.falsePlaces.length}/${noPlace.total}; FR ${pct(noPlace.fr.wrong, noPlace.fr.total)}, EN ${pct(noPlace.en.wrong, noPlace.en.total)}; need ≤ ${FALSE_PLACE_MAX * 100}%)  ${placesOk ? 'ok' : 'FAIL'}`,
);
const lengths = await measureCorpus({ content, gazetteer });
const lengthsOk = lengths.over.length === 0;
console.log(`\nFirst messages: ${lengths.answers} answers (every question and follow-up, 4 states), each on 4 platforms; need ≤ ${FIRST_MESSAGE_MAX_LINES} lines and ≤ ${FIRST_MESSAGE_MAX_CHARS} characters  ${lengthsOk ? 'ok' : 'FAIL'}`);
for (const line of describeLengths(lengths)) console.log(line);
for (const m of lengths.over.slice(0, 20)) console.log(`  OVER ${m.platform} [${m.state}] ${JSON.stringify(m.question)}: ${m.lines} lines, ${m.chars} characters\n${m.text.replace(/^/gm, '       ')}`);
process.exit(score.failing.length > 0 || !placesOk || !lengthsOk ? 1 : 0);
