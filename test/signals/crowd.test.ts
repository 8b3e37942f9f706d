/**
 * The demo's crowd (#15, item 7): the 2020-03-17 scenario's reconstructed reports, replayed as
 * a ReportSource, give the counts the file writes, the same every time, and a detector fed
 * from them sees on the demo morning what the story says: at 08:30, before any
 * official word, an unconfirmed surge of the ENT in the four régions and of the CNED.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario } from '../../src/content/load.js';
import { scenarioFileSchema } from '../../src/content/schemas.js';
import { replayScenario, scenarioTime } from '../../src/incidents/index.js';
import { SignalDetector } from '../../src/signals/detect.js';
import { CROWD_PLATFORM, crowdReports } from '../../src/signals/crowd.js';
import type { SignalReport } from '../../src/signals/types.js';
import { config, gazetteer } from './helpers.js';

const FOUR_REGIONS = ['11', '32', '44', '76'];
const scenario = loadScenario('2020-03-17');
const t = (at: string) => scenarioTime(scenario, at);
const QUARTER = 15 * 60_000;

/** Distinct reporters of a service at a place (kind:code) among reports. */
function reporters(reports: SignalReport[], service: string, place: string): number {
  return new Set(reports.filter((r) => r.service === service && `${r.place?.kind}:${r.place?.code}` === place).map((r) => r.reporter)).size;
}

describe('the crowd timeline replayed as reports', () => {
  test('GIVEN the demo scenario THEN every 15 minutes from each entry, until the next one of its series, hold exactly the people it writes, all new', async () => {
    const crowd = scenario.crowd!;
    assert.ok(crowd, 'the demo scenario has a crowd timeline');
    const source = crowdReports(scenario);
    const seen = new Set<string>();
    let checked = 0;
    for (const [index, entry] of crowd.entries.entries()) {
      const place = `${entry.place.kind}:${entry.place.code}`;
      const next = crowd.entries.slice(index + 1).find((e) => e.service === entry.service && e.place.kind === entry.place.kind && e.place.code === entry.place.code);
      const end = next ? t(next.at).getTime() : t(entry.at).getTime() + QUARTER;
      for (let from = t(entry.at).getTime(); from < end; from += QUARTER) {
        const span = await source.reportsBetween(new Date(from), new Date(from + QUARTER));
        assert.equal(reporters(span, entry.service, place), entry.reporters, `${entry.service} ${place} from ${new Date(from).toISOString()}`);
        for (const r of span.filter((r) => r.service === entry.service && `${r.place?.kind}:${r.place?.code}` === place)) {
          assert.ok(!seen.has(r.reporter), 'each person reports once');
          seen.add(r.reporter);
          assert.match(r.reporter, /^[0-9a-f]{64}$/, 'a key shaped like the stored HMACs');
          assert.equal(r.platform, CROWD_PLATFORM);
        }
        checked++;
      }
    }
    assert.ok(checked > 50, `${checked} spans checked`);
    assert.equal(seen.size, source.reports.length);
    // Nothing before the first entry, nothing after the last.
    assert.deepEqual(await source.reportsBetween(t('00:00'), t('08:00')), []);
    assert.deepEqual(await source.reportsBetween(t('18:30'), t('+1 12:00')), []);
  });

  test('GIVEN a written timeline THEN the spans are the file\'s: 08:10 with 6 people is 6 in 08:10–08:25, and an entry cut short keeps its share', async () => {
    const s = scenarioFileSchema.parse({
      id: 'mini',
      title: { fr: 'x', en: 'x' },
      date: '2020-03-17',
      events: scenario.events.slice(0, 1),
      crowd: {
        reconstructed: true,
        label: { fr: 'Reconstitué.', en: 'Reconstructed.' },
        entries: [
          { at: '08:10', service: 'ent', place: 'region:76', reporters: 6 },
          { at: '08:35', service: 'ent', place: 'region:76', reporters: 0 },
        ],
      },
    });
    const source = crowdReports(s);
    const at = (hm: string) => scenarioTime(s, hm);
    assert.equal((await source.reportsBetween(at('08:10'), at('08:25'))).length, 6);
    // 08:25–08:35 is two thirds of a span: 4 of its 6 people, evenly spread.
    assert.equal((await source.reportsBetween(at('08:25'), at('08:35'))).length, 4);
    assert.equal((await source.reportsBetween(at('08:35'), at('09:00'))).length, 0);
    assert.equal((await source.reportsBetween(at('08:00'), at('08:10'))).length, 0);
    // Bounds are [from, to): the report at 08:10 exactly is in, none at 08:25 counted twice.
    const all = await source.reportsBetween(at('08:00'), at('09:00'));
    assert.equal(all.length, 10);
    assert.equal(all[0]!.at.getTime(), at('08:10').getTime());
  });

  test('GIVEN the same scenario twice THEN the same reports, to the millisecond and key; a caller changing its copy changes nothing', async () => {
    const a = await crowdReports(scenario).reportsBetween(t('00:00'), t('+1 00:00'));
    const b = await crowdReports(loadScenario('2020-03-17')).reportsBetween(t('00:00'), t('+1 00:00'));
    assert.deepEqual(a, b);
    const source = crowdReports(scenario);
    const first = (await source.reportsBetween(t('08:00'), t('08:01')))[0]!;
    first.at.setTime(0);
    first.place!.code = '99';
    assert.deepEqual((await source.reportsBetween(t('08:00'), t('08:01')))[0], a[0]);
    for (let i = 1; i < a.length; i++) assert.ok(a[i - 1]!.at <= a[i]!.at, 'oldest first');
  });
});

describe('the demo morning seen by the detector', () => {
  /** A detector that starts counting at midnight on the demo day (no history: the floor), fed minute by minute. */
  async function detectorAt(until: string): Promise<{ d: SignalDetector; step: ReturnType<SignalDetector['step']> }> {
    const source = crowdReports(scenario);
    const d = new SignalDetector({ places: gazetteer, config, observedFrom: t('00:00') });
    let step = d.step(t('00:00'));
    for (let m = t('07:00').getTime(); m < t(until).getTime(); m += 60_000) {
      await d.pull(source, new Date(m), new Date(m + 60_000));
      step = d.step(new Date(m + 60_000));
    }
    return { d, step };
  }

  test('GIVEN 07:59 THEN no signal at all (the first reports come at 08:00)', async () => {
    const { step } = await detectorAt('07:59');
    assert.deepEqual(step.episodes, []);
  });

  test('GIVEN 08:30 THEN no official incident yet, and an unconfirmed surge of the ENT in the four régions and of the CNED', async () => {
    assert.deepEqual(replayScenario(scenario, t('08:30')), [], 'nothing official before the minister (09:00) and the ministry (09:30)');
    const { d, step } = await detectorAt('08:30');

    const ent = step.episodes.filter((e) => e.service === 'ent' && e.state === 'open');
    assert.ok(ent.length > 0, 'an ENT episode is open');
    // The signal is where the reports are: the four régions, each above the surge threshold
    // (or the episode of France, with those four as its top places).
    const hotRegions = new Set([...ent.filter((e) => e.place.kind === 'region').map((e) => e.place.code), ...ent.flatMap((e) => e.topPlaces.map((p) => p.place.code))]);
    assert.deepEqual([...hotRegions].sort(), FOUR_REGIONS);
    assert.ok(ent.every((e) => e.strength === 'surge'), ent.map((e) => `${e.place.name}: ${e.strength}`).join(', '));
    for (const code of FOUR_REGIONS) {
      const n = d.reportersSince('ent', { kind: 'region', code }, t('08:30'));
      // The last 30 minutes, (08:00, 08:30]: 6 people in 08:00–08:15 but the first at 08:00 sharp, and 18 in 08:15–08:30.
      assert.equal(n, 5 + 18, `région ${code}`);
      assert.ok(n >= config.thresholds.surge.minReporters);
    }
    assert.equal(d.reportersSince('ent', { kind: 'region', code: '53' }, t('08:30')), 0, 'Bretagne: nobody');

    const cned = step.episodes.filter((e) => e.service === 'cned' && e.state === 'open');
    assert.equal(cned.length, 1);
    assert.equal(cned[0]!.place.kind, 'national');
    assert.ok(cned[0]!.strength === 'surge' || cned[0]!.strength === 'elevated');
    assert.equal(d.reportersSince('cned', null, t('08:30')), 4 + 15, '(08:00, 08:30]: 5 people, the first at 08:00 sharp, then 15');
    assert.ok(cned[0]!.firstSeen.getTime() >= t('08:00').getTime() && cned[0]!.firstSeen.getTime() < t('08:15').getTime(), 'first seen at the first reports');
  });

  test('GIVEN 10:00 THEN the official incidents are open, and the signals still there beside them', async () => {
    const official = replayScenario(scenario, t('10:00'));
    assert.deepEqual(official.filter((i) => i.service === 'ent').map((i) => i.scope.places[0]!.code).sort(), FOUR_REGIONS);
    assert.ok(official.some((i) => i.service === 'cned'));
    const { step } = await detectorAt('10:00');
    assert.ok(step.episodes.some((e) => e.service === 'ent' && e.state === 'open'));
    assert.ok(step.episodes.some((e) => e.service === 'cned' && e.state === 'open'));
  });
});
