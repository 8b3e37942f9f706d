/**
 * `npm run eval`: reads the labelled corpus (test/corpus/*.yaml) with the real understander,
 * prints the accuracy per field and every miss, and exits 1 when a field is under its
 * threshold (service, place, level ≥ 97%, intent ≥ 95%, language ≥ 99%).
 */
import { loadReferenceData } from '../src/runtime.js';
import { createUnderstander } from '../src/understand/index.js';
import { loadCorpus } from '../test/corpus/load.js';
import { FIELDS, THRESHOLDS, describeCorpus, scoreCorpus } from '../test/corpus/score.js';

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
process.exit(score.failing.length > 0 ? 1 : 0);
