/**
 * Detection of crowd signals (#15), the flood of the issue: 100,000 reports in 10 minutes
 * from 20,000 reporters (one of whom sends 10,000), fed to the detector a minute at a time
 * and stepped each minute; once at département level, once across 500 communes. Prints
 * wall and CPU time per run (medians, min–max), what the detector holds, and, measured in the
 * same conditions, a bare loop of the same Map operations (the machine is shared and noisy:
 * read the ratio). Asserts nothing; the counts are checked by test/signals/detect.test.ts.
 *
 *   node scripts/bench.mjs bench/signals-detect.ts [--runs 5]
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_CONTENT_DIR, loadYamlFile } from '../src/content/load.js';
import { academiesFileSchema } from '../src/content/schemas.js';
import { loadSignalsConfig } from '../src/content/signals-schema.js';
import { Gazetteer } from '../src/places/gazetteer.js';
import { SignalDetector } from '../src/signals/detect.js';
import type { SignalReport } from '../src/signals/types.js';

const { values } = parseArgs({ options: { runs: { type: 'string' } } });
const RUNS = Number(values.runs ?? 5);
const { academies, regionAliases } = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'places', 'academies.yaml'), academiesFileSchema);
const gazetteer = new Gazetteer(academies, regionAliases);
const config = loadSignalsConfig();
const MIN = 60_000;
const T0 = Date.parse('2026-12-01T08:00:00+01:00');

function flood(placeOf: (i: number) => { kind: 'departement' | 'commune'; code: string }): SignalReport[] {
  const out: SignalReport[] = [];
  for (let i = 0; i < 100_000; i++) {
    const loud = i % 10 === 0;
    const who = loud ? 'loud' : `r${i % 19_999}`;
    out.push({
      at: new Date(T0 + Math.floor((i * 10 * MIN) / 100_000)),
      service: 'ent',
      place: placeOf(loud ? 0 : i % 19_999),
      level: null,
      platform: 'slack',
      // Fresh 64-character keys, as HMACs read from a store would be.
      reporter: who.padStart(64, '0'),
    });
  }
  return out;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(0)} ms (${s[0]!.toFixed(0)}–${s[s.length - 1]!.toFixed(0)})`;
};

const departements = ['34', '30', '31', '11', '66', '48', '09', '12'];
const communes = gazetteer.communes.filter((c) => c.region === '76').slice(0, 500).map((c) => c.code);
const cases = {
  'départements': flood((i) => ({ kind: 'departement', code: departements[i % departements.length]! })),
  '500 communes': flood((i) => ({ kind: 'commune', code: communes[i % communes.length]! })),
};

console.log(`signals detection bench: ${RUNS} runs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const [label, reports] of Object.entries(cases)) {
  const wall: number[] = [];
  const cpu: number[] = [];
  const bare: number[] = [];
  let held = '';
  let counted = 0;
  for (let run = 0; run < RUNS; run++) {
    const d = new SignalDetector({ places: gazetteer, config, observedFrom: new Date(T0 - 5 * 7 * 24 * 60 * MIN) });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let m = 1; m <= 10; m++) {
      d.ingest(reports.slice((m - 1) * 10_000, m * 10_000));
      d.step(new Date(T0 + m * MIN));
    }
    const step = d.step(new Date(T0 + 10 * MIN));
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    held = JSON.stringify(d.size());
    counted = step.episodes.find((e) => e.place.code === '76')?.reporters ?? 0;

    // The same Map operations, bare: one reporter map per place of the chain.
    const maps = Array.from({ length: 4 }, () => new Map<string, number>());
    const b0 = process.cpuUsage();
    for (const r of reports) {
      const t = r.at.getTime();
      for (const m of maps) {
        const last = m.get(r.reporter);
        if (last === undefined || t - last >= 30 * MIN) m.set(r.reporter, t);
      }
    }
    const b = process.cpuUsage(b0);
    bare.push((b.user + b.system) / 1000);
  }
  console.log(`${label}: 100,000 reports, Occitanie counts ${counted}; wall ${stats(wall)}, CPU ${stats(cpu)}; bare Map loop CPU ${stats(bare)}; held ${held}`);
}
