import { fixtureContent, fixtureGazetteer, fixtureScenario } from './test/fixtures/load-fixtures.js';
import { IncidentIndex, replayScenario } from './src/incidents/index.js';
import { createAnswerer } from './src/answer/index.js';
import type { Query } from './src/types.js';
const g = fixtureGazetteer(); const c = fixtureContent();
const now = new Date('2020-03-17T11:00:00Z');
const idx = new IncidentIndex(replayScenario(fixtureScenario(), now), g);
const a = createAnswerer({ content: c, gazetteer: g });
const places = g.communes.slice(0, 3000).map(cm => g.get('commune', cm.code)!);
const qs: Query[] = places.map((p, i) => ({ text: '', language: i%2?'fr':'en', intent: (['status','eta','cause','advice'] as const)[i%4]!, service: i%3===0?null:['ent','cned','visio','pronote'][i%4]!, level: null, place: p, alternatives: [], unknownPlace: null, truncated: false }));
for (let r = 0; r < 3; r++) { const t = performance.now(); for (let k = 0; k < 10; k++) for (const q of qs) a.answer(q, idx, now); console.log('us/answer', (performance.now() - t) * 1000 / (qs.length * 10)); }
