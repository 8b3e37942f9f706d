import { fixtureContent, fixtureGazetteer } from './test/fixtures/load-fixtures.js';
import { IncidentIndex } from './src/incidents/index.js';
import { createAnswerer } from './src/answer/index.js';
import type { Incident } from './src/incidents/schema.js';
import type { Query } from './src/types.js';
const g = fixtureGazetteer(); const c = fixtureContent();
const communes = g.communes; const many: Incident[] = [];
const svc = ['ent','cned','visio','pronote'];
for (let i = 0; i < 10000; i++) { const cm = communes[(i*7)%communes.length]!; const iso='2020-03-17T07:00:00.000Z';
 many.push({ id: 'c'+i, service: svc[i%4]!, scope: { places: [{kind:'commune', code: cm.code}], levels: [] }, title:{fr:'x',en:'x'}, status:'major_outage', phase:'investigating', cause:'overload', startedAt: iso, resolvedAt: null, expectedRecovery: null, advice: null, updates:[{at:iso,status:'major_outage',phase:'investigating',text:{fr:'t',en:'t'},source:{name:'S'}}]}); }
for (const code of ['76','11','32','44']) many.push({ ...many[0]!, id: 'r'+code, scope: { places: [{kind:'region', code}], levels: ['lycee'] } });
let t = performance.now(); const idx = new IncidentIndex(many, g); console.log('build ms', performance.now() - t);
const a = createAnswerer({ content: c, gazetteer: g });
const places = communes.slice(0, 2000).map(cm => g.get('commune', cm.code)!).concat(g.regions.map(r => g.get('region', r.code)!));
const now = new Date('2020-03-17T10:00:00Z');
const qs: Query[] = places.map((p, i) => ({ text: '', language: i%2?'fr':'en', intent: (['status','eta','cause','advice'] as const)[i%4]!, service: i%3===0?null:svc[i%4]!, level: null, place: p, alternatives: [], unknownPlace: null, truncated: false }));
const lat: number[] = [];
for (let r = 0; r < 5; r++) for (const q of qs) { const s = performance.now(); a.answer(q, idx, now); lat.push(performance.now() - s); }
lat.sort((x,y)=>x-y); console.log('n', lat.length, 'mean us', 1000*lat.reduce((x,y)=>x+y)/lat.length, 'p50', lat[lat.length/2|0]!*1000, 'p99 us', lat[Math.floor(lat.length*0.99)]!*1000);
const communeQs = qs.filter(q => q.place!.kind === 'commune');
const lat2: number[] = [];
for (let r = 0; r < 5; r++) for (const q of communeQs) { const s = performance.now(); a.answer(q, idx, now); lat2.push(performance.now() - s); }
lat2.sort((x,y)=>x-y); console.log('commune only mean us', 1000*lat2.reduce((x,y)=>x+y)/lat2.length, 'p99', lat2[Math.floor(lat2.length*0.99)]!*1000);
const lat3: number[] = [];
for (let r = 0; r < 5; r++) for (const q of communeQs) { const s = performance.now(); idx.find({service:q.service, place:q.place, level:null, at: now}); lat3.push(performance.now() - s); }
lat3.sort((x,y)=>x-y); console.log('find only mean us', 1000*lat3.reduce((x,y)=>x+y)/lat3.length);
