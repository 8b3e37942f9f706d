/**
 * `npm run eval`: reads the labelled corpus with the real understander and its shipped
 * models. First the held-out test split (corpus/test/: never trained, tuned or ruled on):
 * accuracy per field, per-intent precision and recall, the confusion matrix and every miss,
 * against the bars of issue #14 (intent ≥ 95%, every recall ≥ 90%, report precision ≥ 90%,
 * service and place ≥ 98%, level ≥ 99%, language ≥ 99.5%). Then the training split
 * (corpus/train/ and test/corpus/) the same way, misses counted only. Then the false-place
 * corpus (test/corpus/no-place/: sentences that name no place; ≤ 0.5% read as a place), and
 * the first-message lengths of every answer (≤ 5 lines, ≤ 500 characters). Exits 1 when a
 * bar is missed.
 */
import { loadReferenceData } from '../src/runtime.js';
import { createUnderstander } from '../src/understand/index.js';
import { loadCorpus, type Corpus } from '../test/corpus/load.js';
import { FIELDS, SPLIT_BARS, THRESHOLDS, describeCorpus, describeIntents, intentBarFailures, intentReport, scoreCorpus, type Field } from '../test/corpus/score.js';
import { INTENTS } from '../src/base/types.js';
import { TEST_DIR, TRAIN_DIRS } from './models.js';
import { FALSE_PLACE_MAX, scoreNoPlace } from '../test/corpus/no-place.js';
import { describeLengths, measureCorpus } from '../test/corpus/lengths.js';
import { FIRST_MESSAGE_MAX_CHARS, FIRST_MESSAGE_MAX_LINES } from '../src/answer/brief.js';

const { content, gazetteer } = loadReferenceData();
const understander = createUnderstander({ gazetteer, services: content.services });
const serviceIds = new Set(content.services.map((s) => s.id));
const pct = (n: number, d: number) => `${((n / Math.max(1, d)) * 100).toFixed(2)}%`;
let failed = false;

/** Scores one split; prints fields, intents and (when `showMisses`) every miss; returns whether its bars hold. */
function evaluate(name: string, corpus: Corpus, bars: Record<Field, number>, showMisses: boolean, intentBars: boolean): boolean {
  const score = scoreCorpus(understander, corpus, bars);
  const items = [...corpus.questions, ...corpus.followUps.flatMap((p) => [p.first, p.then])];
  const c = describeCorpus(corpus);
  console.log(`\n== ${name}: ${c.items} messages (${c.fr} FR, ${c.en} EN), ${c.followUps} follow-up pairs`);
  if (showMisses) {
    for (const m of score.misses) {
      const after = m.after !== undefined ? `  [after: ${m.after}]` : '';
      console.log(`  MISS ${m.field.padEnd(8)} ${JSON.stringify(m.q)}${after}\n       expected ${m.expected}, got ${m.got}   (${m.where})`);
    }
  } else console.log(`  ${score.misses.length} misses (not listed: this split trains the models)`);
  let ok = score.failing.length === 0;
  for (const f of FIELDS) {
    const mark = score.accuracy[f] >= bars[f] ? 'ok' : 'FAIL';
    console.log(`  ${f.padEnd(8)} ${(score.accuracy[f] * 100).toFixed(1).padStart(5)}%  (${score.correct[f]}/${score.total}, need ${(bars[f] * 100).toFixed(1)}%)  ${mark}`);
  }
  const report = intentReport(understander, items);
  for (const line of describeIntents(report, INTENTS)) console.log(line);
  if (intentBars) {
    for (const failure of intentBarFailures(report)) {
      ok = false;
      console.log(`  FAIL ${failure}`);
    }
  }
  return ok;
}

const testSplit = loadCorpus({ gazetteer, serviceIds, dir: TEST_DIR });
if (!evaluate('Test split (corpus/test/, held out)', testSplit, SPLIT_BARS.fields, true, true)) failed = true;
const trainNew = loadCorpus({ gazetteer, serviceIds, dir: TRAIN_DIRS[0]! });
evaluate('Training split (corpus/train/)', trainNew, SPLIT_BARS.fields, false, false);
const older = loadCorpus({ gazetteer, serviceIds });
if (!evaluate('Older labelled questions (test/corpus/, also trained on)', older, THRESHOLDS, false, false)) failed = true;

const noPlace = scoreNoPlace(understander);
console.log(`\nFalse places: sentences that name no place (${noPlace.total}: ${noPlace.fr.total} FR, ${noPlace.en.total} EN)`);
for (const f of noPlace.falsePlaces) console.log(`  FALSE PLACE ${JSON.stringify(f.text)} → ${f.place}`);
const placesOk = noPlace.rate <= FALSE_PLACE_MAX;
console.log(
  `  false-place rate ${pct(noPlace.falsePlaces.length, noPlace.total)}  (${noPlace.falsePlaces.length}/${noPlace.total}; FR ${pct(noPlace.fr.wrong, noPlace.fr.total)}, EN ${pct(noPlace.en.wrong, noPlace.en.total)}; need ≤ ${FALSE_PLACE_MAX * 100}%)  ${placesOk ? 'ok' : 'FAIL'}`,
);
const lengths = await measureCorpus({ content, gazetteer });
const lengthsOk = lengths.over.length === 0;
console.log(`\nFirst messages: ${lengths.answers} answers (every question and follow-up, 4 states), each on 4 platforms; need ≤ ${FIRST_MESSAGE_MAX_LINES} lines and ≤ ${FIRST_MESSAGE_MAX_CHARS} characters  ${lengthsOk ? 'ok' : 'FAIL'}`);
for (const line of describeLengths(lengths)) console.log(line);
for (const m of lengths.over.slice(0, 20)) console.log(`  OVER ${m.platform} [${m.state}] ${JSON.stringify(m.question)}: ${m.lines} lines, ${m.chars} characters\n${m.text.replace(/^/gm, '       ')}`);
process.exit(failed || !placesOk || !lengthsOk ? 1 : 0);
