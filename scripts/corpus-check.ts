/**
 * `node --import tsx scripts/corpus-check.ts FILE...`: validates labelled corpus files
 * (schema, service ids, place codes the gazetteer holds) and prints counts per intent and
 * language. Never runs the understander: labels are a human's, not the bot's.
 */
import { basename, dirname } from 'node:path';
import { loadReferenceData } from '../src/runtime.js';
import { loadCorpus } from '../test/corpus/load.js';

const { content, gazetteer } = loadReferenceData();
const serviceIds = new Set(content.services.map((s) => s.id));
let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    const corpus = loadCorpus({ gazetteer, serviceIds, dir: dirname(file), only: [basename(file)] });
    const counts = new Map<string, number>();
    for (const q of corpus.questions) {
      const k = `${q.intents.join('|')}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const fr = corpus.questions.filter((q) => q.lang === 'fr').length;
    console.log(`${file}: ${corpus.questions.length} messages (${fr} FR, ${corpus.questions.length - fr} EN)`);
    for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(12)} ${n}`);
    const seen = new Map<string, string>();
    for (const q of corpus.questions) {
      const key = q.q.toLowerCase().trim();
      if (seen.has(key)) console.log(`  DUPLICATE ${JSON.stringify(q.q)} (${seen.get(key)} and ${q.where})`);
      else seen.set(key, q.where);
    }
  } catch (error) {
    failed = true;
    console.log(`${file}: INVALID\n${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
