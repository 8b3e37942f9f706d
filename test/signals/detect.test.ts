import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SignalDetector } from '../../src/signals/detect.js';
import type { ReportSource, SignalReport } from '../../src/signals/types.js';
import { BRETAGNE, GARD, HERAULT, MIN, MONTPELLIER_COMMUNE, OCCITANIE, T0, WEEK, at, config, detector, gazetteer, people, report } from './helpers.js';

const where = (s: { episodes: { place: { kind: string; code: string } }[] }) => s.episodes.map((e) => `${e.place.kind}:${e.place.code}`);

describe('Roll-up along the French map', () => {
  test('GIVEN 3 reporters in Hérault and 4 in Gard THEN one signal of 7 for Occitanie, with Gard and Hérault as its top places', () => {
    const d = detector();
    d.ingest([...people(3, at(1), HERAULT), ...people(4, at(2), GARD)]);
    const step = d.step(at(5));
    assert.deepEqual(where(step), ['region:76']);
    const [e] = step.episodes;
    assert.equal(e!.place.name, 'Occitanie');
    assert.equal(e!.reporters, 7);
    assert.equal(e!.strength, 'elevated');
    assert.deepEqual(e!.topPlaces.map((t) => [t.place.name, t.reporters]), [['Gard', 4], ['Hérault', 3]]);
    // Every level counts the seven: académie, région, France; each département only its own.
    assert.equal(d.reportersSince('ent', { kind: 'academie', code: 'montpellier' }, at(5)), 7);
    assert.equal(d.reportersSince('ent', OCCITANIE, at(5)), 7);
    assert.equal(d.reportersSince('ent', null, at(5)), 7);
    assert.equal(d.reportersSince('ent', GARD, at(5)), 4);
    // Another service's count is its own.
    assert.equal(d.reportersSince('pronote', OCCITANIE, at(5)), 0);
  });

  test('GIVEN reports from communes (Montpellier) THEN they count for Hérault, the académie, Occitanie and France', () => {
    const d = detector();
    d.ingest(people(2, at(1), MONTPELLIER_COMMUNE));
    for (const place of [MONTPELLIER_COMMUNE, HERAULT, { kind: 'academie', code: 'montpellier' } as const, OCCITANIE, null]) {
      assert.equal(d.reportersSince('ent', place, at(2)), 2, JSON.stringify(place));
    }
  });

  test('GIVEN 20 reporters in Gard alone THEN the signal is Gard’s, not Occitanie’s nor France’s', () => {
    const d = detector();
    d.ingest(people(20, at(1), GARD));
    assert.deepEqual(where(d.step(at(3))), ['departement:30']);
  });

  test('GIVEN Gard reporting, then Hérault as much THEN Occitanie opens beside Gard (Hérault shows among its top places), in one alert', () => {
    const d = detector();
    d.ingest(people(20, at(1), GARD));
    d.step(at(3));
    d.ingest(people(20, at(4), HERAULT));
    const step = d.step(at(6));
    assert.deepEqual(where(step), ['departement:30', 'region:76']);
    assert.deepEqual(step.episodes[1]!.topPlaces.map((t) => [t.place.name, t.reporters]), [['Gard', 20], ['Hérault', 20]]);
    assert.equal(step.groups.length, 1);
  });

  test('GIVEN reports without a place THEN they count nationally; an unknown place counts nationally too; no service: ignored', () => {
    const d = detector();
    d.ingest(people(5, at(1), null));
    d.ingest([report(at(1), 'x', { kind: 'departement', code: '99' })]);
    d.ingest([report(at(1), 'y', OCCITANIE, null)]);
    assert.deepEqual(where(d.step(at(2))), ['national:FR']);
    assert.equal(d.reportersSince('ent', null, at(2)), 6);
    assert.equal(d.stats.unknownPlace, 1);
    assert.equal(d.stats.ignored, 1);
  });
});

describe('One person, one voice', () => {
  test('GIVEN one person reporting 50 times THEN they count once; with 4 others that makes 5 and an elevated signal', () => {
    const d = detector();
    d.ingest(Array.from({ length: 50 }, (_, i) => report(new Date(T0 + i * 10_000), 'same', OCCITANIE)));
    assert.equal(d.reportersSince('ent', OCCITANIE, at(9)), 1);
    assert.equal(d.stats.repeated, 49);
    assert.deepEqual(d.step(at(9)).episodes, []);
    d.ingest(people(4, at(10), OCCITANIE));
    const [e] = d.step(at(12)).episodes;
    assert.equal(e?.reporters, 5);
  });

  test('GIVEN the same person 29 minutes later THEN not counted again; 30 minutes later THEN counted again', () => {
    const d = detector();
    d.ingest([report(at(0), 'p', GARD), report(at(29), 'p', GARD)]);
    assert.equal(d.stats.counted, 1);
    d.ingest([report(at(30), 'p', GARD)]);
    assert.equal(d.stats.counted, 2);
  });

  test('GIVEN one person reporting from Hérault then from Gard THEN each département counts them, Occitanie once', () => {
    const d = detector();
    d.ingest([report(at(1), 'p', HERAULT), report(at(2), 'p', GARD)]);
    assert.equal(d.reportersSince('ent', HERAULT, at(3)), 1);
    assert.equal(d.reportersSince('ent', GARD, at(3)), 1);
    assert.equal(d.reportersSince('ent', OCCITANIE, at(3)), 1);
  });

  test('GIVEN one person reporting about the ENT and Pronote THEN they count once for each service', () => {
    const d = detector();
    d.ingest([report(at(1), 'p', GARD, 'ent'), report(at(2), 'p', GARD, 'pronote')]);
    assert.equal(d.reportersSince('ent', GARD, at(3)), 1);
    assert.equal(d.reportersSince('pronote', GARD, at(3)), 1);
  });
});

describe('Episodes open, grow and close', () => {
  test('GIVEN reports rising then stopping THEN the episode opens, grows (strength, peak, total, top places) and closes after 30 calm minutes', () => {
    const d = detector();
    // 08:05: 6 in Gard → elevated.
    d.ingest(people(6, at(5), GARD, 'ent', 'a'));
    let step = d.step(at(7));
    assert.deepEqual(step.episodeEvents.map((e) => e.type), ['opened']);
    const first = step.episodes[0]!;
    assert.equal(first.id, 'ent@departement:30@2026-12-01T07:00:00.000Z');
    assert.equal(first.firstSeen.toISOString(), at(5).toISOString());
    assert.equal(first.strength, 'elevated');
    assert.equal(first.state, 'open');

    // Nothing new: no event.
    assert.deepEqual(d.step(at(8)).episodeEvents, []);

    // 08:20: 20 more, from Nîmes → surge; the peak is the 08:15 window.
    d.ingest(people(20, at(20), { kind: 'commune', code: '30189' }, 'ent', 'b'));
    step = d.step(at(21));
    assert.deepEqual(step.episodeEvents.map((e) => e.type), ['updated']);
    const grown = step.episodes[0]!;
    assert.equal(grown.id, first.id);
    assert.equal(grown.strength, 'surge');
    assert.equal(grown.current, 'surge');
    assert.equal(grown.reporters, 26);
    assert.equal(grown.total, 26);
    assert.deepEqual([grown.peak.count, grown.peak.window.toISOString()], [20, at(15).toISOString()]);
    assert.equal(grown.firstSeen.toISOString(), at(5).toISOString());
    assert.deepEqual(grown.topPlaces.map((t) => [t.place.name, t.reporters]), [['Nîmes', 20]]);

    // The last hot window ends at 08:30: calm from then; still open at 08:59, closed at 09:00.
    step = d.step(at(45));
    assert.equal(step.episodes[0]!.current, 'calm');
    assert.equal(step.episodes[0]!.strength, 'surge');
    assert.equal(d.step(at(59)).episodes[0]!.state, 'open');
    step = d.step(at(60));
    assert.deepEqual(step.episodeEvents.map((e) => [e.type, e.episode.closedAt?.toISOString()]), [['closed', at(60).toISOString()]]);
    assert.equal(step.episodes[0]!.total, 26);
    assert.deepEqual(d.step(at(61)).episodes, []);

    // New reports later: a new episode, with a new id.
    d.ingest(people(5, at(90), GARD, 'ent', 'c'));
    const again = d.step(at(91)).episodes[0]!;
    assert.notEqual(again.id, first.id);
    assert.equal(again.total, 5);
  });

  test('GIVEN a few reports trickling in below the threshold THEN the episode still closes 30 minutes after its last hot window', () => {
    const d = detector();
    d.ingest(people(5, at(1), GARD));
    d.step(at(2));
    for (let m = 15; m <= 50; m += 5) {
      d.ingest([report(at(m), `t${m}`, GARD)]);
      d.step(at(m));
    }
    // Hot window 08:00–08:15 → calm from 08:15, closes at 08:45.
    const closed = d.step(at(50)).episodes.find((e) => e.state === 'closed');
    assert.equal(closed, undefined);
    assert.equal(d.step(at(51)).episodes.length, 0);
  });

  test('GIVEN time given backwards THEN the detector keeps its time (no event, no crash)', () => {
    const d = detector();
    d.ingest(people(5, at(1), GARD));
    assert.equal(d.step(at(10)).episodeEvents.length, 1);
    assert.deepEqual(d.step(at(2)).episodeEvents, []);
    assert.equal(d.step(at(2)).at.toISOString(), at(10).toISOString());
  });
});

describe('Alert groups', () => {
  const regions = ['76', '53', '84', '11'];

  test('GIVEN the ENT failing in four régions at once THEN one national episode listing them; no région opens its own inside it', () => {
    const d = detector();
    d.ingest(regions.flatMap((code) => people(8, at(1), { kind: 'region', code })));
    const step = d.step(at(2));
    assert.deepEqual(where(step), ['national:FR']);
    assert.equal(step.episodes[0]!.reporters, 32);
    assert.deepEqual(step.episodes[0]!.topPlaces.map((t) => [t.place.code, t.reporters]), [['11', 8], ['53', 8], ['76', 8], ['84', 8]]);
    assert.equal(step.groups.length, 1);
  });

  test('GIVEN the ENT failing in Occitanie, then in three more régions THEN France opens beside Occitanie, in the same alert group (same id)', () => {
    const d = detector();
    d.ingest(people(8, at(1), OCCITANIE));
    const first = d.step(at(2));
    assert.deepEqual(where(first), ['region:76']);
    assert.deepEqual(first.groupEvents.map((e) => e.type), ['opened']);
    const id = first.groups[0]!.id;
    assert.equal(first.episodes[0]!.groupId, id);

    d.ingest(['53', '84', '11'].flatMap((code) => people(8, at(3), { kind: 'region', code })));
    const later = d.step(at(4));
    assert.deepEqual(where(later), ['national:FR', 'region:76']);
    assert.deepEqual(later.groups.map((g) => g.id), [id]);
    assert.deepEqual(later.episodes.map((e) => e.groupId), [id, id]);
    assert.deepEqual(later.groupEvents.map((e) => e.type), ['updated']);
    assert.deepEqual(later.groups[0]!.services, ['ent']);
  });

  test('GIVEN the ENT in Hérault and Pronote in Gard (one académie) THEN one alert for both services', () => {
    const d = detector();
    d.ingest([...people(6, at(1), HERAULT, 'ent'), ...people(6, at(1), GARD, 'pronote')]);
    const step = d.step(at(2));
    assert.deepEqual(step.episodes.map((e) => `${e.service} ${e.place.kind}:${e.place.code}`), ['ent departement:34', 'pronote departement:30']);
    assert.equal(step.groups.length, 1);
    assert.deepEqual(step.groups[0]!.services, ['ent', 'pronote']);
  });

  test('GIVEN the ENT in Occitanie and Pronote in Bretagne THEN two alerts; a national CNED surge is a third', () => {
    const d = detector();
    d.ingest([...people(6, at(1), OCCITANIE, 'ent'), ...people(6, at(1), BRETAGNE, 'pronote'), ...people(6, at(1), null, 'cned')]);
    const step = d.step(at(2));
    assert.equal(step.episodes.length, 3);
    assert.equal(step.groups.length, 3);
    assert.equal(new Set(step.groups.map((g) => g.id)).size, 3);
  });

  test('GIVEN a group whose episodes all end THEN it closes once, with its episodes closed', () => {
    const d = detector();
    d.ingest([...people(6, at(1), HERAULT, 'ent'), ...people(6, at(1), GARD, 'pronote')]);
    const id = d.step(at(2)).groups[0]!.id;
    const closing = d.step(at(45));
    assert.deepEqual(closing.groupEvents.map((e) => [e.type, e.group.id, e.group.state]), [['closed', id, 'closed']]);
    assert.deepEqual(closing.groupEvents[0]!.group.episodes.map((e) => e.state), ['closed', 'closed']);
    assert.equal(closing.groupEvents[0]!.group.closedAt?.toISOString(), at(45).toISOString());
    assert.deepEqual(d.step(at(46)).groupEvents, []);
    assert.deepEqual(d.step(at(46)).groups, []);
  });

  test('GIVEN two alerts that become related THEN they merge under the older id and the other closes, saying where it went', () => {
    const d = detector();
    d.ingest(people(6, at(1), HERAULT, 'ent'));
    const older = d.step(at(2)).groups[0]!.id;
    // Pronote in Haute-Garonne: another académie, another alert.
    d.ingest(people(6, at(3), { kind: 'departement', code: '31' }, 'pronote'));
    const two = d.step(at(4));
    assert.equal(two.groups.length, 2);
    const younger = two.groups.find((g) => g.id !== older)!.id;
    // The ENT fails in Haute-Garonne too: an ENT episode for Occitanie, which holds both → one alert.
    d.ingest(people(6, at(5), { kind: 'departement', code: '31' }, 'ent'));
    const step = d.step(at(6));
    assert.deepEqual(step.episodes.map((e) => `${e.service} ${e.place.kind}:${e.place.code}`), ['ent departement:34', 'ent region:76', 'pronote departement:31']);
    assert.deepEqual(step.groups.filter((g) => g.state === 'open').map((g) => g.id), [older]);
    const closed = step.groupEvents.find((e) => e.type === 'closed')!.group;
    assert.deepEqual([closed.id, closed.mergedInto], [younger, older]);
  });
});

describe('Alert groups that split', () => {
  test('GIVEN Pronote in Occitanie bridging the ENT in Hérault and Visio in Haute-Garonne THEN one alert; when Pronote calms down, the ENT keeps the id and Visio gets its own', () => {
    const d = detector();
    const HAUTE_GARONNE = { kind: 'departement', code: '31' } as const;
    d.ingest([...people(6, at(1), HERAULT, 'ent'), ...people(6, at(1), HAUTE_GARONNE, 'visio'), ...people(6, at(1), OCCITANIE, 'pronote')]);
    const first = d.step(at(2));
    assert.equal(first.groups.length, 1);
    const id = first.groups[0]!.id;
    for (const m of [16, 31]) {
      d.ingest([...people(6, at(m), HERAULT, 'ent'), ...people(6, at(m), HAUTE_GARONNE, 'visio')]);
      d.step(at(m + 1));
    }
    d.ingest([...people(6, at(46), HERAULT, 'ent'), ...people(6, at(46), HAUTE_GARONNE, 'visio')]);
    const step = d.step(at(46));
    assert.deepEqual(step.episodeEvents.filter((e) => e.type === 'closed').map((e) => e.episode.service), ['pronote']);
    const groupOf = (service: string) => step.episodes.find((e) => e.service === service && e.state === 'open')!.groupId;
    assert.equal(groupOf('ent'), id);
    assert.notEqual(groupOf('visio'), id);
    assert.deepEqual(step.groupEvents.map((e) => [e.type, e.group.id === id]).sort(), [['opened', false], ['updated', true]]);
  });
});

describe('A flood', () => {
  test('GIVEN 100,000 reports in 10 minutes from 20,000 reporters, one of whom sends 10,000 THEN the signal counts 20,000 and memory stays bounded', () => {
    const d = detector();
    const reports: SignalReport[] = [];
    const departements = ['34', '30', '31', '11', '66', '48', '09', '12'];
    for (let i = 0; i < 100_000; i++) {
      const loud = i % 10 === 0; // every tenth report: the one loud reporter
      const who = loud ? 'loud' : `r${i % 19_999}`;
      const code = departements[(loud ? 0 : i % 19_999) % departements.length]!;
      reports.push(report(new Date(T0 + Math.floor((i * 10 * MIN) / 100_000)), who, { kind: 'departement', code }));
    }
    for (let m = 1; m <= 10; m++) {
      d.ingest(reports.slice((m - 1) * 10_000, m * 10_000));
      d.step(at(m));
    }
    const step = d.step(at(10));
    const occitanie = step.episodes.find((e) => e.place.code === '76')!;
    assert.equal(occitanie.reporters, 20_000);
    assert.equal(occitanie.total, 20_000);
    assert.equal(occitanie.strength, 'surge');
    assert.equal(d.stats.counted, 20_000);
    assert.equal(d.reportersSince('ent', null, at(10)), 20_000);
    assert.equal(step.groups.length, 1);

    // Held: each reporter once per place of their chain (France, région, académie, département).
    const size = d.size();
    assert.ok(size.reporters <= 20_000 * 4, `${size.reporters}`);
    assert.ok(size.series <= 1 + 1 + 2 + departements.length, `${size.series}`);
    // Half an hour later the voices are let go; after the baseline's weeks, everything.
    d.step(at(45));
    assert.equal(d.size().reporters, 0);
    d.step(new Date(T0 + 5 * WEEK));
    assert.deepEqual(d.size(), { series: 0, windows: 0, reporters: 0, openEpisodes: 0 });
  });
});

describe('Reading from a ReportSource', () => {
  test('GIVEN four weeks of history in a source THEN pulling it warms the baseline up (4 a week at 08:00 makes 11 usual)', async () => {
    const stored: SignalReport[] = [];
    for (let k = 4; k >= 1; k--) stored.push(...people(4, new Date(T0 - k * WEEK + MIN), OCCITANIE, 'ent', `w${k}`));
    stored.push(...people(11, at(1), OCCITANIE));
    const source: ReportSource = {
      async reportsBetween(from, to) {
        return stored.filter((r) => r.at >= from && r.at < to);
      },
    };
    const from = new Date(T0 - 4 * WEEK - 60 * MIN);
    const d = new SignalDetector({ places: gazetteer, config, observedFrom: from });
    await d.pull(source, from, at(2));
    assert.equal(d.stats.counted, 27);
    assert.deepEqual(d.step(at(2)).episodes, []);
    assert.equal(d.reportersSince('ent', OCCITANIE, at(2)), 11);
  });
});

describe('Bounded memory over weeks', () => {
  test('GIVEN reports every quarter-hour for ten weeks THEN only the windows the baseline needs are kept (4 weeks and a day)', () => {
    const d = detector();
    const start = T0 - 10 * WEEK;
    let i = 0;
    for (let t = start; t < T0; t += 15 * MIN) {
      d.ingest([report(new Date(t + MIN), `q${i++}`, GARD)]);
      d.step(new Date(t + 2 * MIN));
    }
    const perSeries = (4 * 7 + 1) * 96 + 1;
    const size = d.size();
    // Gard, académie de Montpellier, Occitanie, France.
    assert.equal(size.series, 4);
    assert.ok(size.windows <= 4 * perSeries, `${size.windows}`);
    assert.ok(size.windows >= 4 * 4 * 7 * 96, `${size.windows}`);
    assert.ok(size.reporters <= 4 * 2, `${size.reporters}`);
  });
});

describe('Counts saved and restored across a restart', () => {
  test('GIVEN four weeks of counts saved (as JSON) and restored in a new detector THEN the baseline is back: 11 at 08:00 are usual, 12 elevated', () => {
    const before = detector();
    for (let k = 4; k >= 1; k--) {
      before.ingest(people(4, new Date(T0 - k * WEEK + MIN), OCCITANIE, 'ent', `w${k}`));
      before.step(new Date(T0 - k * WEEK + 60 * MIN));
    }
    before.step(at(-30));
    const saved = JSON.parse(JSON.stringify(before.exportCounts()));
    assert.equal(saved.until, at(-30).toISOString());

    // A new process: it only knows since now, until the counts come back.
    const after = new SignalDetector({ places: gazetteer, config, observedFrom: at(-1) });
    after.restoreCounts(saved);
    after.restoreCounts(saved); // twice: no change
    after.ingest(people(11, at(1), OCCITANIE));
    assert.deepEqual(after.step(at(2)).episodes, []);
    after.ingest(people(1, at(3), OCCITANIE, 'ent', 'one-more'));
    const [e] = after.step(at(4)).episodes;
    assert.deepEqual([e?.place.code, e?.baseline, e?.strength], ['76', 4, 'elevated']);
  });

  test('GIVEN counts saved with 10-minute windows THEN restoring them into 15-minute windows is refused', () => {
    const d = detector();
    assert.throws(() => d.restoreCounts({ windowMinutes: 10, observedFrom: at(0).toISOString(), until: at(0).toISOString(), series: [] }), /10-minute/);
  });
});
