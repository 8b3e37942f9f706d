/**
 * `npm run bench`: questions per second through understand + answer, one core, with
 * 10,000 incidents in effect, and p50/p99 latency per question. Also the startup cost
 * (content, 35,000 communes, indexes). Prints a table; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { loadReferenceData } from '../src/runtime.js';
import { createUnderstander } from '../src/understand/index.js';
import { createAnswerer } from '../src/answer/index.js';
import { IncidentIndex, type Incident } from '../src/incidents/index.js';
import { CAUSES, LEVELS, PHASES, STATUSES, type PlaceRef } from '../src/base/types.js';
import { makeQuestions } from './questions.js';

const INCIDENTS = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** A deterministic pseudo-random generator, so every run measures the same work. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const t0 = performance.now();
const { content, gazetteer } = loadReferenceData();
const t1 = performance.now();
const understander = createUnderstander({ gazetteer, services: content.services });
const answerer = createAnswerer({ content, gazetteer });
const t2 = performance.now();

const random = rng(42);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const now = new Date('2020-03-17T10:00:00+01:00');
const bigCommunes = gazetteer.communes.filter((c) => c.population > 2000);
const incidents: Incident[] = [];
for (let i = 0; i < INCIDENTS; i++) {
  const r = random();
  const place: PlaceRef =
    r < 0.02
      ? { kind: 'national', code: 'FR', name: 'France' }
      : r < 0.1
        ? { kind: 'region', code: pick(gazetteer.regions).code, name: '' }
        : r < 0.15
          ? { kind: 'academie', code: pick(gazetteer.academies).slug, name: '' }
          : r < 0.4
            ? { kind: 'departement', code: pick(gazetteer.departements).code, name: '' }
            : { kind: 'commune', code: pick(bigCommunes).code, name: '' };
  const started = new Date(now.getTime() - Math.floor(random() * 6 * 3600_000));
  const status = pick(STATUSES.filter((s) => s !== 'operational'));
  const phase = pick(PHASES.filter((p) => p !== 'resolved'));
  incidents.push({
    id: `bench-${i}`,
    service: pick(content.services).id,
    scope: { places: [{ kind: place.kind, code: place.code }], levels: random() < 0.5 ? [] : [pick(LEVELS)] },
    title: { fr: `Incident de test ${i}`, en: `Test incident ${i}` },
    status,
    phase,
    cause: pick(CAUSES),
    startedAt: started.toISOString(),
    resolvedAt: null,
    expectedRecovery: random() < 0.5 ? { at: null, text: { fr: 'En fin de journée.', en: 'By the end of the day.' } } : null,
    advice: { fr: 'Réessayez plus tard.', en: 'Try again later.' },
    updates: [
      {
        at: started.toISOString(),
        status,
        phase,
        text: { fr: 'Les équipes sont mobilisées.', en: 'Teams are on it.' },
        source: { name: 'Rectorat', url: 'https://www.education.gouv.fr' },
      },
    ],
  });
}
const t3 = performance.now();
const index = new IncidentIndex(incidents, gazetteer);
const t4 = performance.now();

const questions = makeQuestions(gazetteer, 4_000, rng(7));
// Warm up the JIT before measuring.
for (const q of questions.slice(0, 500)) answerer.answer(understander.understand(q), index, now);

// The first pass meets each question's lookup and reply for the first time (the index and the
// answerer memoise per state); later passes are what a crisis morning looks like: the same
// questions again and again. Both are reported.
const latencies: number[] = [];
let answered = 0;
let firstPass = 0;
const started = performance.now();
for (let round = 0; round < ROUNDS; round++) {
  for (const question of questions) {
    const a = performance.now();
    const reply = answerer.answer(understander.understand(question), index, now);
    latencies.push(performance.now() - a);
    if (reply.headline.length > 0) answered++;
  }
  if (round === 0) firstPass = performance.now() - started;
}
const elapsed = performance.now() - started;
const fresh = new IncidentIndex(incidents.slice(0, INCIDENTS - 1), gazetteer);
const coldStarted = performance.now();
for (const question of questions) answerer.answer(understander.understand(question), fresh, now);
const cold = performance.now() - coldStarted;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;

const rows: [string, string][] = [
  ['content + places (35k communes) load', `${(t1 - t0).toFixed(0)} ms`],
  ['understander + answerer build', `${(t2 - t1).toFixed(0)} ms`],
  ['startup total (load + indexes)', `${(t2 - t0).toFixed(0)} ms`],
  [`incident index build (${INCIDENTS.toLocaleString('en')} incidents)`, `${(t4 - t3).toFixed(0)} ms`],
  ['questions answered', `${answered.toLocaleString('en')} (${questions.length} distinct × ${ROUNDS})`],
  ['throughput (one core), all passes', `${Math.round((answered / elapsed) * 1000).toLocaleString('en')} questions/s`],
  ['throughput, first pass', `${Math.round((questions.length / firstPass) * 1000).toLocaleString('en')} questions/s`],
  ['throughput, cold (new index, no memo)', `${Math.round((questions.length / cold) * 1000).toLocaleString('en')} questions/s`],
  ['latency p50', `${(pct(50) * 1000).toFixed(0)} µs`],
  ['latency p99', `${(pct(99) * 1000).toFixed(0)} µs`],
  ['latency max', `${(latencies.at(-1)! * 1000).toFixed(0)} µs`],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`Vigie bench — understand + answer, node ${process.version}`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
