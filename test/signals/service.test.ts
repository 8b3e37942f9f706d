import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { silentLogger } from '../../src/base/logger.js';
import { SignalDetector } from '../../src/signals/detect.js';
import { SignalsService } from '../../src/signals/service.js';
import type { ProbeReading, ReportSource, SignalReport } from '../../src/signals/types.js';
import { openStore } from '../../src/store/index.js';
import { createSignalCountsKeeper } from '../../src/store/reports.js';
import { HandTimer } from './helpers.js';
import { BRETAGNE, GARD, HERAULT, MIN, MONTPELLIER_COMMUNE, OCCITANIE, T0, WEEK, at, config, gazetteer, people } from './helpers.js';

/** Reports as they arrive: only those pushed so far are there. */
class Arrivals implements ReportSource {
  readonly reports: SignalReport[] = [];
  pulls: [number, number][] = [];
  async reportsBetween(from: Date, to: Date): Promise<SignalReport[]> {
    this.pulls.push([from.getTime(), to.getTime()]);
    return this.reports.filter((r) => r.at >= from && r.at < to).sort((a, b) => a.at.getTime() - b.at.getTime());
  }
}

function setup(options: { prober?: { readings(): ProbeReading[] }; start?: Date } = {}) {
  const clock = new FixedClock(options.start ?? at(0));
  const timer = new HandTimer(clock);
  const source = new Arrivals();
  const service = new SignalsService({ places: gazetteer, config, source, clock, timer, logger: silentLogger, services: ['ent', 'pronote', 'cned'], prober: options.prober ?? null });
  return { clock, timer, source, service };
}

describe('Signals service: stepping on the injected clock', () => {
  test('GIVEN reports arriving after the start THEN they show only once a minute has passed on the clock, with reporters, first seen and top places', async () => {
    const { timer, source, service } = setup();
    await service.start();
    try {
      source.reports.push(...people(3, at(0), HERAULT), ...people(4, at(0), GARD));
      // Nothing stepped yet: the reports wait for the next minute.
      assert.equal(service.view('ent', OCCITANIE, at(0)), null);
      await timer.advance(MIN);
      const view = service.view('ent', OCCITANIE, at(1));
      assert.ok(view?.episode, 'a signal for Occitanie after one minute');
      assert.equal(view.episode.place.name, 'Occitanie');
      assert.equal(view.episode.reporters, 7);
      assert.equal(view.episode.total, 7);
      assert.equal(view.episode.firstSeen.getTime(), at(0).getTime());
      assert.deepEqual(view.episode.topPlaces.map((t) => t.place.name), ['Gard', 'Hérault']);
      // More people a minute later: pulled (only what arrived since), counted.
      const pullsBefore = source.pulls.length;
      source.reports.push(...people(5, at(1), HERAULT, 'ent', 'late'));
      await timer.advance(MIN);
      assert.equal(source.pulls.length, pullsBefore + 1);
      const [from, to] = source.pulls.at(-1)!;
      assert.ok(from >= at(1).getTime() - 10_000 && to === at(2).getTime(), 'pulls only since the last step (with a few seconds of overlap)');
      assert.equal(service.view('ent', OCCITANIE, at(2))?.episode?.total, 12);
    } finally {
      await service.stop();
    }
    assert.equal(timer.waiting, 0, 'stopped: no step pending');
  });

  test('GIVEN reports kept from before the start THEN the first step at start shows them', async () => {
    const { source, service } = setup({ start: at(3) });
    source.reports.push(...people(8, at(1), GARD));
    await service.start();
    await service.stop();
    assert.equal(service.view('ent', GARD, at(3))?.episode?.reporters, 8);
  });

  test('GIVEN one signal in Occitanie THEN it covers a commune inside it and shows for France, not for Bretagne nor for another service', async () => {
    const { timer, source, service } = setup();
    await service.start();
    source.reports.push(...people(7, at(0), HERAULT, 'ent', 'h'), ...people(6, at(0), GARD, 'ent', 'g'));
    await timer.advance(MIN);
    await service.stop();
    assert.equal(service.view('ent', MONTPELLIER_COMMUNE, at(1))?.episode?.place.name, 'Occitanie');
    assert.equal(service.view('ent', null, at(1))?.episode?.place.name, 'Occitanie');
    assert.equal(service.view('ent', BRETAGNE, at(1)), null);
    assert.equal(service.view('pronote', OCCITANIE, at(1)), null);
    assert.equal(service.view(null, OCCITANIE, at(1)), null);
    const snapshot = service.snapshot(at(1));
    assert.deepEqual(snapshot.episodes.map((e) => e.place.name), ['Occitanie']);
    assert.equal(snapshot.groups.length, 1);
  });

  test('GIVEN a probe down for the ENT in Occitanie THEN the view of a place there carries it, beside no crowd signal; up, it does not', async () => {
    let state: ProbeReading['state'] = 'down';
    const prober = { readings: (): ProbeReading[] => [{ probe: 'ent-occitanie', service: 'ent', places: [{ ...OCCITANIE }], state, since: at(-8) }] };
    const { service } = setup({ prober });
    await service.start();
    await service.stop();
    const view = service.view('ent', HERAULT, at(0));
    assert.equal(view?.episode, null);
    assert.deepEqual(view?.probes.map((p) => [p.probe, p.state]), [['ent-occitanie', 'down']]);
    assert.equal(service.view('ent', BRETAGNE, at(0)), null);
    assert.equal(service.snapshot(at(0)).probes.length, 1);
    state = 'up';
    assert.equal(service.view('ent', HERAULT, at(0)), null);
  });
});

describe('Signals service: the baseline survives a restart', () => {
  test('GIVEN four weeks of 10 reporters every Tuesday at 8:00 in Gard, saved in the store THEN 12 at 8:00 today is no signal after a restart; without the saved counts it is one', async () => {
    // The counts of four past weeks, as a running service would have saved them.
    const past = new SignalDetector({ places: gazetteer, config, observedFrom: new Date(T0 - 5 * WEEK) });
    for (let w = 4; w >= 1; w--) {
      past.ingest(people(10, new Date(T0 - w * WEEK), GARD, 'ent', `w${w}`));
      past.step(new Date(T0 - w * WEEK + 20 * MIN));
    }
    past.step(new Date(T0 - 1 * MIN));
    const store = await openStore('memory://', { clock: new FixedClock(at(0)), logger: silentLogger });
    try {
      const keeper = createSignalCountsKeeper(store.db, silentLogger);
      await keeper.save(past.exportCounts());
      for (const counts of [keeper, null]) {
        const clock = new FixedClock(at(0));
        const timer = new HandTimer(clock);
        const source = new Arrivals();
        source.reports.push(...people(12, at(0), GARD, 'ent', 'today'));
        const service = new SignalsService({ places: gazetteer, config, source, clock, timer, logger: silentLogger, counts });
        await service.start();
        await timer.advance(MIN);
        await service.stop();
        if (counts) assert.equal(service.view('ent', GARD, at(1)), null, 'an ordinary Tuesday morning for Gard');
        else assert.equal(service.view('ent', GARD, at(1))?.episode?.strength, 'elevated', 'no history: the floor');
      }
      // Stopping saved the counts again, with today's window.
      const saved = await keeper.load();
      const gard = saved?.series.find((x) => x.service === 'ent' && x.place.kind === 'departement' && x.place.code === '30');
      assert.deepEqual(gard?.windows.at(-1), [T0, 12]);
      assert.equal(gard?.windows.length, 5);
    } finally {
      await store.close();
    }
  });
});
